"""OpenID Connect Core §3.1.3.7 ID-token validation: signature by the provider's keys, then the claims."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
LEEWAY_SECONDS = 60


class InvalidIdToken(Exception):
    """The ID token must not be trusted; `reason` is machine-readable."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def validate(token: str, keys: KeySet, *, issuer: str, client_id: str, nonce: str, now: datetime) -> dict[str, Any]:
    """The token's claims, once its signature, issuer, audience, times and nonce all check out."""
    try:
        claims: dict[str, Any] = dict(jwt.decode(token, keys, algorithms=ALGORITHMS).claims)
    except (JoseError, ValueError) as exc:
        raise InvalidIdToken("bad_signature", f"The ID token's signature does not verify: {exc}") from None
    _check_claims(claims, issuer=issuer, client_id=client_id, nonce=nonce, now=int(now.timestamp()))
    return claims


def _issuers(issuer: str) -> set[str]:
    # Google signs some ID tokens with its issuer without the scheme (OIDC discovery says https://...).
    return {issuer, issuer.removeprefix("https://")} if issuer == "https://accounts.google.com" else {issuer}


def _check_claims(claims: dict[str, Any], *, issuer: str, client_id: str, nonce: str, now: int) -> None:
    if claims.get("iss") not in _issuers(issuer):
        raise InvalidIdToken("wrong_issuer", "The ID token was not issued by the configured provider.")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    # OIDC Core 3.1.3.7: our client id among the audiences, and an azp (required with several) naming us.
    if client_id not in audiences or (("azp" in claims or len(audiences) > 1) and claims.get("azp") != client_id):
        raise InvalidIdToken("wrong_audience", "The ID token was issued to another client.")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= now - LEEWAY_SECONDS:
        raise InvalidIdToken("expired", "The ID token has expired.")
    if not isinstance(claims.get("iat"), int | float) or claims["iat"] > now + LEEWAY_SECONDS:
        raise InvalidIdToken("issued_in_future", "The ID token claims to be issued in the future.")
    if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
        raise InvalidIdToken("nonce_mismatch", "The ID token does not belong to this sign-in (nonce mismatch).")
    if not claims.get("sub"):
        raise InvalidIdToken("no_subject", "The ID token names no subject.")
