"""Replay every golden transcript (tests/transcripts/*.yml) through flows.step with the real nlu."""
from __future__ import annotations

import pytest

from fakes.transcripts import all_transcripts, replay


@pytest.mark.parametrize("path", all_transcripts(), ids=lambda path: path.stem)
def test_transcript(path):
    replay(path)


def test_there_are_at_least_25_transcripts():
    assert len(all_transcripts()) >= 25
