"""A small OpenAPI 3 request checker for the eBay contract tests: path, method, headers, body against the spec.

eBay's spec states most limits only in prose ("<b>Max length</b>: 80"), so those are read from descriptions.
One known spec quirk: Product.aspects is typed "string" while its description (and the live API) take a map of
aspect name to a list of values; it is checked as that map, with eBay's limits (name ≤ 40, value ≤ 50).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

SPEC = Path(__file__).resolve().parent / "ebay_sell_inventory_v1_oas3.json"  # eBay's own; provenance beside it
MAX_LENGTH = re.compile(r"Max(?:imum)? length\s*(?:</b>|</strong>)?\s*:?\s*(?:</b>|</strong>)?\s*:?\s*([0-9,]+)", re.I)
TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict, "array": list}
ASPECTS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string", "maxLength": 50}},
           "x-max-name": 40}
QUIRKS = {("Product", "aspects"): ASPECTS}


class Spec:
    def __init__(self, path: Path = SPEC):
        self.doc = json.loads(path.read_text(encoding="utf-8"))
        self.base = self.doc["servers"][0]["variables"]["basePath"]["default"]  # /sell/inventory/v1
        self.routes = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), p) for p in self.doc["paths"]]

    def operation(self, method: str, path: str) -> tuple[str, dict]:
        """The spec's path template and operation for a request path (with the base path)."""
        assert path.startswith(self.base), f"{path} is outside {self.base}"
        local = path[len(self.base):]
        for pattern, template in self.routes:
            if pattern.match(local):
                op = self.doc["paths"][template].get(method.lower())
                assert op is not None, f"{method} {template} is not in eBay's spec"
                return template, op
        raise AssertionError(f"no path in eBay's spec matches {local}")

    def check(self, method: str, path: str, headers: dict, query: dict, body) -> list[str]:
        """Every way the request breaks the spec ([] when it conforms)."""
        template, op = self.operation(method, path)
        where = f"{method} {template}"
        problems = []
        names = {k.lower() for k in headers}
        declared_query = set()
        for param in op.get("parameters", []):
            if param["in"] == "header" and param.get("required") and param["name"].lower() not in names:
                problems.append(f"{where}: missing required header {param['name']}")
            if param["in"] == "query":
                declared_query.add(param["name"])
        problems += [f"{where}: undeclared query parameter {q}" for q in query if q not in declared_query]
        actual = path[len(self.base):].split("/")
        for i, segment in enumerate(template.split("/")):
            if segment.startswith("{"):
                param = next(p for p in op.get("parameters", []) if p["name"] == segment[1:-1])
                limit = _prose_limit(param)
                if limit and len(actual[i]) > limit:
                    problems.append(f"{where}: path parameter {segment} is {len(actual[i])} long, max {limit}")
        if "security" in op and not headers.get("Authorization", "").startswith("Bearer "):
            problems.append(f"{where}: no OAuth bearer token")
        content = (op.get("requestBody") or {}).get("content", {})
        if content:
            if body is None and op["requestBody"].get("required"):
                problems.append(f"{where}: request body required")
            if body is not None:
                problems += self.validate(content["application/json"]["schema"], body, where + " body")
        elif body is not None:
            problems.append(f"{where}: the spec takes no request body")
        return problems

    def resolve(self, schema: dict) -> tuple[dict, str | None]:
        name = None
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.doc["components"]["schemas"][name]
        return schema, name

    def validate(self, schema: dict, value, where: str) -> list[str]:
        schema, name = self.resolve(schema)
        kind = schema.get("type") or ("object" if "properties" in schema else None)
        if kind and not isinstance(value, TYPES[kind]) or (kind in ("integer", "number") and isinstance(value, bool)):
            return [f"{where}: {type(value).__name__} where the spec says {kind}"]
        problems = []
        limit = schema.get("maxLength") or _prose_limit(schema)
        if isinstance(value, str) and limit and len(value) > limit:
            problems.append(f"{where}: {len(value)} characters, max {limit}")
        if kind == "array":
            for i, item in enumerate(value):
                problems += self.validate(schema.get("items", {}), item, f"{where}[{i}]")
        if kind == "object":
            props = schema.get("properties", {})
            for key in schema.get("required", []):
                if key not in value:
                    problems.append(f"{where}: missing required {key}")
            for key, item in value.items():
                if name and (name, key) in QUIRKS:
                    problems += self.validate_map(QUIRKS[(name, key)], item, f"{where}.{key}")
                elif key in props:
                    problems += self.validate(props[key], item, f"{where}.{key}")
                elif "additionalProperties" in schema:
                    problems += self.validate(schema["additionalProperties"], item, f"{where}.{key}")
                else:
                    problems.append(f"{where}: {key} is not a field of {name or 'this object'}")
        return problems

    def validate_map(self, schema: dict, value, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: expected a map of name to values"]
        problems = [f"{where}: aspect name {k!r} over {schema['x-max-name']}" for k in value
                    if len(k) > schema["x-max-name"]]
        for key, item in value.items():
            problems += self.validate(schema["additionalProperties"], item, f"{where}.{key}")
        return problems


def _prose_limit(schema: dict) -> int | None:
    found = MAX_LENGTH.search(schema.get("description", ""))
    return int(found.group(1).replace(",", "")) if found else None
