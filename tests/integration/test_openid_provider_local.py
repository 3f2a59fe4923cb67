"""The local OpenID provider `make run` signs people in with, driven by the edge's own OIDC client (discovery,
PKCE S256, the code exchange, ID-token validation against its JWKS) and a browser posting its sign-in form."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from api_edge.oidc import OidcClient, ProviderError
from infra.openid_provider.app import build_app
from infra.openid_provider.grants import Client
from infra.openid_provider.keys import signing_key
from tests.support.services import free_port
from tests.support.serving import served

pytestmark = pytest.mark.integration
CLIENT = Client("shine-local", "local-secret", ("http://127.0.0.1:9/app/callback",))
REDIRECT = CLIENT.redirect_uris[0]


@pytest.fixture
async def issuer(tmp_path: Path) -> AsyncIterator[str]:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    app = build_app(issuer, CLIENT, signing_key(tmp_path / "key.pem"), "http://127.0.0.1:8000")
    async with served(app, port):
        yield issuer


@pytest.fixture
async def browser() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False, timeout=10, follow_redirects=False) as client:
        yield client


def _oidc(issuer: str, secret: str = CLIENT.secret) -> OidcClient:
    return OidcClient(f"{issuer}/.well-known/openid-configuration", CLIENT.client_id, secret, "openid email profile")


async def _sign_in(browser: httpx.AsyncClient, url: str, email: str, name: str = "") -> httpx.Response:
    """Open the sign-in page and submit it as a person would."""
    page = await browser.get(url)
    assert page.status_code == 200 and "<form" in page.text
    fields = dict(re.findall(r"<input type='hidden' name='([^']*)' value='([^']*)'>", page.text))
    form = {unescape(k): unescape(v) for k, v in fields.items()} | {"email": email, "name": name}
    return await browser.post(url.split("?", maxsplit=1)[0], data=form)


def _code(answer: httpx.Response, state: str) -> str:
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == [state]
    return query["code"][0]


async def test_a_person_signs_in_and_the_edge_validates_the_id_token(issuer: str, browser: httpx.AsyncClient) -> None:
    oidc, verifier = _oidc(issuer), secrets.token_urlsafe(48)
    url = await oidc.authorization_url(REDIRECT, "st-1", "nonce-1", verifier)
    code = _code(await _sign_in(browser, url, " Ana@Example.com ", "Ana"), "st-1")
    tokens = await oidc.exchange(code, REDIRECT, verifier)
    claims = await oidc.claims(tokens["id_token"], "nonce-1", datetime.now(UTC))
    assert (claims["email"], claims["email_verified"], claims["name"], claims["aud"]) == (
        "ana@example.com",
        True,
        "Ana",
        CLIENT.client_id,
    )
    again = await oidc.authorization_url(REDIRECT, "st-2", "nonce-2", verifier)
    second = await oidc.exchange(_code(await _sign_in(browser, again, "ana@example.com"), "st-2"), REDIRECT, verifier)
    assert (await oidc.claims(second["id_token"], "nonce-2", datetime.now(UTC)))["sub"] == claims["sub"]


async def test_codes_are_single_use_and_bound_to_the_pkce_verifier(issuer: str, browser: httpx.AsyncClient) -> None:
    oidc, verifier = _oidc(issuer), secrets.token_urlsafe(48)
    url = await oidc.authorization_url(REDIRECT, "st", "n", verifier)
    code = _code(await _sign_in(browser, url, "bob@example.com"), "st")
    with pytest.raises(ProviderError) as wrong:
        await oidc.exchange(code, REDIRECT, secrets.token_urlsafe(48))
    assert wrong.value.code == "INVALID_GRANT"
    with pytest.raises(ProviderError) as reused:  # the failed attempt used the code up
        await oidc.exchange(code, REDIRECT, verifier)
    assert reused.value.code == "INVALID_GRANT"
    fresh = _code(await _sign_in(browser, url, "bob@example.com"), "st")
    with pytest.raises(ProviderError):
        await _oidc(issuer, secret="not-the-secret").exchange(fresh, REDIRECT, verifier)


async def test_bad_requests_are_refused_without_a_redirect(issuer: str, browser: httpx.AsyncClient) -> None:
    oidc = _oidc(issuer)
    url = await oidc.authorization_url("http://evil.example/cb", "st", "n", secrets.token_urlsafe(48))
    refused = await browser.get(url)
    assert refused.status_code == 400 and "location" not in refused.headers
    good = await oidc.authorization_url(REDIRECT, "st", "n", secrets.token_urlsafe(48))
    retyped = await _sign_in(browser, good, "not an address")
    assert retyped.status_code == 400 and "<form" in retyped.text
    assert (await browser.get(f"{issuer}/signed-in?code=abc&state=st")).status_code == 200
