"""A real OpenID Connect provider for auth tests, and a stand-in for the browser in the code flow.

The provider (navikt's mock-oauth2-server) picks the ID token's claims by matching the token
request's `redirect_uri`: a test chooses the user by choosing the redirect URI, e.g. the app is
asked to log in with `redirect_uri_for("ana")`. The same URI twice gives the same user.

Issuers:
* `google` (GOOGLE_ISSUER_ID): tokens valid for 5 minutes.
* `expired` (EXPIRED_ISSUER_ID): the same users, but every token's `exp` is 2 minutes in the past.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from infra.oidc_local import OidcProvider, ensure_oidc_provider, stop_oidc_provider
from tests.support.services import free_port

CLIENT_ID = "shine-client"
CLIENT_SECRET = "shine-secret"
GOOGLE_ISSUER_ID = "google"
EXPIRED_ISSUER_ID = "expired"
TOKEN_EXPIRY_SECONDS = 300
EXPIRED_BY_SECONDS = 120

REDIRECT_BASE = "http://localhost:3000/cb"
USERS: dict[str, dict[str, str]] = {
    "ana": {"sub": "100000000000000000001", "email": "ana@gmail.test", "name": "Ana"},
    "bob": {"sub": "100000000000000000002", "email": "bob@gmail.test", "name": "Bob"},
    "eve": {"sub": "100000000000000000003", "email": "eve@gmail.test", "name": "Eve"},
}
WRONG_AUDIENCE = "someone-else"
# Ana's claims, but an ID token meant for another client.
WRONG_AUDIENCE_REDIRECT_URI = f"{REDIRECT_BASE}/wrong-audience"


def redirect_uri_for(user: str) -> str:
    """The redirect URI whose code the provider turns into an ID token for USERS[user]."""
    if user not in USERS:
        raise KeyError(f"unknown test user {user!r}; known: {sorted(USERS)}")
    return f"{REDIRECT_BASE}/{user}"


ALL_REDIRECT_URIS: tuple[str, ...] = (*(redirect_uri_for(user) for user in USERS), WRONG_AUDIENCE_REDIRECT_URI)


def _claims(user: str, audience: str = CLIENT_ID) -> dict[str, Any]:
    return {**USERS[user], "email_verified": True, "aud": [audience]}


def _mappings() -> list[dict[str, Any]]:
    # Exact matches on the token request's redirect_uri; the first match wins.
    by_user = [{"requestParam": "redirect_uri", "match": redirect_uri_for(u), "claims": _claims(u)} for u in USERS]
    wrong_audience = _claims("ana", audience=WRONG_AUDIENCE)
    return [*by_user, {"requestParam": "redirect_uri", "match": WRONG_AUDIENCE_REDIRECT_URI, "claims": wrong_audience}]


def provider_config() -> dict[str, Any]:
    """The mock-oauth2-server JSON config: no login page, claims chosen by redirect_uri."""
    return {
        "interactiveLogin": False,
        "httpServer": "NettyWrapper",
        "tokenCallbacks": [
            {"issuerId": GOOGLE_ISSUER_ID, "tokenExpiry": TOKEN_EXPIRY_SECONDS, "requestMappings": _mappings()},
            {"issuerId": EXPIRED_ISSUER_ID, "tokenExpiry": -EXPIRED_BY_SECONDS, "requestMappings": _mappings()},
        ],
    }


def start_provider(var_dir: Path) -> OidcProvider:
    """Start a provider with provider_config() on a free port (jars cached under var_dir)."""
    return ensure_oidc_provider(var_dir, free_port(), provider_config())


def stop_provider(var_dir: Path, provider: OidcProvider) -> None:
    """Stop the provider if start_provider started it."""
    port = urlsplit(provider.base_url).port
    if provider.started_here and port is not None:
        stop_oidc_provider(var_dir, port)


def pkce_pair() -> tuple[str, str]:
    """A fresh (code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_url(
    provider: OidcProvider,
    issuer_id: str,
    redirect_uri: str,
    *,
    state: str,
    nonce: str,
    code_challenge: str,
) -> str:
    """An authorization request like the app's: code flow, PKCE S256, openid email profile."""
    query = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
        "code_challenge": code_challenge,
        "code_challenge_method": "S256",
    }
    return f"{provider.issuer(issuer_id)}/authorize?{urlencode(query)}"


async def follow_authorization(
    client: httpx.AsyncClient, authorization_url: str, *, nonce: str | None = None
) -> tuple[str, str]:
    """Act as the browser: GET the authorization URL and return (code, state) from the redirect.

    With nonce, the URL's nonce is replaced first, as if an attacker had swapped it.
    """
    if nonce is not None:
        parts = urlsplit(authorization_url)
        query = [(k, nonce if k == "nonce" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        authorization_url = urlunsplit(parts._replace(query=urlencode(query)))
    response = await client.get(authorization_url, follow_redirects=False)
    location = response.headers.get("location")
    if not response.is_redirect or location is None:
        raise AssertionError(
            f"the provider did not redirect: GET {authorization_url} -> {response.status_code}: {response.text[:300]}"
        )
    params = parse_qs(urlsplit(location).query)
    if "error" in params or "code" not in params or "state" not in params:
        raise AssertionError(f"the provider redirected without code and state: {location}")
    return params["code"][0], params["state"][0]


async def exchange_code(
    client: httpx.AsyncClient,
    provider: OidcProvider,
    issuer_id: str,
    *,
    code: str,
    redirect_uri: str,
    code_verifier: str,
) -> httpx.Response:
    """POST the token request the app would make (client_secret_basic); the raw response."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    url = f"{provider.issuer(issuer_id)}/token"
    return await client.post(url, data=form, auth=(CLIENT_ID, CLIENT_SECRET))
