"""A listing change reaches its followers (the channels' sync job, the storefront cache) once it has committed."""
from __future__ import annotations

import pytest

from db import after_commit_scope
from db.models import Listing
from marketplace import listings
from tests.support.shop import NOW


@pytest.fixture
def followed(app) -> list[int]:
    """The listing ids a follower handed to listings.on_change was told about, in order."""
    seen: list[int] = []
    listings.on_change(app.extensions["hunar"].db, seen.append)
    return seen


def test_a_committed_change_is_told_once_after_the_commit(app, shop, followed):
    listing_id = shop.listing()
    assert followed == [listing_id]
    db = app.extensions["hunar"].db
    with db.session() as s:
        listing = s.get(Listing, listing_id)
        listings.change(s, listing, {"quantity": 0}, now=NOW, actor="staff:1")  # and so sold out: one touch
        assert followed == [listing_id]  # not before the commit
    assert followed == [listing_id, listing_id]


def test_a_rolled_back_change_is_never_told(app, shop, followed):
    listing_id = shop.listing()
    with pytest.raises(RuntimeError), app.extensions["hunar"].db.session() as s:
        listings.move(s, s.get(Listing, listing_id), "withdrawn", now=NOW, actor="staff:1")
        raise RuntimeError("the transaction fails")
    assert followed == [listing_id]


def test_a_change_in_a_failed_part_of_the_transaction_is_not_told(app, shop, followed):
    first, second = shop.listing(), shop.listing()
    with app.extensions["hunar"].db.session() as s:
        with pytest.raises(RuntimeError), after_commit_scope(s), s.begin_nested():
            listings.move(s, s.get(Listing, first), "withdrawn", now=NOW, actor="staff:1")
            raise RuntimeError("this part is given up")
        listings.move(s, s.get(Listing, second), "withdrawn", now=NOW, actor="staff:1")
    assert followed == [first, second, second]


def test_a_refused_status_still_tells_of_the_other_changes(app, shop, followed):
    listing_id = shop.listing()
    shop.move(listing_id, "withdrawn")
    with app.extensions["hunar"].db.session() as s:
        with pytest.raises(listings.TransitionError):
            listings.change(s, s.get(Listing, listing_id), {"price": 900, "status": "published"}, now=NOW,
                            actor="staff:1")
    assert followed == [listing_id] * 3
