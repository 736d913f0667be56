"""Twilio's connection overrides (`#rp=ct,rt,5xx&rc=3` after the webhook URL) never reach us: a browser-style
fragment is not sent. Whether Twilio signs the URL with or without it, the webhook takes the signature when the
console's fragment is set as HUNAR_TWILIO_WEBHOOK_OVERRIDES (README, "Twilio console")."""
from __future__ import annotations

import pytest

from bot.web.webhook import sign
from fakes.twilio import TOKEN
from tests.support.twilio import PUBLIC, Twilio, twilio_settings

OVERRIDES = "rp=ct,rt,5xx&rc=3&ct=3000&rt=5000"
HOOK = PUBLIC + "/webhooks/twilio"


@pytest.fixture
def hook(make_app, fake_twilio, cdn):
    """Twilio calling an app whose console URL carries the overrides."""
    app = make_app("embedded", twilio_settings(fake_twilio, cdn, TWILIO_WEBHOOK_OVERRIDES=OVERRIDES))
    return Twilio(app.test_client())


@pytest.mark.parametrize("signed_url", [HOOK, f"{HOOK}#{OVERRIDES}"], ids=["without the fragment", "with it"])
def test_a_signature_over_the_url_with_or_without_the_overrides_is_taken(hook, signed_url):
    form = hook.form(body="नमस्ते")
    assert hook.post(form, signature=sign(signed_url, form, TOKEN)).status_code == 200


def test_a_signature_over_other_overrides_is_refused(hook):
    form = hook.form(body="नमस्ते")
    assert hook.post(form, signature=sign(f"{HOOK}#rp=all&rc=5", form, TOKEN)).status_code == 403


def test_without_the_setting_only_the_url_without_a_fragment_is_taken(twilio):
    form = twilio.form(body="नमस्ते")
    assert twilio.post(form, signature=sign(f"{HOOK}#{OVERRIDES}", form, TOKEN)).status_code == 403
    assert twilio.post(form, signature=sign(HOOK, form, TOKEN)).status_code == 200
