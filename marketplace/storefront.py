"""The public storefront: a page per listing and per artisan, and a filterable catalogue, in Hindi and English.

Mobile-first server-rendered HTML, no JavaScript. "Buy on WhatsApp" opens a chat with the desk
(HUNAR_DESK_WHATSAPP), never with the artisan: no artisan's phone number appears on a public page.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

import yaml
from flask import Blueprint, abort, current_app, render_template, request

from db.models import Artisan, Listing, Photo
from marketplace import builder, catalog, english, freshness, structured_data, vocabulary
from marketplace.abroad import abroad_price, cache_part
from marketplace.listings import photos_by_listing
from marketplace.money import rupees

bp = Blueprint("storefront", __name__, template_folder="templates")
LANGS = ("hi", "en")
MAX_PAGE = 100_000  # far past any real catalogue, and well inside every database's integer range
MAX_FILTER = 80  # characters of a text filter worth reading


@lru_cache(maxsize=None)
def words() -> dict:
    return yaml.safe_load((Path(__file__).parent / "data" / "storefront.yml").read_text(encoding="utf-8"))


def _lang() -> str:
    lang = request.args.get("lang", "hi")
    return lang if lang in LANGS else "hi"


def _services():
    return current_app.extensions["hunar"]


def _base_url() -> str:
    return str(_services().settings.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")


def _photos(photos: list[Photo]) -> list[dict]:
    """Each photo's JPEG and WebP derivatives, for <picture> with srcset."""
    store = _services().media_store
    return [_picture(photo.files, store) for photo in photos if "main" in (photo.files or {})]


def _picture(files: dict, store) -> dict:
    """One photo: the medium size shown, the main size to open, and every size in srcset (JPEG and WebP)."""
    def url(name):
        return store.url(files[name]["key"]) if name in files else None

    shown = files.get("medium", files["main"])
    sizes = [(n, files[n]["width"]) for n in ("thumb", "medium", "main") if n in files]
    return {
        "src": url("medium") or url("main"), "main": url("main"), "thumb": url("thumb") or url("main"),
        "width": shown["width"], "height": shown["height"],
        "srcset": ", ".join(f"{url(n)} {w}w" for n, w in sizes),
        "srcset_webp": ", ".join(f"{url(n + '_webp')} {w}w" for n, w in sizes if n + "_webp" in files),
    }


def _said(pair: dict, *langs: str):
    """The first side of a {"hi", "en"} pair that says something, trying `langs` in order (None if none does)."""
    return next((pair[lang] for lang in langs if pair.get(lang)), None)


def card(listing: Listing, artisan: Artisan | None, photos: list[Photo], lang: str) -> dict:
    """What a page shows of one listing, from the listing, its artisan and its photos (no queries)."""
    return {
        "id": listing.id,
        "title": _said(listing.title or {}, lang, "en") or "",
        "description": (listing.description or {}).get(lang) or "",
        "price": rupees(listing.price_amount),
        "price_amount": listing.price_amount,
        "per": _per(listing, lang),
        "abroad": abroad_price(listing, _services().settings, words()[lang], lang),
        "quantity": listing.quantity,
        "sold_out": not catalog.in_stock(listing),
        "photos": _photos(photos),
        "artisan": _maker(artisan, lang),
        "product": builder.pair((listing.fields or {}).get("product")),
    }


def _per(listing: Listing, lang: str) -> str:
    """"per piece", "per pair" (in `lang`): what one price is for."""
    unit = listing.price_per or "piece"
    return words()[lang]["per"].format(per=vocabulary.table("per").get(unit, {}).get(lang, listing.price_per))


def _maker(artisan: Artisan | None, lang: str) -> dict | None:
    """Who made it, as a card shows them: id, name and district (in `lang` when the list knows it)."""
    if artisan is None:
        return None
    place = builder.district(artisan.district)
    return {"id": artisan.id, "name": _name(artisan.name, lang), "district": _said(place, lang, "en", "hi")}


def _name(name: str | None, lang: str) -> str | None:
    """The artisan's name as the page's language writes it: in Roman letters on English pages."""
    return english.name_en(name) if name and lang == "en" else name


def cards(session, rows, lang: str) -> list[dict]:
    """Cards for (listing, artisan) rows, with all their photos loaded in one query."""
    photos = photos_by_listing(session, [listing.id for listing, _ in rows])
    return [card(listing, artisan, photos[listing.id], lang) for listing, artisan in rows]


def buy_link(title: str, url: str, lang: str) -> str | None:
    """wa.me link to the desk with the product named; None when no desk number is configured."""
    number = re.sub(r"\D", "", str(_services().settings.get("DESK_WHATSAPP") or ""))
    if not number:
        return None
    text = words()[lang]["buy_message"].format(title=title, url=url)
    return f"https://wa.me/{number}?text={quote(text)}"


def _html(template: str, lang: str, args: dict, **context) -> str:
    """A rendered page; `args` are its query's known arguments, kept by the language switch and page links."""
    other = "en" if lang == "hi" else "hi"
    return render_template(template, lang=lang, t=words()[lang],
                           other_lang_url=f"{request.path}?{urlencode({**args, 'lang': other})}",
                           base_url=_base_url(), **context)


def _respond(html: str):
    resp = current_app.make_response(html)
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


def _pager(page: catalog.Page, args: dict, lang: str) -> dict:
    """Links to the previous and next pages, keeping the filters."""
    def link(number):
        query = {**args, **({"lang": lang} if lang != "hi" else {}), "page": number}
        return f"{request.path}?{urlencode(query)}"

    return {"number": page.number, "last": page.last, "total": page.total,
            "prev": link(page.number - 1) if page.number > 1 else None,
            "next": link(page.number + 1) if page.number < page.last else None}


