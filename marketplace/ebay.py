"""EbayPublisher: the only module that talks to eBay (Sell Inventory API v1, OAuth refresh-token flow).

Flow (docs/marketplace.md, "eBay"): once, an inventory location in India; per listing, createOrReplaceInventoryItem
→ createOffer (or updateOffer) → publishOffer; withdrawOffer when sold out or withdrawn. eBay's errors become
PublishError with a reason staff can act on, in one place (`_error`).
"""
from __future__ import annotations

import html
import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

import requests
import yaml

from marketplace.builder import LIMITS, shorten
from marketplace.channels import PublishError, UnconfiguredPublisher

log = logging.getLogger("hunar.ebay")

SCOPE = "https://api.ebay.com/oauth/api_scope/sell.inventory"
INVENTORY = "/sell/inventory/v1"
TOKEN = "/identity/v1/oauth2/token"
CURRENCIES = {"EBAY_US": "USD", "EBAY_MOTORS_US": "USD"}  # INR→USD is the one rate Hunar is configured with
REQUIRED = ("EBAY_CLIENT_ID", "EBAY_CLIENT_SECRET", "EBAY_REFRESH_TOKEN", "EBAY_CATEGORY_ID",
            "EBAY_FULFILLMENT_POLICY_ID", "EBAY_PAYMENT_POLICY_ID", "EBAY_RETURN_POLICY_ID")
MIN_IMAGE_SIDE = 500  # eBay picture policy: at least 500 px on the longest side
MAX_IMAGES = 24


@lru_cache(maxsize=None)
def error_table() -> dict:
    return yaml.safe_load((Path(__file__).parent / "data" / "ebay_errors.yml").read_text(encoding="utf-8"))


def publisher_from(settings: dict, **kwargs):
    """An EbayPublisher, or a stand-in that names the missing settings."""
    missing = [f"HUNAR_{key}" for key in REQUIRED if not settings.get(key)]
    if missing:
        return UnconfiguredPublisher("ebay", missing)
    return EbayPublisher(settings, **kwargs)


