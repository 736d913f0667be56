"""Between listings: the menu after a listing is submitted."""
from datetime import datetime, timezone

import flows
from flows.types import Inbound
from nlu import parse

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
AT_MENU = {"flow": "menu", "step": "menu", "slots": {}, "language": "hi", "consent": "hunar-consent-v1",
           "profile": {"name": "सुनीता", "district": {"hi": "हिसार", "en": "Hisar"}}}


def say(text: str):
    return flows.step(flows.State.from_dict(AT_MENU), Inbound(NOW, text=text, read=parse), parse(text))


def test_yes_to_the_offer_of_another_product_starts_one():
    for text in ("हाँ", "haan", "ok"):
        result = say(text)
        assert (result.state.flow, result.state.step) == ("listing", "photos"), text
        assert flows.prompts.say("ask_photos", "hi").split("।")[0] in result.replies[-1].text


def test_something_unclear_at_the_menu_gets_the_menu_again():
    result = say("asdf qwer")
    assert result.state.step == "menu" and result.replies
