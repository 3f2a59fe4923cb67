"""Payments settings (Stripe, dropship partners, refunds, free tier) and what they mean in effect.

Unset, everything is local: stripe-mock on 127.0.0.1:SHINE_STRIPE_MOCK_PORT with Stripe's test key, two partner
services (`primary`, `fallback`), and webhook signing secrets made once per machine under var/secrets.
A real `SHINE_STRIPE_API_KEY` (anything but the stripe-mock placeholder) talks to Stripe itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from infra.stripe_mock import TEST_API_KEY, local_webhook_secret

if TYPE_CHECKING:
    from shine.settings import Settings

PARTNERS = ("primary", "fallback")


class PaymentSettings(BaseModel):
    """Stripe, partners, return window and the free tier (SHINE_* names are the field names upper-cased)."""

    stripe_api_key: str = TEST_API_KEY
    stripe_api_base: str | None = None  # e.g. a stripe-mock elsewhere; unset: local stripe-mock or Stripe
    stripe_mock_port: int = Field(default=12111, ge=1, le=65535)  # the local Stripe API (stripe-events)
    stripe_mock_backend_port: int = Field(default=12112, ge=1, le=65535)  # stripe-mock itself, behind it
    stripe_webhook_secrets: tuple[str, ...] = ()  # newest first; unset: this machine's local whsec_
    stripe_webhook_tolerance_seconds: int = Field(default=300, gt=0)
    stripe_premium_price_id: str = "price_shine_premium_monthly"
    stripe_timeout_seconds: float = Field(default=10.0, gt=0)
    partner_primary_url: str | None = None  # unset: the local partner service
    partner_fallback_url: str | None = None
    partner_primary_port: int = Field(default=18401, ge=1, le=65535)
    partner_fallback_port: int = Field(default=18402, ge=1, le=65535)
    partner_api_key: str | None = None
    partner_webhook_secrets: tuple[str, ...] = ()  # "name:secret" entries; unset: local secrets
    partner_timeout_seconds: float = Field(default=5.0, gt=0)
    partner_circuit_failures: int = Field(default=5, ge=1)
    partner_circuit_reset_seconds: float = Field(default=30.0, gt=0)
    return_window_days: int = Field(default=30, ge=0)
    free_analyses_per_month: int = Field(default=3, ge=0)


@dataclass(frozen=True)
class Partner:
    """One dropship partner as configured: where it is and the secrets its webhooks are signed with."""

    name: str
    url: str
    secrets: tuple[str, ...]
    local: bool


def stripe_is_local(settings: Settings) -> bool:
    """Whether Stripe is the local stripe-mock (the default) rather than Stripe or a given API base."""
    return settings.stripe_api_base is None and settings.stripe_api_key == TEST_API_KEY


def stripe_api_base(settings: Settings) -> str | None:
    """Where Stripe calls go (None: Stripe itself)."""
    if settings.stripe_api_base:
        return settings.stripe_api_base
    return f"http://127.0.0.1:{settings.stripe_mock_port}" if stripe_is_local(settings) else None


def _var(settings: Settings) -> Path:
    return settings.var_dir


def stripe_webhook_secrets(settings: Settings) -> tuple[str, ...]:
    """The Stripe webhook secrets in force: configured, else this machine's local one."""
    return settings.stripe_webhook_secrets or (local_webhook_secret(_var(settings)),)


def partners(settings: Settings) -> tuple[Partner, ...]:
    """The partners in preference order (primary, then fallback)."""
    configured: dict[str, list[str]] = {}
    for entry in settings.partner_webhook_secrets:
        name, _, secret = entry.partition(":")
        configured.setdefault(name.strip(), []).append(secret.strip())
    found = []
    for name, url, port in (
        ("primary", settings.partner_primary_url, settings.partner_primary_port),
        ("fallback", settings.partner_fallback_url, settings.partner_fallback_port),
    ):
        secrets = tuple(configured.get(name) or [local_webhook_secret(_var(settings), f"partner-{name}")])
        found.append(Partner(name, url or f"http://127.0.0.1:{port}", secrets, local=url is None))
    return tuple(found)
