"""Data migrations: what a revision finds in the rows, and what it leaves there."""
from __future__ import annotations

from sqlalchemy import select

from db import Database, head_revision
from db.models import Artisan, Conversation, Listing

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
