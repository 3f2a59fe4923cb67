"""The `fulfillment` consumer group: paid orders to dropship partners, cancellations, refunds, premium tiers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from consumers.runtime.group import ConsumerGroup, GroupContext, Handlers
from events.orders import ORDER_EVENTS
from events.payments import PAYMENT_EVENTS


@asynccontextmanager
async def open_fulfillment(context: GroupContext) -> AsyncIterator[Handlers]:
    """Its own database engine, Stripe client and partner HTTP clients."""
    import httpx

    from consumers.fulfillment.domain.circuit import CircuitConfig
    from consumers.fulfillment.effects import Effects
    from consumers.fulfillment.forwarding import Forwarder
    from consumers.fulfillment.handlers import FulfillmentHandlers
    from consumers.fulfillment.partners import PartnerClient, PartnerEndpoint
    from consumers.fulfillment.payments_client import PaymentsClient, StripeConfig
    from consumers.fulfillment.subscription_events import SUBSCRIPTION_EVENTS
    from shine.payments_settings import partners, stripe_api_base
    from storage.engine import create_engine

    s = context.settings
    async with AsyncExitStack() as stack:
        engine = create_engine(s.db_url)
        stack.push_async_callback(engine.dispose)
        http = await stack.enter_async_context(httpx.AsyncClient(trust_env=False))
        stripe = PaymentsClient(StripeConfig(s.stripe_api_key, stripe_api_base(s), s.stripe_timeout_seconds))
        stack.push_async_callback(stripe.close)
        clients = [
            PartnerClient(PartnerEndpoint(p.name, p.url, s.partner_api_key, s.partner_timeout_seconds), http)
            for p in partners(s)
        ]
        circuit = CircuitConfig(s.partner_circuit_failures, s.partner_circuit_reset_seconds)
        effects = Effects(Forwarder(clients, circuit), stripe, {c.name: c for c in clients})
        handlers = FulfillmentHandlers(engine, context.publisher, effects)
        table: Handlers = {
            e: handlers.on_subscription_event if e in SUBSCRIPTION_EVENTS else handlers.on_order_event
            for e in (*ORDER_EVENTS, *PAYMENT_EVENTS)
        }
        yield table


FULFILLMENT = ConsumerGroup("fulfillment", (*ORDER_EVENTS, *PAYMENT_EVENTS), open_fulfillment)
