"""Staff correct an artisan's name, district and craft from the conversation page's Artisan card: without taking
the conversation over and without a message to the artisan; validated, audited, and the listings that show the
profile rebuilt (bot/profile.py)."""
from __future__ import annotations

import re

from flask import flash, g, request

import flows
from bot import conversations as store
from bot import profile
from bot.handoff import act
from bot.services import Services
from db import audit
from db.models import StaffUser
from helpdesk.actions import ActionError
from helpdesk.views import run_action
from helpdesk.web import bp, services
from marketplace import vocabulary

FIELDS = ("name", "district", "craft")
LONGEST = 60  # characters of a name or a craft
MOST_WORDS = {"name": 5, "district": 3, "craft": 6}
NOT_IN_A_NAME = re.compile(r"[\d<>@/{}\[\]]")


class ProfileError(ActionError):
    """A value staff typed that cannot be the artisan's; the message says why."""


@bp.app_template_global("profile_districts")
def districts() -> list[str]:
    """The districts Hunar knows, "Hisar (<Hindi name>)", for the field's suggestions."""
    return [f"{en} ({hi})" for hi, en in sorted(vocabulary.table("districts").items(), key=lambda item: item[1])]


def checked(field: str, text: str, read, lang: str = "hi"):
    """The value to keep for `field` from what staff typed, read as the bot reads an answer; ProfileError if none."""
    text = " ".join((text or "").split())
    text = re.sub(r"\s*\(.*\)$", "", text) if field == "district" else text  # "Hisar (<Hindi name>)" from the suggestions
    if not text:
        raise ProfileError(f"{field}: empty; write the artisan's {field}.")
    if len(text) > LONGEST or len(text.split()) > MOST_WORDS[field]:
        raise ProfileError(f"{field}: too long ({LONGEST} characters, {MOST_WORDS[field]} words at most).")
    if field == "name" and NOT_IN_A_NAME.search(text):
        raise ProfileError("name: a name has no digits or signs in it.")
    value = text if field == "name" else flows.validate_field(field, text, read, lang)
    if isinstance(value, flows.Retry) or (field == "district" and text.isdigit()):
        raise ProfileError(_refused(field, text))
    return value


def _refused(field: str, text: str) -> str:
    if field == "district":
        return f"district: {text!r} is not a Haryana district Hunar knows; choose one from the list (e.g. Hisar, Panipat)."
    return f"{field}: {text!r} was not understood."


def change(svc: Services, conversation_id: int, user: StaffUser, form: dict) -> list[str]:
    """Set the fields whose value differs from the artisan's; the fields changed. Nothing is sent to the artisan."""
    def work(session, conv, artisan, now):
        if artisan.deleted_at is not None:
            raise ProfileError("This artisan's data was deleted at their request; there is no profile to correct.")
        lang = conv.language or "hi"
        wanted = {field: checked(field, form[field], svc.parse, lang) for field in FIELDS
                  if (form.get(field) or "").strip() and form[field].strip() != (getattr(artisan, field) or "")}
        changed = profile.update(session, artisan, wanted)
        _into_the_conversation(conv, {field: wanted[field] for field in changed})
        for field, (before, after) in changed.items():
            audit.record(session, "helpdesk.profile", actor=f"staff:{user.id}", at=now, artisan_id=artisan.id,
                         conversation_id=conv.id, field=field, before=before, after=after)
        done.extend(changed)
        return []

    done: list[str] = []
    act(svc, conversation_id, work)
    return done


def _into_the_conversation(conv, values: dict) -> None:
    """The bot's memory agrees: the saved profile, or the onboarding's answers while it is still asking."""
    state = store.load_state(conv)
    if state is None or not values:
        return
    if state.profile is not None:
        state.profile = {**state.profile, **values}
    elif state.flow == "onboarding":
        for field, value in values.items():
            flows.set_field(state, field, value)
    store.save_state(conv, state)


@bp.post("/c/<int:conversation_id>/profile")
def artisan_profile(conversation_id: int):
    """The Artisan card's form: any staff member may correct the profile; the conversation stays as it is."""
    return run_action(conversation_id, lambda: _saved(change(services(), conversation_id, g.user, request.form)))


def _saved(changed: list[str]) -> None:
    flash(f"Saved: {', '.join(changed)}." if changed else "Nothing changed.")