class EbayPublisher:
    """Publishes listings to one eBay marketplace through the Inventory API."""

    name = "ebay"

    def __init__(self, settings: dict, *, http: requests.Session | None = None,
                 clock: Callable[[], float] = time.time):
        self.s = settings
        self.base = str(settings["EBAY_API_BASE"]).rstrip("/")
        self.http = http or requests.Session()
        self.clock = clock
        self.timeout = float(settings.get("EBAY_TIMEOUT_SECONDS") or 20)
        self.marketplace = settings.get("EBAY_MARKETPLACE") or "EBAY_US"
        self.location_key = str(settings.get("EBAY_LOCATION_KEY") or "hunar-haryana")[:36]
        self._token: tuple[str, float] | None = None
        self._location_ready = False

    # --- the channel ----------------------------------------------------------------------------

    def publish(self, item: dict, state: dict) -> dict:
        """Create or update the item and its offer, and make sure the offer is live."""
        sku = item["sku"]
        self._ensure_location()
        self._call("PUT", f"/inventory_item/{sku}", self._inventory_item(item))
        offer = self._offer(item)
        offer_id = state.get("offer_id") or self._existing_offer(sku)
        if offer_id:
            self._call("PUT", f"/offer/{offer_id}", {k: v for k, v in offer.items()
                                                      if k not in ("sku", "marketplaceId", "format")})
        else:
            offer_id = self._call("POST", "/offer", offer)["offerId"]
        listing_id = state.get("listing_id")
        if state.get("status") != "published" or not listing_id:
            listing_id = self._call("POST", f"/offer/{offer_id}/publish")["listingId"]
        return {"status": "published", "sku": sku, "offer_id": offer_id, "listing_id": listing_id,
                "marketplace": self.marketplace, "price": offer["pricingSummary"]["price"],
                "quantity": offer["availableQuantity"]}

    def withdraw(self, item: dict, state: dict) -> dict:
        """End the eBay listing; the offer stays, so publishing again later reuses it."""
        offer_id = state.get("offer_id")
        if offer_id:
            try:
                self._call("POST", f"/offer/{offer_id}/withdraw")
            except PublishError as exc:
                if exc.code not in ("not_published", "not_found"):
                    raise
        return {**{k: v for k, v in state.items() if k != "error"}, "status": "withdrawn"}

    # --- request bodies -------------------------------------------------------------------------

    def _inventory_item(self, item: dict) -> dict:
        images = [i["url"] for i in item.get("images", [])
                  if i["url"].startswith("https://") and max(i.get("width") or 0, i.get("height") or 0) >= MIN_IMAGE_SIDE]
        if not images:
            raise PublishError("pictures", "eBay needs at least one photo over HTTPS, 500 px or larger "
                                           "(is HUNAR_PUBLIC_BASE_URL an https:// address?)")
        title = item["title"]["en"] or ""
        if len(title) > LIMITS["ebay"]["title"]:
            title = shorten(title, LIMITS["ebay"]["title"])
        return {
            "product": {
                "title": title,
                "description": _html(item["description"]["en"] or title, LIMITS["ebay"]["description"]),
                "aspects": {"Brand": ["Unbranded"], **item.get("specifics", {})},
                "brand": "Unbranded",
                "mpn": "Does not apply",
                "imageUrls": images[:MAX_IMAGES],
            },
            "condition": "NEW",
            "availability": {"shipToLocationAvailability": {"quantity": _quantity(item)}},
        }

    def _offer(self, item: dict) -> dict:
        return {
            "sku": item["sku"],
            "marketplaceId": self.marketplace,
            "format": "FIXED_PRICE",
            "availableQuantity": _quantity(item),
            "categoryId": self._category(item),
            "listingDuration": "GTC",
            "listingPolicies": {"fulfillmentPolicyId": str(self.s["EBAY_FULFILLMENT_POLICY_ID"]),
                                "paymentPolicyId": str(self.s["EBAY_PAYMENT_POLICY_ID"]),
                                "returnPolicyId": str(self.s["EBAY_RETURN_POLICY_ID"])},
            "merchantLocationKey": self.location_key,
            "pricingSummary": {"price": self._price(item)},
        }

    def _price(self, item: dict) -> dict:
        currency = CURRENCIES.get(self.marketplace)
        if currency is None:
            raise PublishError("currency", f"Hunar converts INR to USD only; {self.marketplace} is not supported")
        rate = float(self.s.get("INR_PER_USD") or 0)
        if rate <= 0:
            raise PublishError("currency", "set HUNAR_INR_PER_USD to convert prices")
        amount = float(item["price"]["amount"] or 0) / rate
        if amount < 0.99:
            raise PublishError("price", f"₹{item['price']['amount']} is under eBay's lowest price (0.99 USD)")
        return {"value": f"{amount:.2f}", "currency": currency}

    def _category(self, item: dict) -> str:
        """One category id, or a map from the builder's product category to ids (with a "default")."""
        setting = self.s["EBAY_CATEGORY_ID"]
        if isinstance(setting, dict):
            from marketplace.builder import product_entry

            kind = (product_entry({"product": item.get("product")}) or {}).get("category")
            setting = setting.get(kind) or setting.get("default")
            if not setting:
                raise PublishError("category", f"no eBay category for {kind or 'this product'} in HUNAR_EBAY_CATEGORY_ID")
        return str(setting)

    # --- the wire -------------------------------------------------------------------------------

    def _ensure_location(self) -> None:
        """Create our inventory location (country IN) once; eBay answers 409 when it already exists."""
        if self._location_ready:
            return
        body = {"location": {"address": {"city": str(self.s.get("EBAY_LOCATION_CITY") or "Panipat"),
                                         "stateOrProvince": "Haryana", "country": "IN"}},
                "locationTypes": ["WAREHOUSE"], "name": "Hunar artisans, Haryana",
                "merchantLocationStatus": "ENABLED"}
        try:
            self._call("POST", f"/location/{self.location_key}", body, language=False)
        except PublishError as exc:
            if exc.code != "exists":
                raise
        self._location_ready = True

    def _existing_offer(self, sku: str) -> str | None:
        """The offer for this SKU on our marketplace, if one was made before (state lost or made elsewhere)."""
        try:
            found = self._call("GET", "/offer", params={"sku": sku, "marketplace_id": self.marketplace})
        except PublishError as exc:
            if exc.code in ("not_found", "not_published"):  # eBay answers 404 / 25713 when there is none
                return None
            raise
        offers = found.get("offers") or []
        return offers[0].get("offerId") if offers else None

    def token(self) -> str:
        """A user access token from the refresh token, cached until a minute before it expires."""
        if self._token and self._token[1] > self.clock():
            return self._token[0]
        try:
            resp = self.http.post(self.base + TOKEN, auth=(self.s["EBAY_CLIENT_ID"], self.s["EBAY_CLIENT_SECRET"]),
                                  data={"grant_type": "refresh_token", "refresh_token": self.s["EBAY_REFRESH_TOKEN"],
                                        "scope": SCOPE}, timeout=self.timeout)
        except requests.RequestException as exc:
            raise PublishError("network", "could not reach eBay; will try again", retry=True, detail=str(exc))
        if resp.status_code != 200:
            raise PublishError("auth", "eBay refused Hunar's login: renew HUNAR_EBAY_REFRESH_TOKEN "
                                       "(the seller must consent again) or check the client id and secret",
                               detail=resp.text)
        data = resp.json()
        self._token = (data["access_token"], self.clock() + int(data.get("expires_in", 7200)) - 60)
        return self._token[0]

    def _call(self, method: str, path: str, body: dict | None = None, *, params: dict | None = None,
              language: bool = True, again: bool = True) -> dict:
        headers = {"Authorization": f"Bearer {self.token()}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            if language:
                headers["Content-Language"] = "en-US"
        try:
            resp = self.http.request(method, self.base + INVENTORY + path, json=body, params=params,
                                     headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise PublishError("network", "could not reach eBay; will try again", retry=True, detail=str(exc))
        if resp.status_code == 401 and again:  # token revoked or expired early: one fresh try
            self._token = None
            return self._call(method, path, body, params=params, language=language, again=False)
        if resp.status_code >= 400:
            raise _error(resp)
        if resp.status_code == 204 or not resp.content:
            return {}
        return resp.json()


def _error(resp: requests.Response) -> PublishError:
    """eBay's error body as one PublishError with a reason from data/ebay_errors.yml."""
    try:
        errors = resp.json().get("errors") or []
    except ValueError:
        errors = []
    first = errors[0] if errors else {}
    message = first.get("longMessage") or first.get("message") or resp.reason or ""
    known = error_table().get(first.get("errorId"))
    if known:
        return PublishError(known["code"], known["reason"].format(message=message), retry=known["retry"],
                            detail=f"{first.get('errorId')}: {message}")
    if resp.status_code == 409:
        return PublishError("exists", "already exists on eBay", detail=message)
    if resp.status_code == 404:
        return PublishError("not_found", "eBay does not know this item or offer", detail=message)
    if resp.status_code == 401:
        return PublishError("auth", "eBay refused Hunar's login: renew HUNAR_EBAY_REFRESH_TOKEN", detail=message)
    if resp.status_code == 429:
        return PublishError("rate_limited", "eBay asked Hunar to slow down; will try again", retry=True)
    if resp.status_code >= 500:
        return PublishError("ebay_down", "eBay is having trouble; will try again", retry=True, detail=message)
    return PublishError("rejected", f"eBay refused the request: {message}",
                        detail=f"{first.get('errorId')}: {message}")


def _quantity(item: dict) -> int:
    return max(int(item.get("quantity") or 1), 1)


def _html(text: str, limit: int) -> str:
    """Plain text as eBay's basic HTML (paragraph breaks as <br>), within `limit` after escaping."""
    out = html.escape(text).replace("\n", "<br>")
    while len(out) > limit:
        text = shorten(text, len(text) - (len(out) - limit) - 1)
        out = html.escape(text).replace("\n", "<br>")
    return out
