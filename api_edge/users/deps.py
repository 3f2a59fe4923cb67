"""What the sign-in, session and profile routes use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from api_edge.oidc import OidcClient
from api_edge.platform.database import Database
from api_edge.users.session_rules import SessionPolicy


@dataclass(frozen=True)
class UsersDeps:
    """Sign-in: the provider, the exact redirect URIs allowed, login and session lifetimes; the outbox prefix."""

    db: Database
    oidc: OidcClient
    redirect_uris: tuple[str, ...]
    login_ttl: timedelta
    sessions: SessionPolicy
    topic_prefix: str
