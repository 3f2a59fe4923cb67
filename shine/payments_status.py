"""What `shine status` says about payments: where Stripe and the partners are, and the local signing secret."""

from __future__ import annotations

from typing import Any

from shine.payments_settings import partners, stripe_api_base, stripe_is_local, stripe_webhook_secrets
from shine.settings import Settings


def payments_status(settings: Settings) -> dict[str, Any]:
    """Stripe and partner endpoints; like `stripe listen`, the local webhook signing secret (whsec_…) to sign with.

    Configured (production) secrets are never printed: only the local machine's own test secret is.
    """
    local = stripe_is_local(settings) and not settings.stripe_webhook_secrets
    return {
        "stripe": {
            "api_base": stripe_api_base(settings) or "https://api.stripe.com",
            "local": stripe_is_local(settings),
            "webhook_url": f"{settings.edge_url}/webhooks/stripe",
            "webhook_signing_secret": stripe_webhook_secrets(settings)[0] if local else "(configured)",
        },
        "partners": {p.name: {"url": p.url, "local": p.local} for p in partners(settings)},
        "free_analyses_per_month": settings.free_analyses_per_month,
    }
