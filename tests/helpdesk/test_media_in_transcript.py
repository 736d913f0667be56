"""Staff hear voice notes and see photos the artisan sent, right in the transcript."""
from __future__ import annotations

import re

from fakes.images import encode, product_photo
from tests.support.desk import conversation_id

VOICE = b"OggS\x00\x02" + bytes(400)


def test_a_voice_note_is_playable_and_a_photo_shows_as_a_thumbnail(app, whatsapp, agent):
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
        whatsapp.say(text)
    whatsapp.send_photo(encode(product_photo(1000, 750)))
    whatsapp.send_media(VOICE, "audio/ogg")
    page = agent.get(f"/helpdesk/c/{conversation_id(app, whatsapp.number)}").get_data(as_text=True)
    audio = re.findall(r'<audio[^>]*src="([^"]+)"', page)
    assert len(audio) == 1, "the voice note has a player"
    served = agent.get(audio[0])
    assert served.status_code == 200 and served.data == VOICE and served.mimetype == "audio/ogg"
    thumbs = [src for src in re.findall(r'<img[^>]*src="([^"]+)"', page) if "/media/" in src]
    assert thumbs, "the photo shows as a thumbnail"
    assert agent.get(thumbs[0][thumbs[0].index("/media/"):]).status_code == 200
