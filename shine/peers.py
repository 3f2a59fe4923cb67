"""Local peers: real-protocol stand-ins for outside services (an OpenID provider, a storefront, stripe-mock and its
webhook companion, a dropship partner, Firecrawl), run by `shine run` as supervised children so the default
system is alive offline.

A peer is one declaration: its name, whether this deployment wants it locally (no real service configured),
an optional install step `shine up` runs first (e.g. `go install`, `npm install`), and its command line.
Adding a peer is one line in `PEERS`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from shine import discovery_peers as crawl
from shine import payments_peers as pay
from shine.discovery_settings import firecrawl_is_local, mcp_peer_wanted
from shine.settings import Settings
from shine.signin import provider_argv, signin_is_local


@dataclass(frozen=True)
class LocalPeer:
    """A supervised local stand-in for an outside service."""

    name: str
    wanted: Callable[[Settings], bool]
    argv: Callable[[Settings], list[str]]
    prepare: Callable[[Settings], None] | None = None


def _module(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


PEERS: tuple[LocalPeer, ...] = (
    # Google's part in the sign-in, unless a Google client id is configured.
    LocalPeer("openid-provider", signin_is_local, provider_argv),
    # The demo storefront serves the shipped synthetic catalog when no feed is configured.
    LocalPeer(
        "storefront",
        lambda s: s.catalog_feeds is None,
        lambda s: _module("infra.storefront", "--port", str(s.storefront_port)),
    ),
    # Not an outside service: the scheduled catalog sync, a periodic task in a supervised process of its own.
    LocalPeer("catalog-sync", lambda s: bool(s.feeds), lambda s: _module("shine.cli", "catalog", "sync")),
    # Stripe's official API mock and the dropship partners, unless real services are configured.
    LocalPeer("stripe-mock", pay.stripe_mock_wanted, pay.stripe_mock_argv, pay.prepare_stripe_mock),
    LocalPeer("stripe-events", pay.stripe_mock_wanted, pay.stripe_events_argv),
    LocalPeer("partner-primary", pay.partner_wanted("primary"), pay.partner_argv("primary")),
    LocalPeer("partner-fallback", pay.partner_wanted("fallback"), pay.partner_argv("fallback")),
    # The Firecrawl fake over fixture pages, and firecrawl-mcp over streamable HTTP (npm), unless configured.
    LocalPeer("firecrawl-fake", firecrawl_is_local, crawl.fake_argv),
    LocalPeer("firecrawl-mcp", mcp_peer_wanted, crawl.mcp_argv, crawl.prepare_mcp),
)


def wanted_peers(settings: Settings) -> list[LocalPeer]:
    """The peers this deployment runs locally."""
    return [p for p in PEERS if p.wanted(settings)]


def prepare_peers(settings: Settings) -> None:
    """Install what the wanted peers need (idempotent; `shine up` calls it)."""
    for peer in wanted_peers(settings):
        if peer.prepare is not None:
            peer.prepare(settings)
