"""Security report F4, F14, F17: public pages cost the same at any catalogue size, safe CSV cells, bounded numbers."""
from __future__ import annotations

import csv
import io
import re
import time
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, select

from db.models import Listing, Photo
from marketplace import catalog, feedfiles, feeds, freshness
from tests.support.desk import Desk, make_staff
from tests.support.shop import NOW, Shop


def seed(app, shop: Shop, count: int, *, artisans: list[int] | None = None) -> list[int]:
    """`count` more published listings, copies of one made the real way (as the red team seeded theirs), in bulk."""
    artisans = artisans or [shop.artisan(name=f"Maker {i}", district=("Panipat", "Hisar")[i % 2]) for i in range(5)]
    original = shop.listing(artisans[0])
    tag = uuid.uuid4().hex[:8]
    with app.extensions["hunar"].db.session() as s:
        model = s.get(Listing, original)
        photo = s.scalar(select(Photo).where(Photo.listing_id == original))
        rows = [{"artisan_id": artisans[i % len(artisans)], "status": "published", "sku": f"X{tag}{i}",
                 "fields": model.fields, "price_amount": model.price_amount, "price_per": model.price_per,
                 "quantity": model.quantity, "title": model.title, "description": model.description, "channels": {},
                 "created_at": NOW, "updated_at": NOW, "published_at": NOW} for i in range(count)]
        ids = list(s.scalars(insert(Listing).returning(Listing.id, sort_by_parameter_order=True), rows))
        s.execute(insert(Photo), [{"artisan_id": artisans[i % len(artisans)], "listing_id": listing_id, "position": 0,
                                   "sha256": photo.sha256, "content_type": photo.content_type, "verdict": "ok",
                                   "quality": 1.0, "width": photo.width, "height": photo.height, "files": photo.files,
                                   "created_at": NOW} for i, listing_id in enumerate(ids)])
    freshness.changed(app.extensions["hunar"])  # what a committed change through listings.touch does
    return [original] + ids


@contextmanager
def counting(app):
    """Counts SQL statements and the listings loaded from them while the block runs."""
    seen = {"queries": 0, "listings": 0}

    def query(*_):
        seen["queries"] += 1

    def loaded(*_):
        seen["listings"] += 1

    engine = app.extensions["hunar"].db.engine
    event.listen(engine, "before_cursor_execute", query)
    event.listen(Listing, "load", loaded)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", query)
        event.remove(Listing, "load", loaded)


