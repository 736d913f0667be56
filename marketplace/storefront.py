"""The public storefront: a page per listing and per artisan, and a filterable catalogue, in Hindi and English.

Mobile-first server-rendered HTML, no JavaScript. "Buy on WhatsApp" opens a chat with the desk
(HUNAR_DESK_WHATSAPP), never with the artisan: no artisan's phone number appears on a public page.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

import yaml
from flask import Blueprint, abort, current_app, render_template, request

from db.models import Artisan, Listing
from marketplace import builder, catalog
from marketplace.listings import photos_of
from marketplace.money import rupees

bp = Blueprint("storefront", __name__, template_folder="templates")
LANGS = ("hi", "en")


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


def _photos(session, listing_id: int) -> list[dict]:
    """Each photo's JPEG and WebP derivatives, for <picture> with srcset."""
    store = _services().media_store
    out = []
    for photo in photos_of(session, listing_id):
        files = photo.files or {}
        if "main" not in files:
            continue

        def url(name):
            return store.url(files[name]["key"]) if name in files else None

        sizes = [(n, files[n]["width"]) for n in ("thumb", "medium", "main") if n in files]
        out.append({
            "src": url("medium") or url("main"), "main": url("main"), "thumb": url("thumb") or url("main"),
            "width": files.get("medium", files["main"])["width"], "height": files.get("medium", files["main"])["height"],
            "srcset": ", ".join(f"{url(n)} {w}w" for n, w in sizes),
            "srcset_webp": ", ".join(f"{url(n + '_webp')} {w}w" for n, w in sizes if n + "_webp" in files),
        })
    return out


def card(session, listing: Listing, lang: str) -> dict:
    """What a page shows of one listing."""
    fields = listing.fields or {}
    vocab = builder.vocabulary()
    per = vocab["per"].get(listing.price_per or "piece", {}).get(lang, listing.price_per)
    artisan = session.get(Artisan, listing.artisan_id)
    place = builder.district(artisan.district if artisan else None)
    return {
        "id": listing.id,
        "title": (listing.title or {}).get(lang) or (listing.title or {}).get("en") or "",
        "description": (listing.description or {}).get(lang) or "",
        "price": rupees(listing.price_amount),
        "price_amount": listing.price_amount,
        "per": words()[lang]["per"].format(per=per),
        "quantity": listing.quantity,
        "sold_out": not catalog.in_stock(listing),
        "photos": _photos(session, listing.id),
        "artisan": {"id": artisan.id, "name": artisan.name,
                    "district": place[lang] or place["en"] or place["hi"]} if artisan else None,
        "product": builder.pair(fields.get("product")),
    }


def buy_link(title: str, url: str, lang: str) -> str | None:
    """wa.me link to the desk with the product named; None when no desk number is configured."""
    number = re.sub(r"\D", "", str(_services().settings.get("DESK_WHATSAPP") or ""))
    if not number:
        return None
    text = words()[lang]["buy_message"].format(title=title, url=url)
    return f"https://wa.me/{number}?text={quote(text)}"


def _page(template: str, lang: str, **context):
    other = "en" if lang == "hi" else "hi"
    args = {**request.args.to_dict(), "lang": other}
    resp = current_app.make_response(render_template(
        template, lang=lang, t=words()[lang], other_lang_url=f"{request.path}?{urlencode(args)}",
        base_url=_base_url(), **context))
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@bp.get("/listings/<int:listing_id>")
def listing_page(listing_id: int):
    lang = _lang()
    with _services().db.session() as session:
        listing = session.get(Listing, listing_id)
        if listing is None or listing.status not in catalog.PUBLIC:
            abort(404)
        item = card(session, listing, lang)
        more = [card(session, other, lang) for other in catalog.published(session, artisan=listing.artisan_id)
                if other.id != listing.id][:6]
    url = f"{_base_url()}/listings/{listing_id}" + ("?lang=en" if lang == "en" else "")
    return _page("storefront/listing.html", lang, item=item, more=more, url=url,
                 buy=None if item["sold_out"] else buy_link(item["title"], url, lang))


@bp.get("/artisans/<int:artisan_id>")
def artisan_page(artisan_id: int):
    lang = _lang()
    with _services().db.session() as session:
        artisan = session.get(Artisan, artisan_id)
        if artisan is None or artisan.deleted_at is not None:
            abort(404)
        items = [card(session, listing, lang) for listing in
                 catalog.published(session, artisan=artisan_id, statuses=catalog.PUBLIC)]
        if not items:
            abort(404)
        place = builder.district(artisan.district)
        craft = builder.pair(artisan.craft)
    return _page("storefront/artisan.html", lang, items=items, name=artisan.name,
                 district=place[lang] or place["en"] or place["hi"], craft=craft[lang] or craft["hi"] or craft["en"],
                 url=f"{_base_url()}/artisans/{artisan_id}")


def _number(name: str) -> float | None:
    try:
        value = float(request.args.get(name, ""))
    except ValueError:
        return None
    return value if value >= 0 else None


@bp.get("/catalogue")
def catalogue():
    lang = _lang()
    chosen = {name: request.args.get(name) or None for name in ("product", "material", "district")}
    low, high = _number("min"), _number("max")
    with _services().db.session() as session:
        items = [card(session, listing, lang) for listing in
                 catalog.published(session, min_price=low, max_price=high, **chosen)]
        facets = catalog.facets(session)
    return _page("storefront/catalogue.html", lang, items=items, facets=facets, chosen=chosen, low=low, high=high,
                 url=f"{_base_url()}/catalogue")
