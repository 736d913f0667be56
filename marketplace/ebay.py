"""EbayPublisher: the only module that talks to eBay (Sell Inventory API v1, OAuth refresh-token flow).

Flow (eBay's "inventory item to offer" guide): once, an inventory location in India; per listing,
createOrReplaceInventoryItem (full replace: every field is sent again on each update) → createOffer (or
updateOffer) → publishOffer; withdrawOffer when sold out or withdrawn. Calls that carry a body say
Content-Language en-US, which eBay requires. eBay's errors become PublishError with a reason staff can act on,
in one place (`_error`). The bodies sent are made in marketplace/ebay_listing.py.
"""
from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

import requests
import yaml

from marketplace import ebay_listing
from marketplace.channels import PublishError, UnconfiguredPublisher
from marketplace.ebay_listing import setting

SCOPE = "https://api.ebay.com/oauth/api_scope/sell.inventory"
INVENTORY = "/sell/inventory/v1"
TOKEN = "/identity/v1/oauth2/token"
REQUIRED = ("EBAY_CLIENT_ID", "EBAY_CLIENT_SECRET", "EBAY_REFRESH_TOKEN", "EBAY_CATEGORY_ID",
            "EBAY_FULFILLMENT_POLICY_ID", "EBAY_PAYMENT_POLICY_ID", "EBAY_RETURN_POLICY_ID")
OFFER_KEYS = ("sku", "marketplaceId", "format")  # an offer's identity: sent on create, never on update


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
        self.settings = settings
        self.base = str(settings["EBAY_API_BASE"]).rstrip("/")
        self.http = http or requests.Session()
        self.clock = clock
        self.timeout = float(setting(settings, "EBAY_TIMEOUT_SECONDS"))
        self.marketplace = setting(settings, "EBAY_MARKETPLACE")
        self.location_key = ebay_listing.location_key(settings)
        self._token: tuple[str, float] | None = None
        self._location_ready = False

    # --- the channel ----------------------------------------------------------------------------

    def publish(self, item: dict, state: dict) -> dict:
        """Create or update the item and its offer, and make sure the offer is live."""
        sku = item["sku"]
        self._ensure_location()
        self._call("PUT", f"/inventory_item/{sku}", ebay_listing.inventory_item(item))
        offer = ebay_listing.offer(item, self.settings)
        offer_id = self._put_offer(offer, state.get("offer_id") or self._existing_offer(sku))
        listing_id = state.get("listing_id")
        if state.get("status") != "published" or not listing_id:
            listing_id = self._call("POST", f"/offer/{offer_id}/publish")["listingId"]
        return {"status": "published", "sku": sku, "offer_id": offer_id, "listing_id": listing_id,
                "marketplace": self.marketplace, "price": offer["pricingSummary"]["price"],
                "quantity": offer["availableQuantity"]}

    def _put_offer(self, offer: dict, offer_id: str | None) -> str:
        """Update the offer we have (its keys cannot change), or create one; returns its id."""
        if not offer_id:
            return self._call("POST", "/offer", offer)["offerId"]
        self._call("PUT", f"/offer/{offer_id}", {k: v for k, v in offer.items() if k not in OFFER_KEYS})
        return offer_id

    def withdraw(self, item: dict, state: dict) -> dict:
        """End the eBay listing; the offer stays, so publishing again later reuses it."""
        if state.get("offer_id"):  # an offer that is not live, or gone, is as good as withdrawn
            self._call_unless(("not_published", "not_found"), "POST", f"/offer/{state['offer_id']}/withdraw")
        return {**{k: v for k, v in state.items() if k != "error"}, "status": "withdrawn"}

    # --- the wire -------------------------------------------------------------------------------

    def _ensure_location(self) -> None:
        """Create our inventory location (country IN) once; eBay answers 409 when it already exists."""
        if self._location_ready:
            return
        body = {"location": {"address": {"city": str(setting(self.settings, "EBAY_LOCATION_CITY")),
                                         "stateOrProvince": "Haryana", "country": "IN"}},
                "locationTypes": ["WAREHOUSE"], "name": "Hunar artisans, Haryana",
                "merchantLocationStatus": "ENABLED"}
        self._call_unless(("exists",), "POST", f"/location/{self.location_key}", body, language=False)
        self._location_ready = True

    def _existing_offer(self, sku: str) -> str | None:
        """The offer for this SKU on our marketplace, if one was made before (state lost or made elsewhere)."""
        found = self._call_unless(("not_found", "not_published"),  # eBay answers 404 / 25713 when there is none
                                  "GET", "/offer", params={"sku": sku, "marketplace_id": self.marketplace})
        offers = (found or {}).get("offers") or []
        return offers[0].get("offerId") if offers else None

    def token(self) -> str:
        """A user access token from the refresh token, cached until a minute before it expires."""
        if self._token and self._token[1] > self.clock():
            return self._token[0]
        resp = self._send("POST", self.base + TOKEN,
                          auth=(self.settings["EBAY_CLIENT_ID"], self.settings["EBAY_CLIENT_SECRET"]),
                          data={"grant_type": "refresh_token", "refresh_token": self.settings["EBAY_REFRESH_TOKEN"],
                                "scope": SCOPE})
        if resp.status_code != 200:
            raise PublishError("auth", "eBay refused Hunar's login: renew HUNAR_EBAY_REFRESH_TOKEN "
                                       "(the seller must consent again) or check the client id and secret",
                               detail=resp.text)
        data = resp.json()
        self._token = (data["access_token"], self.clock() + int(data.get("expires_in", 7200)) - 60)
        return self._token[0]

    def _send(self, method: str, url: str, **options) -> requests.Response:
        """One HTTP request; a network failure becomes a PublishError worth retrying."""
        try:
            return self.http.request(method, url, timeout=self.timeout, **options)
        except requests.RequestException as exc:
            raise PublishError("network", "could not reach eBay; will try again", retry=True, detail=str(exc))

    def _call_unless(self, codes: tuple[str, ...], method: str, path: str, body: dict | None = None,
                     **options) -> dict | None:
        """`_call`, where an error with one of `codes` means there is nothing to do (None)."""
        try:
            return self._call(method, path, body, **options)
        except PublishError as exc:
            if exc.code in codes:
                return None
            raise

    def _call(self, method: str, path: str, body: dict | None = None, *, params: dict | None = None,
              language: bool = True, again: bool = True) -> dict:
        headers = {"Authorization": f"Bearer {self.token()}", "Accept": "application/json",
                   **_body_headers(body, language)}
        resp = self._send(method, self.base + INVENTORY + path, json=body, params=params, headers=headers)
        if resp.status_code == 401 and again:  # token revoked or expired early: one fresh try
            self._token = None
            return self._call(method, path, body, params=params, language=language, again=False)
        return _answer(resp)


