"""Which OpenID provider signs people in: Google when a client id is configured, else the local provider.

Unset (`SHINE_OIDC_CLIENT_ID` empty), `make run` runs `infra/openid_provider` on SHINE_OIDC_LOCAL_PORT as a
supervised peer and the edge trusts it, with a client secret made once per machine under var/secrets and, unless
SHINE_OIDC_REDIRECT_URIS says otherwise, the provider's own landing page as the one registered redirect URI.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from infra.stripe_mock import local_webhook_secret
from shine.settings import Settings

LOCAL_CLIENT_ID = "shine-local"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class OidcConfig:
    """The provider the edge trusts and how it is registered there."""

    discovery_url: str
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    local: bool


def signin_is_local(settings: Settings) -> bool:
    """Whether sign-in goes to the local provider (no Google client configured)."""
    return not settings.oidc_client_id


def local_issuer(settings: Settings) -> str:
    """The local provider's issuer (its base URL)."""
    return f"http://{HOST}:{settings.oidc_local_port}"


def oidc_config(settings: Settings) -> OidcConfig:
    """The configured provider, or the local one."""
    if not signin_is_local(settings):
        return OidcConfig(
            settings.oidc_discovery_url,
            settings.oidc_client_id,
            settings.oidc_client_secret,
            settings.oidc_redirect_uris,
            local=False,
        )
    issuer = local_issuer(settings)
    return OidcConfig(
        f"{issuer}/.well-known/openid-configuration",
        LOCAL_CLIENT_ID,
        local_webhook_secret(settings.var_dir, "openid-client"),  # an opaque per-machine secret, like the others
        settings.oidc_redirect_uris or (f"{issuer}/signed-in",),
        local=True,
    )


def provider_argv(settings: Settings) -> list[str]:
    """The local provider, registered with the edge's client id, secret and redirect URIs."""
    config = oidc_config(settings)
    key = settings.var_dir.resolve() / "secrets" / "openid-signing-key.pem"
    cmd = [sys.executable, "-m", "infra.openid_provider", "--port", str(settings.oidc_local_port)]
    cmd += ["--client-id", config.client_id, "--client-secret", config.client_secret, "--key-file", str(key)]
    cmd += ["--edge-url", settings.edge_url]
    for uri in config.redirect_uris:
        cmd += ["--redirect-uri", uri]
    return cmd
