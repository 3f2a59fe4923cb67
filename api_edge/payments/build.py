"""Build the payments context's dependencies from settings (the edge's Stripe client, webhook secrets)."""

from __future__ import annotations

from datetime import timedelta

from api_edge.payments.deps import PaymentsDeps
from api_edge.platform.bus import Bus
from api_edge.platform.database import Database
from api_edge.platform.idempotency import Idempotency
from consumers.fulfillment.payments_client import PaymentsClient, StripeConfig
from producers.payments.partner_webhook import PartnerWebhookConfig
from producers.payments.verification import WebhookSecrets
from shine.payments_settings import partners, stripe_api_base, stripe_webhook_secrets
from shine.settings import Settings


def payments_deps(settings: Settings, db: Database, bus: Bus, idempotency: Idempotency) -> PaymentsDeps:
    """The payments deps; Stripe calls from the edge are bounded by the dependency timeout, never retried inside."""
    timeout = settings.dependency_timeout_seconds
    stripe = PaymentsClient(StripeConfig(settings.stripe_api_key, stripe_api_base(settings), timeout, 0))
    tolerance = settings.stripe_webhook_tolerance_seconds
    return PaymentsDeps(
        db=db,
        bus=bus,
        stripe=stripe,
        idempotency=idempotency,
        stripe_webhooks=WebhookSecrets(stripe_webhook_secrets(settings), tolerance),
        partner_webhooks={p.name: PartnerWebhookConfig(p.name, p.secrets, tolerance) for p in partners(settings)},
        return_window=timedelta(days=settings.return_window_days),
        premium_price_id=settings.stripe_premium_price_id,
        public_url=settings.edge_url,
        timeout=timeout,
        retry_after=settings.retry_after_seconds,
    )
