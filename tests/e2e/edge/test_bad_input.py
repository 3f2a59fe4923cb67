"""Hostile values — NUL, lone surrogates, out-of-range dates, over-long strings — are 4xx, never 500, and the
client's connection stays usable."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.e2e.conftest import Stack
from tests.e2e.edge.photos import auth

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def token(stack: Stack) -> str:
    return stack.token("hostile@example.com")


@pytest.fixture(scope="module")
def admin_token(stack: Stack) -> str:
    return stack.token("hostile-admin@example.com", "admin")


PREFS = {"skin_type": "oily", "skin_concerns": ["acne"], "privacy_level": "private"}


@pytest.mark.parametrize(
    "prefs",
    [
        {**PREFS, "skin_concerns": ["a\u0000b"]},
        {**PREFS, "allergies": ["\ud800"]},
        {**PREFS, "preferred_brands": ["x" * 61]},
        {**PREFS, "skin_concerns": ["ok"] * 21},
        {**PREFS, "price_range_min": "1e400"},
        {**PREFS, "\u0000": 1},
    ],
    ids=["nul", "surrogate", "long-tag", "many-tags", "huge-number", "nul-key"],
)
async def test_bad_preferences_are_422(client: httpx.AsyncClient, token: str, prefs: dict[str, object]) -> None:
    body = json.dumps(prefs).encode()  # ASCII escapes: a lone surrogate travels as \ud800
    answer = await client.put("/auth/profile/preferences", content=body, headers=auth(token))
    assert answer.status_code == 422, answer.text
    assert set(answer.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("path", ["/analysis/history", "/analysis/trends"])
@pytest.mark.parametrize(
    "query",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "9999-12-31T23:59:59-23:59"},
        {"date_to": "2024-01-01\u0000"},
        {"limit": "9" * 5000},
        {"page": "-1"},
    ],
)
async def test_bad_periods_are_422(client: httpx.AsyncClient, token: str, path: str, query: dict[str, str]) -> None:
    answer = await client.get(path, params=query, headers=auth(token))
    assert answer.status_code == 422, answer.text


@pytest.mark.parametrize("q", ["a\u0000b", "x" * 256, "\ud800"])
async def test_bad_user_searches_are_422(client: httpx.AsyncClient, admin_token: str, q: str) -> None:
    raw = q.encode("utf-8", "surrogatepass")
    answer = await client.get("/admin/users", params={"q": raw.decode("latin-1")}, headers=auth(admin_token))
    assert answer.status_code in (200, 422), answer.text  # a surrogate's bytes decode to replacement characters
    nul = await client.get("/admin/users?q=a%00b", headers=auth(admin_token))
    assert nul.status_code == 422 and nul.json()["error"]["code"] == "INVALID_QUERY"


async def test_bad_tokens_and_paths_are_4xx(client: httpx.AsyncClient) -> None:
    for token in ("\u00e9" * 10, "t" * 5000, "a b"):
        answer = await client.get("/auth/profile", headers={"Authorization": f"Bearer {token}".encode()})
        assert answer.status_code == 401, token
    for path in ("/analysis/results/not-a-uuid", "/analysis/results/%00", "/auth/sessions/" + "f" * 5000):
        assert (await client.get(path)).status_code in (401, 404, 405), path
    refresh = await client.post("/auth/refresh", json={"refresh_token": "\u0000"})
    assert refresh.status_code == 422
    assert (await client.get("/health")).status_code == 200
