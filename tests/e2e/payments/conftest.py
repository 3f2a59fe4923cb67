"""Products to buy and a shop helper: sign Stripe webhooks, drive the partners, poll orders."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from events.catalog import Product, ProductUpserted, ProductUpsertedData
from events.topics import CATALOG
from storage.catalog.tables import products
from storage.engine import create_engine
from tests.e2e.conftest import Stack
from tests.support.kafka import publisher
from tests.support.payments import PaymentPeers, intent, signed, stripe_event, stripe_headers
from tests.support.polling import eventually


@dataclass(frozen=True)
class Catalog:
    in_stock: uuid.UUID
    second: uuid.UUID
    out_of_stock: uuid.UUID


def _product(name: str, price: str, availability: str) -> Product:
    return Product(
        product_id=uuid.uuid4(),
        identity=f"sku:{name}",
        external_id=name,
        source_platform="shopify",
        name=name,
        price=Decimal(price),
        currency="USD",
        availability_status=availability,  # type: ignore[arg-type]
        sku=name,
    )


@pytest.fixture(scope="package")
def catalog(stack: Stack) -> Catalog:
    """Three products published as product.upserted and folded by the stack's projector."""
    made = [_product(f"serum-{uuid.uuid4().hex[:6]}", "24.50", "in_stock")]
    made.append(_product(f"cream-{uuid.uuid4().hex[:6]}", "10.00", "in_stock"))
    made.append(_product(f"mask-{uuid.uuid4().hex[:6]}", "5.00", "out_of_stock"))

    async def publish() -> None:
        async with publisher(stack.settings.kafka_servers, stack.settings.topic_prefix) as bus:
            for p in made:
                data = ProductUpsertedData(product=p, revision=1)
                await bus.publish(
                    CATALOG, ProductUpserted(source="test", subject=str(p.product_id), correlation_id="t", data=data)
                )
        engine = create_engine(stack.settings.db_url)
        try:

            async def folded() -> bool:
                async with engine.connect() as conn:
                    ids = [p.product_id for p in made]
                    found = await conn.execute(select(func.count()).where(products.c.id.in_(ids)))
                    return found.scalar_one() == len(made)

            await eventually(folded, timeout=30, every=0.2, what="the projector to fold the test products")
        finally:
            await engine.dispose()

    asyncio.run(publish())
    return Catalog(made[0].product_id, made[1].product_id, made[2].product_id)


@dataclass
class Shop:
    """A signed-in buyer, and the outside world (Stripe's webhooks, the partners) around the stack."""

    http: httpx.AsyncClient
    token: str
    user_id: str
    peers: PaymentPeers

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def buy(self, lines: list[tuple[uuid.UUID, int]], amount: int) -> dict[str, Any]:
        body = {
            "amount": amount,
            "currency": "usd",
            "order_items": [{"product_id": str(p), "quantity": q} for p, q in lines],
        }
        answer = await self.http.post("/payments/create-intent", json=body, headers=self.auth)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    async def webhook(self, event: dict[str, Any], **sign: Any) -> httpx.Response:
        body, header = signed(event, **sign)
        return await self.http.post("/webhooks/stripe", content=body, headers=stripe_headers(header))

    async def paid(self, order: dict[str, Any], twice: bool = True) -> dict[str, Any]:
        """Stripe says the intent succeeded (delivered twice, as Stripe may)."""
        obj = intent(order["payment_intent_id"], "succeeded", order["amount"], order["order_id"], self.user_id)
        event = stripe_event("payment_intent.succeeded", obj)
        for _ in range(2 if twice else 1):
            assert (await self.webhook(event)).status_code == 200
        return event

    async def order(self, order_id: str) -> dict[str, Any]:
        answer = await self.http.get(f"/orders/{order_id}", headers=self.auth)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    async def until(self, order_id: str, what: str, **fields: Any) -> dict[str, Any]:
        async def probe() -> dict[str, Any] | None:
            found = await self.order(order_id)
            return found if all(found.get(k) == v for k, v in fields.items()) else None

        return await eventually(probe, timeout=45, every=0.2, what=f"order {what} {fields}")

    async def partner(self, name: str, method: str, path: str, **kwargs: Any) -> Any:
        async with httpx.AsyncClient(trust_env=False, timeout=10) as http:
            answer = await http.request(method, f"{self.peers.partners[name].url}{path}", **kwargs)
            answer.raise_for_status()
            return answer.json()


async def user_id_of(http: httpx.AsyncClient, token: str) -> str:
    profile = await http.get("/auth/profile", headers={"Authorization": f"Bearer {token}"})
    assert profile.status_code == 200, profile.text
    body = profile.json()
    return str(body["user_id"])


@pytest.fixture
async def shop(stack: Stack, client: httpx.AsyncClient, payment_peers: PaymentPeers) -> AsyncIterator[Shop]:
    token = stack.token(f"buyer-{uuid.uuid4().hex[:8]}@example.com")
    found = Shop(client, token, await user_id_of(client, token), payment_peers)
    for name in payment_peers.partners:
        await found.partner(name, "POST", "/_admin/mode", json={"mode": "normal"})
    yield found
    for name in payment_peers.partners:
        await found.partner(name, "POST", "/_admin/mode", json={"mode": "normal"})
