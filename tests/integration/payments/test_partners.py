"""Dropship partners as real processes: idempotent orders, fallback on failure, circuit, signed shipment webhooks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from consumers.fulfillment.domain import keys
from consumers.fulfillment.domain.circuit import CircuitConfig
from consumers.fulfillment.domain.facts import Line
from consumers.fulfillment.domain.routing import Attempt
from consumers.fulfillment.forwarding import Forwarder
from consumers.fulfillment.partners import PartnerClient, PartnerEndpoint
from events.orders import OrderDelivered, OrderShipped
from infra.partner.process import PartnerProcess
from producers.payments.partner_webhook import event_id_for
from producers.payments.verification import Rejection
from tests.integration.payments.conftest import Receiver
from tests.support.polling import eventually
from tests.support.services import free_port

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("normal")]

LINES = (Line("SKU-SERUM", 1), Line("SKU-CREAM", 2))


def _client(partner: PartnerProcess, http: httpx.AsyncClient, timeout: float = 5.0) -> PartnerClient:
    return PartnerClient(PartnerEndpoint(partner.name, partner.url, f"key-{partner.name}", timeout), http)


@pytest.fixture
async def shine_http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False) as client:
        yield client


async def _orders(http: httpx.AsyncClient, partner: PartnerProcess, reference: str) -> list[dict[str, object]]:
    found = (await http.get(f"{partner.url}/_admin/orders")).json()["data"]
    return [o for o in found if o["reference"] == reference]


async def _mode(http: httpx.AsyncClient, partner: PartnerProcess, **mode: object) -> None:
    (await http.post(f"{partner.url}/_admin/mode", json=mode)).raise_for_status()


async def test_the_same_idempotency_key_twice_makes_one_partner_order(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient
) -> None:
    primary, order = _client(partners["primary"], shine_http), uuid.uuid4()
    first = await primary.create_order(str(order), LINES, keys.partner_order_key(order))
    again = await primary.create_order(str(order), LINES, keys.partner_order_key(order))
    assert first.outcome is again.outcome is Attempt.ACCEPTED
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.partner_order_id == again.partner_order_id
    assert len(await _orders(http, partners["primary"], str(order))) == 1


async def test_the_same_key_with_another_order_is_refused_not_duplicated(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient
) -> None:
    primary, order = _client(partners["primary"], shine_http), uuid.uuid4()
    await primary.create_order(str(order), LINES, keys.partner_order_key(order))
    other = await primary.create_order(str(order), (Line("SKU-OTHER", 1),), keys.partner_order_key(order))
    assert (other.outcome, other.status_code) == (Attempt.REJECTED, 422)
    assert len(await _orders(http, partners["primary"], str(order))) == 1


async def test_the_api_key_is_required(partners: dict[str, PartnerProcess], shine_http: httpx.AsyncClient) -> None:
    anonymous = PartnerClient(PartnerEndpoint("primary", partners["primary"].url), shine_http)
    reply = await anonymous.create_order(str(uuid.uuid4()), LINES, "k")
    assert (reply.outcome, reply.status_code) == (Attempt.REJECTED, 401)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ({"mode": "error", "status_code": 503}, Attempt.SERVER_ERROR),
        ({"mode": "error", "status_code": 500}, Attempt.SERVER_ERROR),
        ({"mode": "out_of_stock"}, Attempt.OUT_OF_STOCK),
    ],
)
async def test_a_failing_primary_sends_the_order_to_the_fallback(
    partners: dict[str, PartnerProcess],
    http: httpx.AsyncClient,
    shine_http: httpx.AsyncClient,
    mode: dict[str, object],
    expected: Attempt,
) -> None:
    await _mode(http, partners["primary"], **mode)
    forwarder = Forwarder([_client(partners["primary"], shine_http), _client(partners["fallback"], shine_http)])
    order = uuid.uuid4()
    done = await forwarder.forward(str(order), LINES, keys.partner_order_key(order))
    assert [r.outcome for r in done.replies] == [expected, Attempt.ACCEPTED]
    assert done.result.accepted == "fallback" and done.accepted is not None
    assert await _orders(http, partners["primary"], str(order)) == []
    assert len(await _orders(http, partners["fallback"], str(order))) == 1
    assert done.strays == (() if expected is Attempt.OUT_OF_STOCK else ("primary",))


async def test_a_primary_that_is_down_sends_the_order_to_the_fallback(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient
) -> None:
    down = PartnerClient(PartnerEndpoint("primary", f"http://127.0.0.1:{free_port()}", timeout_seconds=1), shine_http)
    forwarder = Forwarder([down, _client(partners["fallback"], shine_http)])
    order = uuid.uuid4()
    done = await forwarder.forward(str(order), LINES, keys.partner_order_key(order))
    assert [r.outcome for r in done.replies] == [Attempt.UNREACHABLE, Attempt.ACCEPTED]
    assert len(await _orders(http, partners["fallback"], str(order))) == 1


async def test_a_slow_primary_times_out_and_its_late_order_is_found_and_cancelled(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient
) -> None:
    await _mode(http, partners["primary"], mode="slow", delay_seconds=1.5, count=1)
    primary = _client(partners["primary"], shine_http, timeout=0.3)
    forwarder = Forwarder([primary, _client(partners["fallback"], shine_http)])
    order = uuid.uuid4()
    done = await forwarder.forward(str(order), LINES, keys.partner_order_key(order))
    assert [r.outcome for r in done.replies] == [Attempt.TIMEOUT, Attempt.ACCEPTED]
    assert done.strays == ("primary",)
    # The slow partner finishes the work it was given: find that stray order by our reference and cancel it.
    strays = await eventually(lambda: primary.find_by_reference(str(order)), timeout=10, what="the late primary order")
    assert (await primary.cancel_order(str(strays[0]["id"]))).outcome == "cancelled"


async def test_both_partners_down_is_a_transient_failure(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient
) -> None:
    for partner in partners.values():
        await _mode(http, partner, mode="error", status_code=502)
    forwarder = Forwarder([_client(p, shine_http) for p in partners.values()])
    done = await forwarder.forward(str(uuid.uuid4()), LINES, keys.partner_order_key(uuid.uuid4()))
    assert (done.result.failed_reason, done.result.transient, done.accepted) == ("all_partners_unavailable", True, None)


async def test_an_open_circuit_skips_the_primary_without_calling_it(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient
) -> None:
    await _mode(http, partners["primary"], mode="error", status_code=503)
    clients = [_client(partners["primary"], shine_http), _client(partners["fallback"], shine_http)]
    forwarder = Forwarder(clients, CircuitConfig(failure_threshold=2, reset_after_seconds=60))
    outcomes = []
    for _ in range(3):
        order = uuid.uuid4()
        outcomes.append((await forwarder.forward(str(order), LINES, keys.partner_order_key(order))).replies[0].outcome)
    assert outcomes == [Attempt.SERVER_ERROR, Attempt.SERVER_ERROR, Attempt.CIRCUIT_OPEN]
    assert forwarder.states() == {"primary": "open", "fallback": "closed"}


async def test_cancel_before_shipment_only(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient
) -> None:
    primary = _client(partners["primary"], shine_http)
    kept, shipped = uuid.uuid4(), uuid.uuid4()
    kept_id = (await primary.create_order(str(kept), LINES, keys.partner_order_key(kept))).partner_order_id
    shipped_id = (await primary.create_order(str(shipped), LINES, keys.partner_order_key(shipped))).partner_order_id
    assert kept_id and shipped_id
    (await http.post(f"{partners['primary'].url}/_admin/orders/{shipped_id}/ship", json={})).raise_for_status()
    assert (await primary.cancel_order(kept_id)).outcome == "cancelled"
    assert (await primary.cancel_order(kept_id)).outcome == "cancelled"
    assert (await primary.cancel_order(shipped_id)).outcome == "already_shipped"


async def test_shipment_webhooks_are_signed_and_verified_by_shine(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient, receiver: Receiver
) -> None:
    primary, order = _client(partners["primary"], shine_http), uuid.uuid4()
    partner_order = (await primary.create_order(str(order), LINES, keys.partner_order_key(order))).partner_order_id
    admin = f"{partners['primary'].url}/_admin"
    shipped = (await http.post(f"{admin}/orders/{partner_order}/ship", json={"tracking_number": "TRK-9"})).json()
    assert shipped["delivery"]["delivered"] is True and shipped["delivery"]["status_code"] == 200
    delivered = (await http.post(f"{admin}/orders/{partner_order}/deliver")).json()
    assert delivered["delivery"]["delivered"] is True
    redelivered = (await http.post(f"{admin}/deliveries/{shipped['delivery']['event_id']}/redeliver")).json()
    assert redelivered["attempts"] == 2 and redelivered["delivered"] is True
    mine = [p.event for p in receiver.published("primary") if p.event.subject == str(order)]
    assert [type(e) for e in mine] == [OrderShipped, OrderDelivered, OrderShipped]
    assert mine[0].event_id == mine[2].event_id == event_id_for("primary", shipped["delivery"]["event_id"])
    assert mine[0].data.tracking_number == "TRK-9" and mine[0].data.partner_order_id == partner_order


async def test_a_webhook_signed_with_a_secret_shine_does_not_hold_is_refused(
    partners: dict[str, PartnerProcess], http: httpx.AsyncClient, shine_http: httpx.AsyncClient, receiver: Receiver
) -> None:
    fallback, order = _client(partners["fallback"], shine_http), uuid.uuid4()
    partner_order = (await fallback.create_order(str(order), LINES, keys.partner_order_key(order))).partner_order_id
    shipped = (await http.post(f"{partners['fallback'].url}/_admin/orders/{partner_order}/ship", json={})).json()
    assert shipped["delivery"]["status_code"] == 400 and shipped["delivery"]["delivered"] is False
    assert any(r.reason is Rejection.BAD_SIGNATURE for r in receiver.rejected("fallback"))
    assert not receiver.published("fallback")

    # Refused deliveries are retried in the background (the first retry after a second), and refused again.
    async def retried() -> bool:
        found = (await http.get(f"{partners['fallback'].url}/_admin/deliveries")).json()["data"]
        mine = [d for d in found if d["event_id"] == shipped["delivery"]["event_id"]]
        return bool(mine) and mine[0]["attempts"] >= 2 and mine[0]["status_code"] == 400

    await eventually(retried, timeout=10, what="a background redelivery")
