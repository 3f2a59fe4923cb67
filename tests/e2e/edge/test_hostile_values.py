"""Every operation, every parameter and body field, given hostile values: never a 5xx, always the error shape.

The values: NUL, a lone surrogate, over-long text, out-of-range dates and numbers, and invalid UTF-8.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from api_edge.openapi import openapi_document
from tests.e2e.conftest import Stack
from tests.e2e.edge.photos import face_jpeg

pytestmark = pytest.mark.e2e

TEXT = ["a\x00b", "\ud800", "\udfff tail", "x" * 10_000, "9999-12-31", "0001-01-01T00:00:00+23:59", "1e400", "9" * 400]
VALUES: list[object] = [*TEXT, -1, 10**30, 1e308, [], {}, None]
Request = tuple[str, str, dict[str, Any]]
SEGMENTS = ["%00", "%ED%A0%80", "%FF%FE", "x" * 5000, "..%2F..%2Fetc"]


def _encoded(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _path(template: str, params: list[dict[str, Any]], hostile: str | None = None) -> str:
    for p in params:
        if p["in"] == "path":
            template = template.replace("{" + p["name"] + "}", hostile or str(uuid.uuid4()))
    return template


def _properties(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return dict(schema.get("properties", {}))


def _parameter_requests(method: str, template: str, params: list[dict[str, Any]]) -> Iterator[Request]:
    if any(p["in"] == "path" for p in params):
        for segment in SEGMENTS:
            yield method, _path(template, params, segment), {}
    path = _path(template, params)
    for p in params:
        if p["in"] == "query":
            for value in TEXT:
                yield method, f"{path}?{p['name']}={_encoded(value)}", {}
        elif p["in"] == "header":
            for raw in (b"\xff\xfe", b"x" * 8000, b"a\tb"):
                yield method, path, {"headers": {p["name"]: raw}}


def _body_requests(method: str, path: str, content: dict[str, Any], components: dict[str, Any]) -> Iterator[Request]:
    if "application/json" in content:
        for field in _properties(content["application/json"]["schema"], components):
            for value in VALUES:
                for body in ({field: value}, {field: [value]}):
                    yield method, path, {"content": json.dumps(body).encode()}
    if "multipart/form-data" in content:
        for value in TEXT[:4]:
            form = {"analysis_type": value.encode("utf-8", "surrogatepass")}
            yield method, path, {"files": {"image": ("f.jpg", b"\xff\xd8junk")}, "data": form}
        yield method, path, {"files": {"image": ("a\x00b\u202e.jpg", face_jpeg())}}


def _requests(doc: dict[str, Any]) -> Iterator[Request]:
    components = doc["components"]["schemas"]
    for template, methods in doc["paths"].items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            yield from _parameter_requests(method, template, params)
            content = op.get("requestBody", {}).get("content", {})
            yield from _body_requests(method, _path(template, params), content, components)


async def test_no_hostile_value_gets_a_server_error(client: httpx.AsyncClient, stack: Stack) -> None:
    token = stack.token("hostile-fuzz@example.com", "admin")
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    failures: list[str] = []
    count = 0
    for method, url, kwargs in _requests(openapi_document()):
        headers = {**auth, **kwargs.pop("headers", {})}
        if "files" in kwargs:
            headers.pop("Content-Type")
        answer = await client.request(method.upper(), url, headers=headers, **kwargs)
        count += 1
        if answer.status_code >= 500 and not (url.startswith("/ready") and answer.status_code == 503):
            failures.append(f"{method} {url[:80]} {kwargs.keys()}: {answer.status_code} {answer.text[:200]}")
        elif answer.status_code >= 400:
            assert set(answer.json()["error"]) == {"code", "message", "details"}, (method, url[:80], answer.text)
    assert count > 300 and failures == [], failures[:10]
    assert (await client.get("/auth/profile", headers=auth)).status_code == 200  # still signed in, still served
