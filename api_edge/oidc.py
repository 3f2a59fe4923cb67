"""The OpenID Connect provider as the edge sees it: discovery, keys, authorization URLs, the code exchange."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc.jwk import KeySet

from api_edge.id_token import InvalidIdToken, validate

KEYS_REFRESH_SECONDS = 60.0  # at most this often on an unknown key
KEYS_MAX_AGE_SECONDS = 3600.0  # a withdrawn key stops being trusted within the hour


class ProviderError(Exception):
    """The provider refused or could not be reached; `code` says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


class OidcClient:
    """One configured provider (Google in production): metadata and keys are fetched lazily and cached."""

    def __init__(
        self, discovery_url: str, client_id: str, client_secret: str, scope: str, *, timeout: float = 10.0
    ) -> None:
        self.client_id, self._secret, self.scope, self.timeout = client_id, client_secret, scope, timeout
        self._discovery_url = discovery_url
        self._metadata: Metadata | None = None
        self._keys: tuple[float, KeySet] | None = None

    async def metadata(self) -> Metadata:
        """The provider's discovery document."""
        if self._metadata is None:
            doc = await self._get_json(self._discovery_url)
            self._metadata = Metadata(
                doc["issuer"], doc["authorization_endpoint"], doc["token_endpoint"], doc["jwks_uri"]
            )
        return self._metadata

    async def authorization_url(self, redirect_uri: str, state: str, nonce: str, code_verifier: str) -> str:
        """Where the user's browser goes to sign in (authorization code flow with PKCE S256)."""
        meta = await self.metadata()
        async with self._oauth(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                meta.authorization_endpoint,
                state=state,
                nonce=nonce,
                code_challenge=create_s256_code_challenge(code_verifier),
                code_challenge_method="S256",
            )
        return str(url)

    async def exchange(self, code: str, redirect_uri: str, code_verifier: str) -> dict[str, Any]:
        """Trade the authorization code (with its PKCE verifier) for tokens."""
        meta = await self.metadata()
        try:
            async with self._oauth(redirect_uri) as client:
                token = await client.fetch_token(meta.token_endpoint, code=code, code_verifier=code_verifier)
        except httpx.HTTPError as exc:
            raise ProviderError("PROVIDER_UNAVAILABLE", f"The sign-in provider did not answer: {exc}") from None
        except OAuthError as exc:
            if exc.error in ("invalid_grant", "invalid_request"):
                raise ProviderError("INVALID_GRANT", f"The sign-in provider refused the code: {exc}") from None
            raise ProviderError("PROVIDER_UNAVAILABLE", f"The sign-in provider failed: {exc}") from None
        except ValueError as exc:  # not JSON: an error page from the provider or a proxy
            raise ProviderError("PROVIDER_UNAVAILABLE", f"The sign-in provider answered garbage: {exc}") from None
        return dict(token)

    async def claims(self, id_token: str, nonce: str, now: datetime) -> dict[str, Any]:
        """Validated ID-token claims; keys are refetched once when the token names an unknown key."""
        if not id_token:
            raise InvalidIdToken("missing_id_token", "The provider returned no ID token.")
        meta = await self.metadata()
        try:
            return validate(
                id_token, await self._key_set(), issuer=meta.issuer, client_id=self.client_id, nonce=nonce, now=now
            )
        except InvalidIdToken as exc:
            if exc.reason != "bad_signature" or not self._may_refresh_keys():
                raise
        self._keys = None  # the provider may have rotated its keys
        return validate(
            id_token, await self._key_set(), issuer=meta.issuer, client_id=self.client_id, nonce=nonce, now=now
        )

    def _may_refresh_keys(self) -> bool:
        return self._keys is None or time.monotonic() - self._keys[0] > KEYS_REFRESH_SECONDS

    async def _key_set(self) -> KeySet:
        if self._keys is None or time.monotonic() - self._keys[0] > KEYS_MAX_AGE_SECONDS:
            jwks = await self._get_json((await self.metadata()).jwks_uri)
            self._keys = (time.monotonic(), KeySet.import_key_set(jwks))  # type: ignore[arg-type]
        return self._keys[1]

    def _oauth(self, redirect_uri: str) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self._secret,
            scope=self.scope,
            redirect_uri=redirect_uri,
            timeout=self.timeout,
        )

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as http:
                response = await http.get(url)
                response.raise_for_status()
                return dict(response.json())
        except httpx.HTTPError as exc:
            raise ProviderError("PROVIDER_UNAVAILABLE", f"The sign-in provider did not answer: {exc}") from None
