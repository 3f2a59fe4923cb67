"""ID-token validation against real tokens and keys from the local OpenID Connect provider."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from api_edge.id_token import InvalidIdToken
from api_edge.oidc import OidcClient
from events.envelope import utcnow
from infra.oidc_local import OidcProvider
from tests.support.oidc import (
    CLIENT_ID,
    CLIENT_SECRET,
    GOOGLE_ISSUER_ID,
    authorization_url,
    exchange_code,
    follow_authorization,
    pkce_pair,
    redirect_uri_for,
    start_provider,
    stop_provider,
)

pytestmark = pytest.mark.integration
NONCE = "nonce-for-this-sign-in"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    var_dir: Path = tmp_path_factory.mktemp("oidc")
    for path in (var_dir, var_dir.parent, var_dir.parent.parent):
        path.chmod(path.stat().st_mode | 0o011)
    started = start_provider(var_dir)
    yield started
    stop_provider(var_dir, started)


@pytest.fixture
async def id_token(provider: OidcProvider) -> AsyncIterator[str]:
    verifier, challenge = pkce_pair()
    uri = redirect_uri_for("ana")
    async with httpx.AsyncClient(timeout=30) as http:
        url = authorization_url(provider, GOOGLE_ISSUER_ID, uri, state="s", nonce=NONCE, code_challenge=challenge)
        code, _ = await follow_authorization(http, url)
        answer = await exchange_code(
            http, provider, GOOGLE_ISSUER_ID, code=code, redirect_uri=uri, code_verifier=verifier
        )
    yield str(answer.json()["id_token"])


def _client(provider: OidcProvider) -> OidcClient:
    return OidcClient(provider.discovery_url(GOOGLE_ISSUER_ID), CLIENT_ID, CLIENT_SECRET, "openid email")


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_a_genuine_token_validates(provider: OidcProvider, id_token: str) -> None:
    claims = await _client(provider).claims(id_token, NONCE, utcnow())
    assert claims["email"] == "ana@gmail.test" and claims["nonce"] == NONCE


async def test_tampered_payload_fails_the_signature(provider: OidcProvider, id_token: str) -> None:
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = ".".join([header, _b64({**claims, "sub": "someone-else"}), signature])
    with pytest.raises(InvalidIdToken) as info:
        await _client(provider).claims(forged, NONCE, utcnow())
    assert info.value.reason == "bad_signature"


async def test_unsigned_and_resigned_tokens_are_refused(provider: OidcProvider, id_token: str) -> None:
    header, payload, signature = id_token.split(".")
    unsigned = ".".join([_b64({"alg": "none", "typ": "JWT"}), payload, ""])
    flipped = ".".join([header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")])
    for token in (unsigned, flipped, "not.a.jwt", ""):
        with pytest.raises(InvalidIdToken):
            await _client(provider).claims(token, NONCE, utcnow())


async def test_nonce_must_match(provider: OidcProvider, id_token: str) -> None:
    with pytest.raises(InvalidIdToken) as info:
        await _client(provider).claims(id_token, "another-sign-in", utcnow())
    assert info.value.reason == "nonce_mismatch"
