"""Sign-in with a real OpenID Connect provider, through the running edge."""

from __future__ import annotations

import httpx
import pytest

from analyst.topic_reader import read_topics
from events.topics import USERS
from infra.oidc_local import OidcProvider
from tests.e2e.conftest import Stack, auth_settings
from tests.e2e.flows import bearer, login, sign_in
from tests.support.oidc import (
    EXPIRED_ISSUER_ID,
    WRONG_AUDIENCE_REDIRECT_URI,
    follow_authorization,
    redirect_uri_for,
)
from tests.support.polling import eventually
from tests.support.services import free_port, spawn, stop

pytestmark = pytest.mark.e2e


async def test_sign_in_happy_path(client: httpx.AsyncClient, browser: httpx.AsyncClient, stack: Stack) -> None:
    started = await login(client)
    assert started["authorization_url"].startswith("http://localhost:")
    assert "code_challenge_method=S256" in started["authorization_url"] and "nonce=" in started["authorization_url"]
    assert 0 < started["expires_in"] <= 600
    code, state = await follow_authorization(browser, started["authorization_url"])
    answer = await client.post("/auth/callback", json={"code": code, "state": state, "scope": "openid"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    tokens = answer.json()
    assert tokens["user_profile"]["email"] == "ana@gmail.test" and tokens["expires_in"] == 900
    assert len(tokens["access_token"]) >= 22 and len(tokens["refresh_token"]) >= 22
    profile = (await client.get("/auth/profile", headers=bearer(tokens))).json()
    assert profile["user_id"] == tokens["user_profile"]["user_id"] and profile["name"] == "Ana"
    again = await sign_in(client, browser)  # a second sign-in: same user, new session (no fixation)
    assert again["user_profile"]["user_id"] == profile["user_id"] and again["access_token"] != tokens["access_token"]

    async def users_events() -> list[str] | None:
        records = [
            r async for r in read_topics(stack.settings.kafka_servers, [USERS.resolve(stack.settings.topic_prefix)])
        ]
        mine = [dict(r.headers)["ce_type"].decode() for r in records if r.key == profile["user_id"].encode()]
        return mine if mine.count("user.signed_in") >= 2 else None

    found = await eventually(users_events, timeout=30, what="the outbox to publish sign-in events")
    assert found.count("user.registered") == 1


async def test_unknown_redirect_uri_is_refused(client: httpx.AsyncClient) -> None:
    for uri in ("http://evil.example/cb", redirect_uri_for("ana") + "/extra", redirect_uri_for("ana").upper()):
        answer = await client.post(
            "/auth/login", json={"client_type": "web", "redirect_uri": uri, "state": "client-state-0123"}
        )
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "INVALID_REDIRECT_URI"


async def test_missing_unknown_replayed_and_foreign_state(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    missing = await client.post("/auth/callback", json={"code": "x"})
    assert missing.status_code == 422
    unknown = await client.post("/auth/callback", json={"code": "x", "state": "never-issued"})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "INVALID_STATE"
    first, second = await login(client), await login(client)
    code1, state1 = await follow_authorization(browser, first["authorization_url"])
    code2, _ = await follow_authorization(browser, second["authorization_url"])
    # Foreign: state of one sign-in with the code of another; the PKCE verifier does not match the code.
    foreign = await client.post("/auth/callback", json={"code": code2, "state": state1})
    assert foreign.status_code == 400 and foreign.json()["error"]["code"] == "INVALID_GRANT"
    replayed = await client.post("/auth/callback", json={"code": code1, "state": state1})
    assert replayed.status_code == 400 and replayed.json()["error"]["code"] == "INVALID_STATE"


async def test_code_replay_is_refused(client: httpx.AsyncClient, browser: httpx.AsyncClient) -> None:
    first = await login(client)
    code, state = await follow_authorization(browser, first["authorization_url"])
    assert (await client.post("/auth/callback", json={"code": code, "state": state})).status_code == 200
    later = await login(client)
    _, fresh_state = await follow_authorization(browser, later["authorization_url"])
    replay = await client.post("/auth/callback", json={"code": code, "state": fresh_state})
    assert replay.status_code == 400 and replay.json()["error"]["code"] == "INVALID_GRANT"


async def test_wrong_nonce_and_wrong_audience_are_refused(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    started = await login(client)
    code, state = await follow_authorization(browser, started["authorization_url"], nonce="not-the-servers-nonce")
    answer = await client.post("/auth/callback", json={"code": code, "state": state})
    assert answer.status_code == 401 and answer.json()["error"]["details"]["reason"] == "nonce_mismatch"
    other = await login(client, redirect_uri=WRONG_AUDIENCE_REDIRECT_URI)
    code, state = await follow_authorization(browser, other["authorization_url"])
    answer = await client.post("/auth/callback", json={"code": code, "state": state})
    assert answer.status_code == 401 and answer.json()["error"]["details"]["reason"] == "wrong_audience"


async def test_expired_id_token_is_refused(stack: Stack, oidc: OidcProvider, browser: httpx.AsyncClient) -> None:
    settings = stack.settings.model_copy(update={"edge_port": free_port(), **auth_settings(oidc, EXPIRED_ISSUER_ID)})
    edge = spawn(settings, "edge", log=stack.logs / "edge-expired.log")
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.edge_port}", timeout=30) as other:
            await eventually(lambda: _health(other), timeout=30, what="the second edge")
            started = await login(other)
            code, state = await follow_authorization(browser, started["authorization_url"])
            answer = await other.post("/auth/callback", json={"code": code, "state": state})
    finally:
        stop(edge)
    assert answer.status_code == 401 and answer.json()["error"]["details"]["reason"] == "expired"


async def _health(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/health")).status_code == 200
    except httpx.TransportError:
        return False


async def test_refresh_rotates_and_reuse_ends_the_session(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    tokens = await sign_in(client, browser, "bob")
    rotated = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200 and rotated.headers["cache-control"] == "no-store"
    fresh = rotated.json()
    assert fresh["refresh_token"] != tokens["refresh_token"] and fresh["access_token"] != tokens["access_token"]
    assert (await client.get("/auth/profile", headers=bearer(tokens))).status_code == 401  # old access token died
    assert (await client.get("/auth/profile", headers=bearer(fresh))).status_code == 200
    stolen = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert stolen.status_code == 401 and stolen.json()["error"]["code"] == "REFRESH_TOKEN_REUSED"
    # Theft detected: the whole session is gone, including the legitimate newest pair.
    assert (await client.get("/auth/profile", headers=bearer(fresh))).status_code == 401
    dead = await client.post("/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert dead.status_code == 401
    junk = await client.post("/auth/refresh", json={"refresh_token": "made-up"})
    assert junk.json()["error"]["code"] == "INVALID_REFRESH_TOKEN"


async def test_sessions_list_end_logout_and_logout_all(client: httpx.AsyncClient, browser: httpx.AsyncClient) -> None:
    first, second, third = [await sign_in(client, browser, "eve") for _ in range(3)]
    listed = (await client.get("/auth/sessions", headers=bearer(first))).json()["sessions"]
    current = [s for s in listed if s["current"]]
    assert len(listed) >= 3 and len(current) == 1 and current[0]["user_agent"]
    other_id = next(s["id"] for s in listed if not s["current"])
    ended = await client.delete(f"/auth/sessions/{other_id}", headers=bearer(first))
    assert ended.status_code == 200 and ended.json() == {"ended": 1}
    out = await client.post("/auth/logout", headers=bearer(second))
    assert out.status_code == 200
    assert (await client.get("/auth/profile", headers=bearer(second))).status_code == 401
    everything = await client.post("/auth/logout", json={"all": True}, headers=bearer(first))
    assert everything.status_code == 200
    for tokens in (first, third):
        assert (await client.get("/auth/profile", headers=bearer(tokens))).status_code == 401


async def test_preferences_are_validated_stored_and_published(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    auth = bearer(await sign_in(client, browser, "ana"))
    prefs = {
        "skin_type": "combination",
        "skin_concerns": ["acne", "redness"],
        "allergies": ["fragrance"],
        "preferred_brands": ["CeraVe"],
        "price_range_min": "5.00",
        "price_range_max": "40.00",
        "privacy_level": "private",
    }
    saved = await client.put("/auth/profile/preferences", json=prefs, headers=auth)
    assert saved.status_code == 200, saved.text
    assert saved.json()["preferences"]["skin_concerns"] == ["acne", "redness"]
    assert (await client.get("/auth/profile", headers=auth)).json()["preferences"]["skin_type"] == "combination"
    for bad in (
        {**prefs, "user_id": "someone"},
        {**prefs, "email": "x@y"},
        {**prefs, "price_range_min": "50"},
        {**prefs, "skin_type": "scaly"},
        {**prefs, "favourite_colour": "blue"},
    ):
        answer = await client.put("/auth/profile/preferences", json=bad, headers=auth)
        assert answer.status_code == 422, bad
    garbage = await client.put("/auth/profile/preferences", content=b"{not json", headers=auth)
    assert garbage.status_code == 400 and garbage.json()["error"]["code"] == "INVALID_JSON"
    for body in (b"[" * 50_000, b"{not json"):
        bad = await client.post("/auth/login", content=body)
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "INVALID_JSON"