def _cards(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="card" href="/listings/(\d+)', html)]


def _get(app, path: str):
    """A fresh render (the cache generation moved on) of `path`: status, body, queries, listings loaded, seconds."""
    freshness.changed(app.extensions["hunar"])
    with counting(app) as seen:
        started = time.perf_counter()
        resp = app.test_client().get(path)
        elapsed = time.perf_counter() - started
    return resp, seen, elapsed


def test_f4_a_catalogue_page_costs_the_same_at_100_and_10000_listings(app, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    artisans = [shop.artisan(name=f"Maker {i}", district=("Panipat", "Hisar")[i % 2]) for i in range(5)]
    first = seed(app, shop, 99, artisans=artisans)[0]
    paths = ("/catalogue", "/catalogue?lang=en&product=panja%20durrie&district=panipat&page=2",
             f"/artisans/{artisans[0]}", f"/listings/{first}", "/api/listings?limit=100",
             "/api/listings?district=panipat&offset=40")
    small = {path: _get(app, path) for path in paths}
    total = 100 + len(seed(app, shop, 9_899, artisans=artisans))
    large = {path: _get(app, path) for path in paths}
    for path in paths:
        (resp_s, seen_s, time_s), (resp_l, seen_l, time_l) = small[path], large[path]
        assert resp_s.status_code == resp_l.status_code == 200, path
        assert seen_s["queries"] == seen_l["queries"] <= 6, (path, seen_s, seen_l)
        assert seen_l["listings"] <= 100, (path, seen_l)  # one page is loaded, never the catalogue
        print(f"{path}: {seen_l['queries']} queries; {time_s * 1000:.0f} ms at 100, {time_l * 1000:.0f} ms at 10,000")
    page = large["/catalogue"][0].get_data(as_text=True)
    assert len(_cards(page)) == catalog.PAGE_SIZE and 'rel="next"' in page and "/catalogue?page=2" in page
    assert f"{total} सामान" in page  # the count is of everything that matched
    body = large["/api/listings?limit=100"][0].get_json()
    assert body["total"] == total == 10_000 and len(body["listings"]) == 100


def test_f4_pages_are_numbered_and_checked(app, client, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    ids = seed(app, shop, catalog.PAGE_SIZE + 2)
    first, second = client.get("/catalogue?lang=en"), client.get("/catalogue?lang=en&page=2")
    shown = _cards(first.get_data(as_text=True)) + _cards(second.get_data(as_text=True))
    assert sorted(shown) == sorted(ids) and len(set(shown)) == len(ids)  # each listing once, over two pages
    assert "Page 2 of 2" in second.get_data(as_text=True) and 'rel="prev"' in second.get_data(as_text=True)
    assert client.get("/catalogue?page=3").status_code == 404
    for bad in ("0", "-1", "abc", "1.5", "99999999999999999999999", "２"):
        assert client.get(f"/catalogue?page={bad}").status_code == 400, bad


def test_f4_a_rendered_page_is_reused_until_a_listing_changes(app, client, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    first = shop.listing()
    assert _cards(client.get("/catalogue?junk=1").get_data(as_text=True)) == [first]
    with counting(app) as seen:
        for query in ("", "?junk=2", "?lang=hi"):  # unknown arguments do not make a new cache entry
            assert _cards(client.get("/catalogue" + query).get_data(as_text=True)) == [first]
    assert seen["queries"] == 0
    second = shop.listing()  # committed through listings.touch: the generation moves on
    assert _cards(client.get("/catalogue").get_data(as_text=True)) == [second, first]
    shop.move(first, "withdrawn")
    assert _cards(client.get("/catalogue").get_data(as_text=True)) == [second]


def test_f4_the_storefront_works_when_redis_fails(app, client, photo_jpeg, monkeypatch):
    from redis.exceptions import ConnectionError as RedisDown

    listing = Shop(app, photo_jpeg).listing()

    def down(*_, **__):
        raise RedisDown("gone")

    redis = app.extensions["hunar"].redis
    for name in ("get", "set", "incr"):
        monkeypatch.setattr(redis, name, down)
    resp = client.get("/catalogue")
    assert resp.status_code == 200 and _cards(resp.get_data(as_text=True)) == [listing]


def test_f4_feeds_are_stored_files_that_cost_no_query_while_fresh(app, client, photo_jpeg):
    services = app.extensions["hunar"]
    shop = Shop(app, photo_jpeg)
    seed(app, shop, 30)
    folder = feedfiles.folder(services)
    assert not (folder / "meta.csv").exists()
    first = client.get("/feeds/meta.csv")  # none yet: built on this first request
    assert first.status_code == 200 and len(list(csv.DictReader(io.StringIO(first.get_data(as_text=True))))) == 31
    assert first.headers["Cache-Control"] == "public, max-age=900" and first.headers["Last-Modified"]
    with counting(app) as seen:
        again = client.get("/feeds/meta.csv")
        xml = client.get("/feeds/google.xml")
        unchanged = client.get("/feeds/meta.csv", headers={"If-None-Match": again.headers["ETag"]})
    assert seen == {"queries": 0, "listings": 0} and again.data == first.data
    assert xml.status_code == 200 and xml.data.count(b"<item>") == 31 and unchanged.status_code == 304
    assert sorted(p.name for p in folder.iterdir()) == ["google.xml", "meta.csv"]  # no temporary files left

    newest = shop.listing()  # a change: the next request (embedded, no worker) rebuilds, a worker would sooner
    assert f"HUN{newest:07d}" in client.get("/feeds/meta.csv").get_data(as_text=True)


class QueuedJobs:
    """Stands in for the RQ queue: records what would be queued."""

    inline = False

    def __init__(self):
        self.queued = []

    def enqueue(self, job, *args, **_):
        if job.__name__ == "refresh_feeds":  # sync_listing is queued too, for the eBay channel
            self.queued.append(job.__name__)


def test_f4_with_workers_a_change_queues_one_feed_refresh_and_requests_get_the_stored_file(app, client, photo_jpeg,
                                                                                         monkeypatch):
    services = app.extensions["hunar"]
    shop = Shop(app, photo_jpeg)
    old = shop.listing()
    feedfiles.refresh(services)
    jobs = QueuedJobs()
    monkeypatch.setattr(services, "jobs", jobs)
    new = shop.listing()
    shop.listing()
    assert jobs.queued == ["refresh_feeds"]  # two changes, one job queued (not yet started)
    with counting(app) as seen:
        text = client.get("/feeds/meta.csv").get_data(as_text=True)
    assert f"HUN{old:07d}" in text and f"HUN{new:07d}" not in text and seen["queries"] == 0  # served as stored
    assert jobs.queued == ["refresh_feeds"]
    assert feedfiles.refresh(services)  # what the worker does
    assert f"HUN{new:07d}" in client.get("/feeds/meta.csv").get_data(as_text=True)
    shop.listing()
    assert jobs.queued == ["refresh_feeds"] * 2  # the job cleared its flag: the next change queues again


def test_f4_only_one_process_builds_the_feeds_at_a_time(app, photo_jpeg):
    services = app.extensions["hunar"]
    Shop(app, photo_jpeg).listing()
    services.redis.set(freshness.key(services, "feeds:lock"), "another-worker", ex=60)
    assert feedfiles.refresh(services) is False and not feedfiles.folder(services).exists()
    busy = app.test_client().get("/feeds/google.xml")  # the other builds the first files: come back soon
    assert busy.status_code == 503 and busy.headers["Retry-After"] == str(feedfiles.RETRY_AFTER)
    services.redis.delete(freshness.key(services, "feeds:lock"))
    assert feedfiles.refresh(services) is True
    assert services.redis.get(freshness.key(services, "feeds:lock")) is None  # released


def test_f4_the_feeds_are_rebuilt_periodically_by_rq_cron(app):
    import importlib

    from rq import cron as rq_cron

    from bot import jobs

    before = len(rq_cron._job_data_registry)
    importlib.reload(importlib.import_module("deploy.cron"))
    try:
        added = {entry["func"]: entry for entry in rq_cron._job_data_registry[before:]}
    finally:
        del rq_cron._job_data_registry[before:]
    assert added[jobs.refresh_feeds]["interval"] <= 900  # a crawler fetching every 15 minutes sees it fresh
    assert jobs.refresh_feeds(services=app.extensions["hunar"]) is True
    assert (feedfiles.folder(app.extensions["hunar"]) / "google.xml").exists()


FORMULAS = ['=HYPERLINK("http:evil","Click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_f14_a_cell_that_starts_like_a_formula_is_neutralised(text):
    assert feeds.cell(text) == "'" + text
    assert feeds.cell("Sunita Devi") == "Sunita Devi" and feeds.cell(5) == 5 and feeds.cell("") == ""


def test_f14_the_b2b_export_neutralises_an_artisans_formula_name(app, photo_jpeg, tmp_path):
    shop = Shop(app, photo_jpeg)
    shop.listing(shop.artisan(name='=HYPERLINK("http:evil","Click")'))
    path = tmp_path / "b2b.csv"
    result = app.test_cli_runner().invoke(args=["listings", "export-b2b", str(path)])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(path.open(encoding="utf-8")))
    assert row["maker"].startswith("'=") and row["price_per_unit"] == "1200.00"
    assert not any(value.startswith(feeds.FORMULA_START) for value in row.values())


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(type(c).__name__ == "IdConverter" for c in rule._converters.values())]


@pytest.mark.parametrize("value", [2**31, 2**31 - 1, 2**63 - 1, 2**63, 10**30])
def test_f17_every_int_route_answers_a_huge_id_without_a_500(app, value, caplog):
    rules = _int_rules(app)
    assert len(rules) >= 15  # storefront, API and helpdesk routes
    desk = Desk(app.test_client(), make_staff(app, "ravi", role="admin"))
    assert desk.login().status_code == 302
    wrong = []
    for rule in rules:
        url = rule.build({name: value for name in rule.arguments if name in rule._converters}
                         | {name: "ebay" for name in rule.arguments if name not in rule._converters})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            resp = desk.get(url) if method == "GET" else desk.post(url, {"value": "1", "field": "price"})
            # past BIGINT no route matches; inside it, nothing has that id: a 404, or a form's refusal (303)
            if resp.status_code != 404 and (value > 2**63 - 1 or method == "GET" or resp.status_code >= 500):
                wrong.append((method, url, resp.status_code))
    assert not wrong
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.parametrize("query", ["min=1e999", "max=inf", "min=nan", "max=-inf", "min=NaN&max=5", "max=Infinity"])
def test_f17_a_non_finite_price_bound_is_a_clear_400(client, query):
    resp = client.get("/catalogue?" + query)
    assert resp.status_code == 400 and b"finite number" in resp.data


@pytest.mark.parametrize("query", ["artisan=99999999999999999999", "artisan=9223372036854775808", "offset=1e3",
                                   "limit=-1", "offset=99999999999999999999"])
def test_f17_out_of_range_api_arguments_are_a_400_that_says_why(client, query):
    resp = client.get("/api/listings?" + query)
    assert resp.status_code == 400 and "whole number" in resp.get_json()["error"]


@pytest.mark.parametrize("path", ["/catalogue?product=%00x", "/catalogue?district=a%00", "/api/listings?material=%00"])
def test_f17_a_nul_in_a_text_filter_finds_nothing_instead_of_failing(client, path):
    assert client.get(path).status_code == 200


def test_f17_a_huge_id_posted_in_a_helpdesk_form_is_no_row_not_a_500(app, caplog):
    desk = Desk(app.test_client(), make_staff(app, "ravi", role="admin"))
    assert desk.login().status_code == 302
    for huge in (str(2**63), "9" * 30):
        assert desk.post("/helpdesk/admin/canned", {"id": huge, "title": "t", "body": "b"}).status_code < 500
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
