"""Fakes eBay on 127.0.0.1: its OAuth token endpoint and Sell Inventory API, answering like eBay."""
from __future__ import annotations

import base64
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

INVENTORY = "/sell/inventory/v1"


def ebay_error(error_id: int, message: str, status: int = 400) -> tuple[int, dict]:
    return status, {"errors": [{"errorId": error_id, "domain": "API_INVENTORY", "category": "REQUEST",
                                "message": message, "longMessage": message}]}


class FakeEbay:
    """Records every request; keeps items, offers and locations; `fail[operation] = (status, body)` injects errors."""

    def __init__(self, client_id="hunar-app", client_secret="s3cret", refresh_token="v^1.1#refresh"):
        self.client_id, self.client_secret, self.refresh_token = client_id, client_secret, refresh_token
        self.requests: list[dict] = []
        self.items: dict[str, dict] = {}
        self.offers: dict[str, dict] = {}
        self.locations: dict[str, dict] = {}
        self.tokens: list[str] = []
        self.fail: dict[str, tuple[int, dict]] = {}
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _do(self):
                fake.handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = _do

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def calls(self, kind: str | None = None) -> list[str]:
        """"METHOD /path" of each Inventory API request (the token calls as "TOKEN")."""
        return [r["op"] for r in self.requests if kind is None or r["op"].startswith(kind)]

    # --- the server side ------------------------------------------------------------------------

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        url = urlsplit(h.path)
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        record = {"method": h.command, "path": url.path, "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                  "headers": dict(h.headers.items()), "raw": raw}
        if url.path == "/identity/v1/oauth2/token":
            record["op"] = "TOKEN"
            self.requests.append(record)
            return self._reply(h, *self.token(h, raw))
        local = url.path[len(INVENTORY):] if url.path.startswith(INVENTORY) else url.path
        record["op"] = f"{h.command} {local}"
        record["body"] = json.loads(raw) if raw else None
        self.requests.append(record)
        if h.headers.get("Authorization") != f"Bearer {self.tokens[-1] if self.tokens else ''}":
            return self._reply(h, *ebay_error(1001, "Invalid access token", 401))
        status, body = self.route(h.command, local, record)
        self._reply(h, status, body)

    def token(self, h, raw: bytes) -> tuple[int, dict]:
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        expected = "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if h.headers.get("Authorization") != expected:
            return 401, {"error": "invalid_client", "error_description": "client authentication failed"}
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
            return 400, {"error": "invalid_grant", "error_description": "the provided authorization grant is invalid"}
        self.tokens.append(f"v^1.1#access{len(self.tokens) + 1}")
        return 200, {"access_token": self.tokens[-1], "expires_in": 7200, "token_type": "User Access Token"}

    def route(self, method: str, path: str, record: dict) -> tuple[int, dict | None]:
        parts = path.strip("/").split("/")
        op = f"{method} {parts[0]}" + (f" {parts[2]}" if len(parts) > 2 else "")
        if op in self.fail:
            return self.fail[op]
        body = record["body"]
        if method == "POST" and parts[0] == "location":
            if parts[1] in self.locations:
                return ebay_error(25803, "Location already exists", 409)
            self.locations[parts[1]] = body
            return 204, None
        if method == "PUT" and parts[0] == "inventory_item":
            created = parts[1] not in self.items
            self.items[parts[1]] = body
            return (201 if created else 204), None
        if method == "GET" and path == "/offer":
            found = [{"offerId": i, **o} for i, o in self.offers.items() if o["sku"] == record["query"].get("sku")]
            return (200, {"offers": found, "total": len(found)}) if found else ebay_error(25713, "This Offer is not available.", 404)
        if method == "POST" and path == "/offer":
            if any(o["sku"] == body["sku"] for o in self.offers.values()):
                return ebay_error(25002, "Offer entity already exists.")
            offer_id = str(9000000 + next(self._ids))
            self.offers[offer_id] = {**body, "status": "UNPUBLISHED"}
            return 201, {"offerId": offer_id}
        offer = self.offers.get(parts[1]) if parts[0] == "offer" and len(parts) > 1 else None
        if parts[0] == "offer" and offer is None:
            return ebay_error(25713, "This Offer is not available.", 404)
        if method == "PUT" and len(parts) == 2:
            self.offers[parts[1]] = {**body, "sku": offer["sku"], "marketplaceId": offer["marketplaceId"],
                                     "format": offer["format"], "status": offer["status"],
                                     **({"listingId": offer["listingId"]} if "listingId" in offer else {})}
            return 204, None
        if method == "POST" and parts[-1] == "publish":
            if offer["sku"] not in self.items:
                return ebay_error(25017, "No inventory item for this offer")
            offer["status"] = "PUBLISHED"
            offer.setdefault("listingId", str(110000000000 + next(self._ids)))
            return 200, {"listingId": offer["listingId"], "warnings": []}
        if method == "POST" and parts[-1] == "withdraw":
            if offer["status"] != "PUBLISHED":
                return ebay_error(25713, "This Offer is not published.", 404)
            offer["status"] = "UNPUBLISHED"
            return 200, {"listingId": offer["listingId"], "warnings": []}
        return ebay_error(2004, f"unsupported by the fake: {method} {path}", 404)

    @staticmethod
    def _reply(h, status: int, body) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        h.send_response(status)
        if data:
            h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
