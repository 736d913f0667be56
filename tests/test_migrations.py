"""Data migrations: what a revision finds in the rows, and what it leaves there."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command as alembic_command
from sqlalchemy import create_engine, inspect, select, text

from db import Database, alembic_config, head_revision, normalise_url
from db.models import Artisan, Conversation, Flag, Listing, StaffUser
from tests.support.services import DATABASE_URL, SERVICES_MISSING

KARNAL = "{'hi': 'करनाल', 'en': 'Karnal'}"  # what helpdesk/actions.py stored before (review 3.9)


def test_0007_turns_a_stored_dict_repr_into_the_hindi_name(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/m.db")
    db.upgrade("0006")
    with db.session() as s:
        bad = Artisan(address="+919800000001", name="Kamla", district=KARNAL, craft="{'hi': 'दरी', 'en': 'durrie'}")
        good = Artisan(address="+919800000002", name="{Ram}", district="हिसार", craft="{'hi': 'खेस'")
        s.add_all([bad, good])
        s.flush()
        s.add(Conversation(artisan_id=bad.id, flow="listing", step="price", language="hi",
                           slots={"product": "{'hi': 'दरी', 'en': 'durrie'}", "price": {"amount": 900, "per": "piece"},
                                  "colour": [{"hi": "लाल", "en": "red"}, "{'hi': 'नीला', 'en': 'blue'}"]},
                           context={"profile": {"name": "Kamla", "district": KARNAL}, "skipped": ["size"]}))
        s.add(Listing(artisan_id=bad.id, fields={"material": "{'hi': 'सूती', 'en': 'cotton'}", "quantity": 4,
                                                 "description": "{'hi': 'x'} is how she wrote it"}))
        s.add(Listing(artisan_id=good.id, fields={"product": {"hi": "खेस", "en": "khes"}}))
    db.upgrade("0007_hindi")
    assert db.current_revision() == "0007_hindi"
    with db.session() as s:
        bad, good = s.scalars(select(Artisan).order_by(Artisan.id)).all()
        assert (bad.name, bad.district, bad.craft) == ("Kamla", "करनाल", "दरी")
        assert (good.name, good.district, good.craft) == ("{Ram}", "हिसार", "{'hi': 'खेस'"), "no dict's repr: left"
        conv = s.scalar(select(Conversation))
        assert conv.slots == {"product": {"hi": "दरी", "en": "durrie"}, "price": {"amount": 900, "per": "piece"},
                              "colour": [{"hi": "लाल", "en": "red"}, {"hi": "नीला", "en": "blue"}]}
        assert conv.context == {"profile": {"name": "Kamla", "district": {"hi": "करनाल", "en": "Karnal"}},
                                "skipped": ["size"]}
        first, second = s.scalars(select(Listing).order_by(Listing.id)).all()
        assert first.fields == {"material": {"hi": "सूती", "en": "cotton"}, "quantity": 4,
                                "description": "{'hi': 'x'} is how she wrote it"}
        assert second.fields == {"product": {"hi": "खेस", "en": "khes"}}
    db.dispose()


# --- 0008_review: flags of their own, staff display names (issue 19) ---------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """A database with no tables yet: a SQLite file, or a PostgreSQL database of its own (DATABASE_URL's server)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/m.db"
        return
    if not DATABASE_URL:
        pytest.skip(SERVICES_MISSING)
    admin = create_engine(normalise_url(DATABASE_URL), isolation_level="AUTOCOMMIT")
    name = f"hunar_migration_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield normalise_url(DATABASE_URL).rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


T0 = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


def _before_0008(db) -> dict:
    """What the one-flag schema held: a person asked for, a review flag over two listings, a review the sweep had
    not flagged yet, and a review flag whose listing was published since."""
    ids = {}
    with db.session() as s:
        people = {key: Artisan(address=f"+91980000000{n}") for n, key in enumerate(("asked", "two", "unswept", "old"))}
        s.add_all(people.values())
        s.flush()
        ids.update({key: artisan.id for key, artisan in people.items()})
        s.add_all([
            Conversation(artisan_id=ids["asked"], flagged_at=T0, flag_reason="asked_human", flag_detail="listing.price"),
            Conversation(artisan_id=ids["two"], flagged_at=T0 + timedelta(hours=2), flag_reason="review",
                         flag_detail="listing 1, 2"),
            Conversation(artisan_id=ids["unswept"]),
            Conversation(artisan_id=ids["old"], flagged_at=T0, flag_reason="review", flag_detail="listing 4"),
        ])
        s.add_all([
            Listing(artisan_id=ids["two"], status="review", created_at=T0 - timedelta(minutes=30),
                    fields={"product": {"hi": "दरी", "en": "durrie"}}),
            Listing(artisan_id=ids["two"], status="review", created_at=T0 - timedelta(minutes=10), fields={}),
            Listing(artisan_id=ids["unswept"], status="review", created_at=T0 + timedelta(minutes=5),
                    fields={"product": {"hi": "जूती", "en": "jutti"}}),
            Listing(artisan_id=ids["old"], status="published", created_at=T0, fields={}),
        ])
        s.execute(text("INSERT INTO staff_users (name, password_hash, role, active, must_change_password, "
                       "failed_logins, created_at) VALUES ('seema01', 'x', 'agent', true, false, 0, :at)"), {"at": T0})
    return ids


def _conversations(db) -> dict:
    with db.session() as s:
        return {conv.artisan_id: (conv.flagged_at and conv.flagged_at.replace(tzinfo=None), conv.flag_reason,
                                  conv.flag_detail) for conv in s.scalars(select(Conversation))}


def test_0008_moves_open_flags_into_their_table_and_back(empty_url):
    db = Database(empty_url)
    db.upgrade("0007_hindi")
    ids = _before_0008(db)
    db.upgrade()
    assert db.current_revision() == head_revision() == "0008_review"
    naive = lambda at: at.replace(tzinfo=None)  # noqa: E731  (SQLite gives naive times back)
    with db.session() as s:
        flags = {(f.conversation_id, f.reason, f.listing_id): (naive(f.opened_at), f.detail, f.closed_at)
                 for f in s.scalars(select(Flag))}
        conv = {c.artisan_id: c.id for c in s.scalars(select(Conversation))}
        listing = {(l.artisan_id, l.status, l.fields.get("product", {}).get("en")): l.id for l in s.scalars(select(Listing))}
        seema = s.scalar(select(StaffUser))
        assert (seema.display_name, seema.gender) == (None, None)
        seema.display_name, seema.gender = "सीमा", "f"
    first, second = listing[(ids["two"], "review", "durrie")], listing[(ids["two"], "review", None)]
    jutti = listing[(ids["unswept"], "review", "jutti")]
    assert flags == {
        (conv[ids["asked"]], "asked_human", None): (naive(T0), "listing.price", None),
        (conv[ids["two"]], "review", first): (naive(T0) - timedelta(minutes=30), f"Listing #{first} waiting: दरी", None),
        (conv[ids["two"]], "review", second): (naive(T0) - timedelta(minutes=10), f"Listing #{second} waiting: —", None),
        (conv[ids["unswept"]], "review", jutti): (naive(T0) + timedelta(minutes=5), f"Listing #{jutti} waiting: जूती", None),
    }
    summary = _conversations(db)
    assert summary[ids["asked"]] == (naive(T0), "asked_human", "listing.price")
    assert summary[ids["two"]] == (naive(T0) - timedelta(minutes=30), "review", f"Listing #{second} waiting: —"), \
        "waiting since the first submission, not since the sweep saw it"
    assert summary[ids["unswept"]][:2] == (naive(T0) + timedelta(minutes=5), "review")
    assert summary[ids["old"]] == (None, None, None), "its listing was dealt with: nothing waits"

    alembic_command.downgrade(alembic_config(empty_url), "0007_hindi")
    db.engine.dispose()
    assert db.current_revision() == "0007_hindi"
    names = inspect(db.engine)
    assert "flags" not in names.get_table_names()
    assert {c["name"] for c in names.get_columns("staff_users")}.isdisjoint({"display_name", "gender"})
    assert _conversations(db) == summary, "the old code finds the same summary"
    db.upgrade()
    assert db.current_revision() == "0008_review"
    db.dispose()
