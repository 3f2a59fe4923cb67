"""Discovery through the running system: edge → shine.discovery.v1 → crawl (real firecrawl-mcp over the Firecrawl
fake) → projector → edge, with live progress over the WebSocket, failover, cache fallback and isolation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from tests.e2e.conftest import Stack
from tests.e2e.discovery.steps import auth, completed_analysis, discover, finished, results, socket_url, watch
from tests.support.discovery import DiscoveryPeers
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def healthy_peers(discovery_peers: DiscoveryPeers) -> Any:
    """Every test starts and ends with both MCP servers running and the fake without faults."""
    yield
    discovery_peers.clear()
    for name, proc in discovery_peers.servers.items():
        if proc.poll() is not None:
            discovery_peers.start(name)


def _assert_products(body: dict[str, Any]) -> None:
    products = body["related_products"]
    assert products, body
    for product in products:
        assert 0 <= product["quality_score"] <= 1 and 0 <= product["similarity_score"] <= 1
        assert product["source"]["source_url"].startswith("https://") and product["source"]["site"]
        assert product["source"]["fetched_at"] and product["availability"] == "unknown"
    assert all(p["quality_score"] >= 0.3 for p in products)


async def test_a_user_discovers_from_their_analysis_and_watches_it_live(
    client: httpx.AsyncClient, stack: Stack
) -> None:
    token = stack.token("discovery-live@example.com")
    analysis_id = await completed_analysis(client, token)
    accepted = await discover(client, token, analysis_id, search_parameters={"keywords": ["serum"]})
    assert accepted.status_code == 202, accepted.text
    body = accepted.json()
    assert body["status"] == "queued" and body["estimated_completion_time"] > 0
    assert body["progress_url"].endswith(f"/mcp/discovery-progress/{body['discovery_id']}")
    first = await client.get(body["progress_url"], headers=auth(token))  # read-your-write: never a 404
    assert first.status_code == 200 and first.json()["discovery_status"] in ("queued", "active", "completed")

    url = await socket_url(client, token, body["discovery_id"])
    updates = await watch(url)
    assert updates[-1]["discovery_status"] == "completed" and updates[-1]["progress_percentage"] == 100
    percentages = [u["progress_percentage"] for u in updates]
    assert percentages == sorted(percentages)
    with pytest.raises(InvalidStatus):  # the ticket was used up
        await watch(url, timeout=10)

    found = await results(client, token, body["discovery_id"])
    assert found["discovery_status"] == "completed" and found["analysis_id"] == analysis_id
    assert 0 < found["quality_score"] <= 1 and found["results_found"] >= len(found["related_products"])
    assert not found["degraded"] and found["message"] is None
    _assert_products(found)
    assert found["similar_images"] and found["queries"]
    assert not any("autoshine" in p["source"]["site"] for p in found["related_products"])  # off-topic filtered

    product_id = next(p["product_id"] for p in found["related_products"] if p["product_id"])

    async def in_catalog() -> bool:
        return (await client.get(f"/products/{product_id}", headers=auth(token))).status_code == 200

    await eventually(in_catalog, timeout=30, every=0.25, what="the discovered product in the catalog")


async def test_another_users_analysis_and_discovery_are_not_found(client: httpx.AsyncClient, stack: Stack) -> None:
    owner, other = stack.token("discovery-owner@example.com"), stack.token("discovery-other@example.com")
    analysis_id = await completed_analysis(client, owner)
    assert (await discover(client, other, analysis_id)).status_code == 404
    discovery_id = (await discover(client, owner, analysis_id)).json()["discovery_id"]
    for path in (f"/mcp/discovery-progress/{discovery_id}", f"/mcp/discovery-results/{discovery_id}"):
        refused = await client.get(path, headers=auth(other))
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "DISCOVERY_NOT_FOUND"
    ticket = await client.post(f"/mcp/discovery-progress/{discovery_id}/ticket", headers=auth(other))
    assert ticket.status_code == 404
    with pytest.raises(InvalidStatus):  # no ticket, no socket
        await watch(stack.base_url.replace("http", "ws", 1) + f"/mcp/discovery-progress/{discovery_id}/ws", timeout=10)
    await finished(client, owner, discovery_id)


async def test_running_discoveries_are_limited_per_user_and_keys_make_retries_safe(
    client: httpx.AsyncClient, stack: Stack, discovery_peers: DiscoveryPeers
) -> None:
    token = stack.token("discovery-limit@example.com")
    analysis_id = await completed_analysis(client, token)
    discovery_peers.fault("search", delay=1.0)  # keeps the first ones running while the user asks for more
    key = {"Idempotency-Key": "discover-limit-1"}
    first = await client.post(
        "/mcp/discover-similar", json={"analysis_id": analysis_id}, headers={**auth(token), **key}
    )
    again = await client.post(
        "/mcp/discover-similar", json={"analysis_id": analysis_id}, headers={**auth(token), **key}
    )
    assert first.status_code == again.status_code == 202
    assert (
        again.json()["discovery_id"] == first.json()["discovery_id"] and again.headers["Idempotent-Replayed"] == "true"
    )
    second = await discover(client, token, analysis_id)
    assert second.status_code == 202, second.text
    third = await discover(client, token, analysis_id)
    assert third.status_code == 429 and third.json()["error"]["code"] == "DISCOVERY_LIMIT_REACHED"
    discovery_peers.clear()
    await finished(client, token, second.json()["discovery_id"])
    assert (await discover(client, token, analysis_id)).status_code == 202  # a slot is free again


async def test_a_server_killed_mid_run_and_the_discovery_completes_through_the_other(
    client: httpx.AsyncClient, stack: Stack, discovery_peers: DiscoveryPeers
) -> None:
    token = stack.token("discovery-failover@example.com")
    analysis_id = await completed_analysis(client, token, "grace_hopper")
    discovery_peers.fault("search", delay=1.0)  # slow answers keep calls in flight when the server dies
    discovery_peers.fault("scrape", delay=0.5)
    discovery_id = (await discover(client, token, analysis_id)).json()["discovery_id"]
    killed: list[str] = []

    def kill_once_running(update: dict[str, Any]) -> None:
        if update["discovery_status"] == "active" and not killed:
            discovery_peers.kill("mcp-a")
            killed.append("mcp-a")

    updates = await watch(await socket_url(client, token, discovery_id), kill_once_running)
    assert killed and not discovery_peers.running("mcp-a"), updates
    assert updates[-1]["discovery_status"] == "completed"
    found = await results(client, token, discovery_id)
    assert not found["degraded"], found  # every call the dead server dropped was retried on the live one
    _assert_products(found)


async def test_with_every_server_down_the_discovery_answers_from_cache_and_says_so(
    client: httpx.AsyncClient, stack: Stack, discovery_peers: DiscoveryPeers
) -> None:
    token = stack.token("discovery-cache@example.com")
    analysis_id = await completed_analysis(client, token, "grace_hopper")
    live = await finished(client, token, (await discover(client, token, analysis_id)).json()["discovery_id"])
    assert live["discovery_status"] == "completed" and live["related_products"]
    for name in discovery_peers.servers:
        discovery_peers.kill(name)
    discovery_id = (await discover(client, token, analysis_id)).json()["discovery_id"]
    found = await finished(client, token, discovery_id, timeout=180)
    assert found["discovery_status"] == "completed", found
    assert found["degraded"] and found["from_cache"] and "cache" in found["message"]
    _assert_products(found)
    assert {p["source"]["source_url"] for p in found["related_products"]} <= {
        p["source"]["source_url"] for p in live["related_products"]
    }
    progress = (await client.get(f"/mcp/discovery-progress/{discovery_id}", headers=auth(token))).json()
    assert progress["from_cache"] and progress["degraded"] and progress["progress_percentage"] == 100
