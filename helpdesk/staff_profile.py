"""How artisans hear a staff member: the display name (Seema, not the login "admin") and the verb's form.

Hindi verbs agree with the speaker (kar raha hoon / kar rahi hoon); without a chosen form the greeting is phrased
so that it needs none.
"""
from __future__ import annotations

from datetime import datetime

import flows
from db import audit
from db.models import StaffUser
from helpdesk.accounts import AccountError

# The greeting's form: None is neutral phrasing; "f" and "m" choose the verb's gender.
GENDERS = {"": "neutral (no gendered verb)", "f": "feminine (kar rahi hoon)", "m": "masculine (kar raha hoon)"}
GREETINGS = {"": "staff_joined", "f": "staff_joined_f", "m": "staff_joined_m"}


def spoken_name(user: StaffUser) -> str:
    """The name the artisan hears: the display name, else the login name."""
    return (user.display_name or "").strip() or user.name


def greeting(user: StaffUser, lang: str) -> str:
    """The message an artisan gets when this staff member takes their conversation over."""
    return flows.prompts.say(GREETINGS.get(user.gender or "", "staff_joined"), lang, name=spoken_name(user))


def set_profile(session, user: StaffUser, display_name: str | None, gender: str | None, *, now: datetime,
                actor: str) -> None:
    """Set how artisans hear this staff member; AccountError when the values cannot be used."""
    display_name = (display_name or "").strip()
    gender = (gender or "").strip()
    if len(display_name) > 80:
        raise AccountError("the display name may have at most 80 characters")
    if gender not in GENDERS:
        raise AccountError(f"the greeting form must be one of {', '.join(repr(g) for g in GENDERS)}")
    user.display_name, user.gender = display_name or None, gender or None
    audit.record(session, "staff.profile", actor=actor, at=now, user=user.id, display_name=user.display_name,
                 gender=user.gender)
