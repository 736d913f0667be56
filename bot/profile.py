"""An artisan's profile changed, in the chat or by staff: the artisan's columns, and the titles and descriptions of
their listings (which name them: "Made by hand by …"), rebuilt so the storefront, feeds and channels follow."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Artisan, Listing
from flows import types as t
from marketplace import listings

COLUMNS = ("name", "district", "craft", "language")  # what a profile change may set
SHOWN = ("name", "district", "craft")  # what listing texts show of the artisan


def update(session: Session, artisan: Artisan, fields: dict[str, Any]) -> dict[str, tuple]:
    """Set the given columns (a Bilingual as its Hindi name); {column: (before, after)} of those that changed."""
    changed = {}
    for column, value in fields.items():
        after = t.profile_text(value)
        if column in COLUMNS and getattr(artisan, column) != after:
            changed[column] = (getattr(artisan, column), after)
            setattr(artisan, column, after)
    if set(changed) & set(SHOWN):
        rebuild_listings(session, artisan.id)
    return changed


def rebuild_listings(session: Session, artisan_id: int) -> None:
    """Every listing of the artisan still on show or waiting, built again from its fields and the new profile."""
    session.flush()  # the builder reads the artisan's row
    for listing in session.scalars(select(Listing).where(Listing.artisan_id == artisan_id,
                                                         Listing.status != "withdrawn")):
        listings.rebuild(session, listing)
        listings.touch(session, listing)