def _body_headers(body: dict | None, language: bool) -> dict:
    """A JSON body's headers; eBay requires Content-Language on calls that create or replace."""
    if body is None:
        return {}
    return {"Content-Type": "application/json", **({"Content-Language": "en-US"} if language else {})}


def _answer(resp: requests.Response) -> dict:
    """eBay's JSON answer ({} when there is none), or its error raised as a PublishError."""
    if resp.status_code >= 400:
        raise _error(resp)
    if resp.status_code == 204 or not resp.content:
        return {}
    return resp.json()


# What an HTTP status means when eBay's error id is not in data/ebay_errors.yml: code, reason, retry, and
# whether eBay's message is kept as the detail. 500 stands for every 5xx.
STATUSES = {
    409: ("exists", "already exists on eBay", False, True),
    404: ("not_found", "eBay does not know this item or offer", False, True),
    401: ("auth", "eBay refused Hunar's login: renew HUNAR_EBAY_REFRESH_TOKEN", False, True),
    429: ("rate_limited", "eBay asked Hunar to slow down; will try again", True, False),
    500: ("ebay_down", "eBay is having trouble; will try again", True, True),
}


def _error(resp: requests.Response) -> PublishError:
    """eBay's error body as one PublishError with a reason from data/ebay_errors.yml (or from the status)."""
    first = _first_error(resp)
    error_id, message = first.get("errorId"), _message(first, resp)
    known = error_table().get(error_id)
    if known:
        return PublishError(known["code"], known["reason"].format(message=message), retry=known["retry"],
                            detail=f"{error_id}: {message}")
    status = STATUSES.get(500 if resp.status_code >= 500 else resp.status_code)
    if status:
        code, reason, retry, keep = status
        return PublishError(code, reason, retry=retry, detail=message if keep else None)
    return PublishError("rejected", f"eBay refused the request: {message}", detail=f"{error_id}: {message}")


def _message(error: dict, resp: requests.Response) -> str:
    return error.get("longMessage") or error.get("message") or resp.reason or ""


def _first_error(resp: requests.Response) -> dict:
    """The first of eBay's errors ({} when the body has none, or is not JSON)."""
    try:
        errors = resp.json().get("errors") or []
    except ValueError:
        errors = []
    return errors[0] if errors else {}
