"""Real local peers for the payments tests: stripe-mock (built with `go install` if missing), two dropship
partners, and a webhook receiver that verifies partner webhooks with Shine's own bridge. No Kafka or Postgres."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from infra.partner.process import PartnerProcess, ensure_partner, stop_partner
from infra.processes import port_open
from infra.stripe_mock import StripeMock, ensure_stripe_mock, stop_stripe_mock, tools_dir
from producers.payments.outcomes import Outcome, Publish, Rejected
from producers.payments.partner_webhook import HEADER, PartnerWebhookConfig, bridge_partner_webhook
from tests.support.services import ROOT, free_port
from tests.support.serving import served

PARTNER_SECRETS = {"primary": "whsec_partner_primary_test", "fallback": "whsec_partner_fallback_test"}
# The fallback signs with a secret Shine does not hold: its webhooks must be refused.
SHINE_HOLDS = {"primary": PARTNER_SECRETS["primary"], "fallback": "whsec_not_the_fallbacks"}


@pytest.fixture(scope="session")
def payments_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("payments")


@pytest.fixture(scope="session")
def stripe_mock(payments_var: Path) -> Iterator[StripeMock]:
    # The binary is cached in the project's var/tools (git-ignored); a fresh machine builds it here.
    started = ensure_stripe_mock(payments_var, free_port(), tools=tools_dir(ROOT / "var"), timeout=60)
    try:
        yield started
    finally:
        stop_stripe_mock(payments_var)
        assert not port_open("127.0.0.1", int(started.url.rsplit(":", 1)[1]))


@dataclass
class Receiver:
    """Shine's side of the partner webhooks, verified by producers.payments.partner_webhook."""

    url: str
    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)

    def published(self, partner: str) -> list[Publish]:
        return [o for p, o in self.outcomes if p == partner and isinstance(o, Publish)]

    def rejected(self, partner: str) -> list[Rejected]:
        return [o for p, o in self.outcomes if p == partner and isinstance(o, Rejected)]


@pytest.fixture(scope="session")
async def receiver() -> AsyncIterator[Receiver]:
    port = free_port()
    found = Receiver(f"http://127.0.0.1:{port}")

    async def webhook(request: Request) -> Response:
        partner = request.path_params["partner"]
        config = PartnerWebhookConfig(partner, (SHINE_HOLDS[partner],))
        outcome = bridge_partner_webhook(await request.body(), request.headers.get(HEADER), config)
        found.outcomes.append((partner, outcome))
        status = 400 if isinstance(outcome, Rejected) else 200
        return JSONResponse({"outcome": type(outcome).__name__}, status_code=status)

    app = Starlette(routes=[Route("/webhooks/partners/{partner}", webhook, methods=["POST"])])
    async with served(app, port, lifespan="off"):
        yield found


@pytest.fixture(scope="session")
def partners(payments_var: Path, receiver: Receiver) -> Iterator[dict[str, PartnerProcess]]:
    started: dict[str, PartnerProcess] = {}
    try:
        for name, secret in PARTNER_SECRETS.items():
            hook = f"{receiver.url}/webhooks/partners/{name}"
            started[name] = ensure_partner(payments_var, name, free_port(), hook, secret, api_key=f"key-{name}")
        yield started
    finally:
        for name in started:
            stop_partner(payments_var, name)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    # trust_env=False: no proxy between the tests and loopback.
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        yield client


@pytest.fixture
async def normal(partners: dict[str, PartnerProcess], http: httpx.AsyncClient) -> AsyncIterator[None]:
    """Every partner in normal mode before and after the test."""
    for partner in partners.values():
        (await http.post(f"{partner.url}/_admin/mode", json={"mode": "normal"})).raise_for_status()
    yield
    for partner in partners.values():
        (await http.post(f"{partner.url}/_admin/mode", json={"mode": "normal"})).raise_for_status()
