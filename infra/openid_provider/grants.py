"""The provider's rules, without HTTP: who may ask, single-use codes bound to PKCE, and the ID token's claims."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

CODE_TTL_SECONDS = 120
ID_TOKEN_TTL_SECONDS = 300
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{1,60}$")


class GrantError(Exception):
    """An OAuth error (RFC 6749 §4.1.2.1 / §5.2): `error` is the code, the message is the description."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error


@dataclass(frozen=True)
class Client:
    """The one registered client (Shine's edge)."""

    client_id: str
    secret: str
    redirect_uris: tuple[str, ...]


@dataclass(frozen=True)
class Request:
    """A validated authorization request."""

    redirect_uri: str
    state: str
    nonce: str
    code_challenge: str
    scope: str


@dataclass(frozen=True)
class Grant:
    """What a code stands for until it is redeemed."""

    request: Request
    email: str
    name: str
    expires_at: float


def authorization_request(client: Client, params: dict[str, str]) -> Request:
    """The request if the client, redirect URI and PKCE challenge are acceptable (else GrantError)."""
    if params.get("client_id") != client.client_id:
        raise GrantError("unauthorized_client", "unknown client_id")
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in client.redirect_uris:
        raise GrantError("invalid_request", "redirect_uri is not registered for this client")
    if params.get("response_type") != "code":
        raise GrantError("unsupported_response_type", "only the authorization code flow is supported")
    if "openid" not in params.get("scope", "").split():
        raise GrantError("invalid_scope", "the openid scope is required")
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        raise GrantError("invalid_request", "a PKCE S256 code_challenge is required")
    return Request(
        redirect_uri, params.get("state", ""), params.get("nonce", ""), params["code_challenge"], params["scope"]
    )


def signed_in_as(email: str, name: str) -> tuple[str, str]:
    """The normalised email and display name a person typed (else GrantError)."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise GrantError("invalid_request", "enter an email address")
    return email, (name.strip() or email.split("@")[0])[:100]


def subject_of(email: str) -> str:
    """A stable, opaque subject for an email (as Google's `sub` is stable per account)."""
    return "local-" + hashlib.sha256(email.encode()).hexdigest()[:24]


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


@dataclass
class Codes:
    """Outstanding authorization codes: single use, short-lived."""

    grants: dict[str, Grant] = field(default_factory=dict)

    def issue(self, request: Request, email: str, name: str, now: float | None = None) -> str:
        """A new code for this sign-in."""
        now = time.time() if now is None else now
        self.grants = {c: g for c, g in self.grants.items() if g.expires_at > now}
        code = secrets.token_urlsafe(32)
        self.grants[code] = Grant(request, email, name, now + CODE_TTL_SECONDS)
        return code

    def redeem(
        self, client: Client, form: dict[str, str], client_id: str, client_secret: str, now: float | None = None
    ) -> Grant:
        """The grant behind a token request's code, used up (else GrantError)."""
        now = time.time() if now is None else now
        if client_id != client.client_id or not hmac.compare_digest(client_secret, client.secret):
            raise GrantError("invalid_client", "client authentication failed")
        if form.get("grant_type") != "authorization_code":
            raise GrantError("unsupported_grant_type", "only authorization_code is supported")
        grant = self.grants.pop(form.get("code", ""), None)  # used up even when the rest is wrong
        if grant is None or grant.expires_at <= now:
            raise GrantError("invalid_grant", "the code is unknown, used or expired")
        if form.get("redirect_uri") != grant.request.redirect_uri:
            raise GrantError("invalid_grant", "redirect_uri differs from the authorization request's")
        if not hmac.compare_digest(s256(form.get("code_verifier", "")), grant.request.code_challenge):
            raise GrantError("invalid_grant", "the PKCE code_verifier does not match")
        return grant


def id_token_claims(issuer: str, client: Client, grant: Grant, now: float | None = None) -> dict[str, Any]:
    """The ID token's claims for a redeemed grant (Google's shape: sub, email, email_verified, name)."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": client.client_id,
        "azp": client.client_id,
        "sub": subject_of(grant.email),
        "email": grant.email,
        "email_verified": True,
        "name": grant.name,
        "iat": issued,
        "auth_time": issued,
        "exp": issued + ID_TOKEN_TTL_SECONDS,
    }
    return claims | ({"nonce": grant.request.nonce} if grant.request.nonce else {})
