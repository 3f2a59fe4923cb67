"""The local OpenID Connect provider: discovery, the S256 code flow, per-user claims, expiry, replay."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.oidc_local import OidcProvider, ensure_oidc_provider, stop_oidc_provider
from infra.processes import port_open
from tests.support.oidc import (
    ALL_REDIRECT_URIS,
    CLIENT_ID,
    EXPIRED_ISSUER_ID,
    GOOGLE_ISSUER_ID,
    USERS,
    WRONG_AUDIENCE,
    WRONG_AUDIENCE_REDIRECT_URI,
    authorization_url,
    exchange_code,
    follow_authorization,
    pkce_pair,
    provider_config,
    redirect_uri_for,
    start_provider,
    stop_provider,
)
from tests.support.services import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oidc")


@pytest.fixture(scope="module")
def provider(var_dir: Path) -> Iterator[OidcProvider]:
    started = start_provider(var_dir)
    try:
        yield started
    finally:
        stop_provider(var_dir, started)
        assert not port_open("127.0.0.1", int(started.base_url.rsplit(":", 1)[1]))


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # trust_env=False: no proxy between the tests and localhost.
    async with httpx.AsyncClient(trust_env=False, timeout=10) as http:
        yield http


def _segment(jwt: str, index: int) -> dict[str, Any]:
    """A JWT's header (0) or payload (1), unverified."""
    segment = jwt.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return decoded


async def _login(
    client: httpx.AsyncClient,
    provider: OidcProvider,
    redirect_uri: str,
    issuer_id: str = GOOGLE_ISSUER_ID,
    *,
    swap_nonce: str | None = None,
) -> tuple[dict[str, Any], str]:
    """The whole code flow; return the ID token's claims and the nonce the app would expect."""
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    url = authorization_url(provider, issuer_id, redirect_uri, state=state, nonce=nonce, code_challenge=challenge)
    code, returned_state = await follow_authorization(client, url, nonce=swap_nonce)
    assert returned_state == state
    response = await exchange_code(
        client, provider, issuer_id, code=code, redirect_uri=redirect_uri, code_verifier=verifier
    )
    assert response.status_code == 200, response.text
    id_token = response.json()["id_token"]
    assert _segment(id_token, 0)["alg"] == "RS256"
    return _segment(id_token, 1), nonce


async def test_discovery_announces_the_exact_issuer(client: httpx.AsyncClient, provider: OidcProvider) -> None:
    assert provider.started_here and provider.pid is not None
    assert provider.base_url.startswith("http://localhost:")
    for issuer_id in (GOOGLE_ISSUER_ID, EXPIRED_ISSUER_ID):
        response = await client.get(provider.discovery_url(issuer_id))
        assert response.status_code == 200
        discovery = response.json()
        assert discovery["issuer"] == provider.issuer(issuer_id) == f"{provider.base_url}/{issuer_id}"
        assert discovery["token_endpoint"] == f"{provider.issuer(issuer_id)}/token"
        assert "S256" in discovery["code_challenge_methods_supported"]


async def test_ensure_again_reuses_the_running_provider(var_dir: Path, provider: OidcProvider) -> None:
    port = int(provider.base_url.rsplit(":", 1)[1])
    again = ensure_oidc_provider(var_dir, port, provider_config())
    assert again == OidcProvider(provider.base_url, provider.pid, started_here=False)
    with pytest.raises(RuntimeError, match="another config"):
        ensure_oidc_provider(var_dir, port, {**provider_config(), "interactiveLogin": True})


@pytest.mark.parametrize("user", ["ana", "bob", "eve"])
async def test_code_flow_yields_the_configured_user(
    client: httpx.AsyncClient, provider: OidcProvider, user: str
) -> None:
    before = int(time.time())
    claims, nonce = await _login(client, provider, redirect_uri_for(user))
    assert claims["iss"] == provider.issuer(GOOGLE_ISSUER_ID)
    assert claims["nonce"] == nonce
    assert claims["aud"] in (CLIENT_ID, [CLIENT_ID])
    assert {k: claims[k] for k in ("sub", "email", "name")} == USERS[user]
    assert claims["email_verified"] is True
    assert before - 5 <= claims["iat"] <= claims["exp"] - 290


async def test_same_redirect_uri_gives_the_same_user(client: httpx.AsyncClient, provider: OidcProvider) -> None:
    first, _ = await _login(client, provider, redirect_uri_for("ana"))
    second, _ = await _login(client, provider, redirect_uri_for("ana"))
    other, _ = await _login(client, provider, redirect_uri_for("bob"))
    assert first["sub"] == second["sub"] != other["sub"]
    assert first["jti"] != second["jti"]


async def test_wrong_audience_redirect_uri(client: httpx.AsyncClient, provider: OidcProvider) -> None:
    claims, _ = await _login(client, provider, WRONG_AUDIENCE_REDIRECT_URI)
    assert claims["aud"] in (WRONG_AUDIENCE, [WRONG_AUDIENCE])
    assert claims["sub"] == USERS["ana"]["sub"]
    assert set(ALL_REDIRECT_URIS) == {*(redirect_uri_for(u) for u in USERS), WRONG_AUDIENCE_REDIRECT_URI}


async def test_expired_issuer_tokens_are_already_expired(client: httpx.AsyncClient, provider: OidcProvider) -> None:
    claims, _ = await _login(client, provider, redirect_uri_for("bob"), EXPIRED_ISSUER_ID)
    assert claims["iss"] == provider.issuer(EXPIRED_ISSUER_ID)
    assert claims["sub"] == USERS["bob"]["sub"]
    assert claims["exp"] < time.time() - 60
    assert claims["iat"] > claims["exp"]


async def test_swapped_nonce_ends_up_in_the_token(client: httpx.AsyncClient, provider: OidcProvider) -> None:
    claims, expected = await _login(client, provider, redirect_uri_for("ana"), swap_nonce="attacker-nonce")
    assert claims["nonce"] == "attacker-nonce" != expected


async def test_code_is_single_use_and_bound_to_the_verifier(client: httpx.AsyncClient, provider: OidcProvider) -> None:
    verifier, challenge = pkce_pair()
    redirect_uri = redirect_uri_for("ana")
    url = authorization_url(provider, GOOGLE_ISSUER_ID, redirect_uri, state="s", nonce="n", code_challenge=challenge)

    code, _ = await follow_authorization(client, url)
    wrong = await exchange_code(
        client, provider, GOOGLE_ISSUER_ID, code=code, redirect_uri=redirect_uri, code_verifier=pkce_pair()[0]
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"

    code, _ = await follow_authorization(client, url)
    kwargs = {"code": code, "redirect_uri": redirect_uri, "code_verifier": verifier}
    assert (await exchange_code(client, provider, GOOGLE_ISSUER_ID, **kwargs)).status_code == 200
    replayed = await exchange_code(client, provider, GOOGLE_ISSUER_ID, **kwargs)
    assert replayed.status_code == 400
    assert replayed.json()["error"] == "invalid_grant"


async def test_follow_authorization_fails_clearly_without_redirect(
    client: httpx.AsyncClient, provider: OidcProvider
) -> None:
    with pytest.raises(AssertionError, match="did not redirect"):
        await follow_authorization(client, provider.discovery_url(GOOGLE_ISSUER_ID))


def test_stopping_an_unknown_provider_is_a_no_op(var_dir: Path) -> None:
    assert stop_oidc_provider(var_dir, free_port()) is False
