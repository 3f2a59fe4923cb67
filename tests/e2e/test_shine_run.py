"""`shine run` — what `make run` runs — as a new user meets it: one command brings up the edge, every consumer and
every local peer; a new user signs in through the local OpenID provider's sign-in page; a face photo gets a result
with recommendations from the demo catalog; a recommended product is bought with a test card and the order is paid
and forwarded to the partner, with nobody signing a webhook by hand; Ctrl-C stops every child.

The test broker and database stand in for the ones `shine run` would start under var/ (the rest is as shipped).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from html import unescape
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from infra.postgres_local import create_database
from infra.processes import port_open
from shine.settings import Settings
from tests.support.image_bytes import encode, photo
from tests.support.polling import eventually
from tests.support.services import PG_PORT, ROOT, env_for, free_port

if TYPE_CHECKING:
    from tests.support.services import TestServices

pytestmark = pytest.mark.e2e
PEER_PORTS = (
    "oidc_local_port",
    "storefront_port",
    "stripe_mock_port",
    "stripe_mock_backend_port",
    "partner_primary_port",
    "partner_fallback_port",
    "firecrawl_fake_port",
    "firecrawl_mcp_port",
)


@pytest.fixture(scope="module")
def system(services: TestServices, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    run = uuid.uuid4().hex[:8]
    create_database(PG_PORT, f"shine_run_{run}")
    var_dir = tmp_path_factory.mktemp("shine-run")
    var_dir.chmod(0o755)
    shared_tools = ROOT / "var" / "tools"  # stripe-mock and firecrawl-mcp, built once for every test
    shared_tools.mkdir(parents=True, exist_ok=True)
    (var_dir / "tools").symlink_to(shared_tools, target_is_directory=True)
    settings = services.settings(
        database_url=services.database_url.rsplit("/", 1)[0] + f"/shine_run_{run}",
        topic_prefix=f"{services.prefix}run{run}.",
        var_dir=var_dir,
        edge_port=free_port(),
        **{name: free_port() for name in PEER_PORTS},
    )
    log = (var_dir / "shine-run.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "shine.cli", "run"], cwd=ROOT, env=env_for(settings), stdout=log, stderr=log
    )
    try:
        yield settings
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            proc.wait(60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            log.close()
        assert proc.returncode == 0
        left = [name for name in PEER_PORTS if port_open("127.0.0.1", getattr(settings, name))]
        assert not left, f"still listening after Ctrl-C: {left}"


async def _sign_in(http: httpx.AsyncClient, system: Settings, email: str) -> str:
    """The whole sign-in a client app and its user go through, on the local provider: an access token."""
    landing = f"http://127.0.0.1:{system.oidc_local_port}/signed-in"  # the provider's demo redirect URI
    login = {"client_type": "web", "redirect_uri": landing, "state": "client-state-1"}
    started = await _json(http, "POST", "/auth/login", json=login)
    async with httpx.AsyncClient(trust_env=False, timeout=10) as browser:
        page = await browser.get(started["authorization_url"])
        hidden = dict(re.findall(r"<input type='hidden' name='([^']*)' value='([^']*)'>", page.text))
        form = {unescape(k): unescape(v) for k, v in hidden.items()} | {"email": email, "name": "New User"}
        done = await browser.post(started["authorization_url"].split("?")[0], data=form, follow_redirects=True)
    assert done.status_code == 200 and str(done.url).startswith(landing), done.text
    code, state = done.url.params["code"], done.url.params["state"]
    assert state == started["state"]  # the client compares it with what /auth/login answered
    signed_in = await _json(http, "POST", "/auth/callback", json={"code": code, "state": state})
    assert signed_in["user_profile"]["email"] == email
    return str(signed_in["access_token"])


async def _json(http: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> Any:
    answer = await http.request(method, url, **kwargs)
    assert answer.is_success, f"{method} {url}: {answer.status_code} {answer.text}"
    return answer.json()


async def test_one_command_runs_a_system_a_user_can_buy_from(system: Settings) -> None:
    async with httpx.AsyncClient(base_url=system.edge_url, timeout=30, trust_env=False) as http:

        async def ready() -> bool:
            try:
                return (await http.get("/ready")).status_code == 200
            except httpx.TransportError:
                return False

        # `up` may build stripe-mock (about two minutes) on a machine that has never built it.
        await eventually(ready, timeout=300, every=1, what="GET /ready")
        auth = {"Authorization": f"Bearer {await _sign_in(http, system, 'new-user@example.com')}"}

        async def catalog() -> bool:
            return bool((await _json(http, "GET", "/products", headers=auth))["products"])

        await eventually(catalog, timeout=120, every=1, what="the demo catalog imported by catalog-sync")
        face = ("face.jpg", encode(".jpg", photo()), "image/jpeg")
        upload = await _json(http, "POST", "/analysis/upload", files={"image": face}, headers=auth)

        async def analysed() -> dict[str, Any] | None:
            result: dict[str, Any] = await _json(http, "GET", f"/analysis/results/{upload['upload_id']}", headers=auth)
            return result if result["status"] == "completed" else None

        result = await eventually(analysed, timeout=60, what="the analysis")

        async def recommended() -> list[dict[str, Any]]:
            found = await http.get(f"/recommendations/{result['analysis_id']}", headers=auth)
            return list(found.json()["recommendations"]) if found.status_code == 200 else []  # 404 until made

        pick = (await eventually(recommended, timeout=60, what="recommendations"))[0]
        product = await _json(http, "GET", f"/products/{pick['product_id']}", headers=auth)
        cents = round(float(product["price"]) * 100)
        cart = {"amount": cents, "currency": "usd", "order_items": [{"product_id": pick["product_id"], "quantity": 1}]}
        intent = await _json(http, "POST", "/payments/create-intent", json=cart, headers=auth)
        card = {"payment_intent_id": intent["payment_intent_id"], "payment_method_id": "pm_card_visa"}
        confirmed = await _json(http, "POST", "/payments/confirm", json=card, headers=auth)
        assert confirmed["payment_status"] == "succeeded"

        async def forwarded() -> dict[str, Any] | None:
            order: dict[str, Any] = await _json(http, "GET", f"/orders/{intent['order_id']}", headers=auth)
            return order if order["fulfillment_status"] == "forwarded" else None

        order = await eventually(forwarded, timeout=60, what="the order paid and forwarded")
        assert (order["payment_status"], order["paid_amount"], order["partner"]) == ("succeeded", cents, "primary")