def _page_number() -> int:
    """?page=, a whole number from 1; anything else is refused (400), past the last page is a 404 later."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        abort(400, f"page is a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def _page_arg(number: int) -> dict:
    """The page in a query: left out for the first page."""
    return {"page": number} if number > 1 else {}


@bp.get("/listings/<int:listing_id>")
def listing_page(listing_id: int):
    lang = _lang()
    with _services().db.session() as session:
        listing = catalog.public(session, listing_id)
        if listing is None:
            abort(404)
        item, more = _with_more(session, listing, lang)
        sku = listing.sku or builder.sku(listing.id)
    url = f"{_base_url()}/listings/{listing_id}" + ("?lang=en" if lang == "en" else "")
    return _respond(_html("storefront/listing.html", lang, {}, item=item, more=more, url=url,
                          buy=None if item["sold_out"] else buy_link(item["title"], url, lang),
                          product_jsonld=structured_data.product_script(item, url, sku)))


def _with_more(session, listing: Listing, lang: str) -> tuple[dict, list[dict]]:
    """The listing's card and up to six more by the same artisan, their photos loaded in one query."""
    artisan = session.get(Artisan, listing.artisan_id)
    others = [other for other in catalog.published(session, artisan=listing.artisan_id, limit=7)
              if other.id != listing.id][:6]
    photos = photos_by_listing(session, [listing.id] + [other.id for other in others])
    return (card(listing, artisan, photos[listing.id], lang),
            [card(other, artisan, photos[other.id], lang) for other in others])


@bp.get("/artisans/<int:artisan_id>")
def artisan_page(artisan_id: int):
    lang = _lang()
    number = _page_number()

    def render() -> str:
        with _services().db.session() as session:
            artisan = session.get(Artisan, artisan_id)
            if artisan is None or artisan.deleted_at is not None:
                abort(404)
            page = catalog.page(session, number=number, artisan=artisan_id, statuses=catalog.PUBLIC)
            if not page.total or number > page.last:
                abort(404)
            items = cards(session, page.rows, lang)
            about = _about(artisan, lang)
        return _html("storefront/artisan.html", lang, _page_arg(number), items=items, pager=_pager(page, {}, lang),
                     url=f"{_base_url()}/artisans/{artisan_id}", **about)

    parts = {"path": request.path, "lang": lang, "page": number, **cache_part(_services().settings, lang)}
    return _respond(freshness.cached(_services(), "page", parts, freshness.PAGE_TTL, render))


def _about(artisan: Artisan, lang: str) -> dict:
    """An artisan page's heading: name, district and craft (in `lang` when known)."""
    return {"name": _name(artisan.name, lang), "district": _said(builder.district(artisan.district), lang, "en", "hi"),
            "craft": _said(builder.pair(artisan.craft), lang, "hi", "en")}


def _price(name: str) -> float | None:
    """A price bound: ignored when it is not a number or is negative; a non-finite one is refused (400)."""
    try:
        value = float(request.args.get(name, ""))
    except ValueError:
        return None
    if not math.isfinite(value):
        abort(400, f"{name} must be a finite number of rupees")
    return value if value >= 0 else None


def _facets() -> dict:
    """The filter menus, computed at most once a minute (and after each change) by one of the web processes."""
    def make() -> str:
        with _services().db.session() as session:
            return json.dumps(catalog.facets(session), ensure_ascii=False)

    return json.loads(freshness.cached(_services(), "facets", {}, freshness.FACETS_TTL, make))


def _known(facets: dict, chosen: dict) -> bool:
    """Whether every text filter is one of the menus' values (only such pages are cached: a bounded set)."""
    return all(not wanted or wanted.lower() in _menu(facets[name]) for name, wanted in chosen.items())


def _menu(values: list[dict]) -> set[str]:
    """Every side of a filter menu's {"hi", "en"} values, in lower case."""
    return {(side or "").lower() for pair in values for side in pair.values()}


def _text_filters() -> dict:
    """?product=, ?material=, ?district=: trimmed, in lower case, cut to MAX_FILTER; None when not given."""
    return {name: (request.args.get(name) or "").strip().lower()[:MAX_FILTER] or None
            for name in ("product", "material", "district")}


@bp.get("/catalogue")
def catalogue():
    lang = _lang()
    chosen = _text_filters()
    low, high = _price("min"), _price("max")
    number = _page_number()
    facets = _facets()
    filters = {k: v for k, v in {**chosen, "min": low, "max": high}.items() if v is not None}

    def render() -> str:
        with _services().db.session() as session:
            page = catalog.page(session, number=number, min_price=low, max_price=high, **chosen)
            if number > page.last:
                abort(404)
            items = cards(session, page.rows, lang)
        return _html("storefront/catalogue.html", lang, {**filters, **_page_arg(number)}, items=items, facets=facets,
                     chosen=chosen, low=low, high=high, pager=_pager(page, filters, lang),
                     url=f"{_base_url()}/catalogue")

    if low is None and high is None and _known(facets, chosen):
        parts = {"path": request.path, "lang": lang, **filters, **_page_arg(number),
                 **cache_part(_services().settings, lang)}
        return _respond(freshness.cached(_services(), "page", parts, freshness.PAGE_TTL, render))
    return _respond(render())  # a price range or an unknown word: rendered each time, still one bounded page
