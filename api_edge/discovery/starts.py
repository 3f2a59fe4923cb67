"""Starting a discovery: the owner's completed analysis, within the per-user limit, published as
`discovery.requested` (once per Idempotency-Key) and folded at once so progress reads work straight away."""

from __future__ import annotations

import math
import statistics
import uuid

from api_edge.discovery.deps import DiscoveryDeps
from api_edge.discovery.snapshot import snapshot
from api_edge.errors import ApiError
from api_edge.platform.idempotency import Answer
from api_edge.platform.idempotency_rules import derived_id, fingerprint
from api_edge.users.session_rules import Principal
from events.discovery import DiscoveryRequested, DiscoveryRequestedData
from events.envelope import utcnow
from events.topics import DISCOVERY
from schemas.discovery import DiscoverBody, DiscoveryAccepted
from storage.analysis.queries import analysis_of
from storage.discovery import folds
from storage.discovery.queries import lock_user, recent_durations, running_count

SOURCE = "shine.edge"
OPERATION = "mcp.discover-similar"
DEFAULT_ESTIMATE = 20  # seconds, until some discoveries have completed


def estimate(durations: list[float]) -> int:
    """Seconds a new discovery probably takes: the median of the latest ones, else the default."""
    return max(1, math.ceil(statistics.median(durations))) if durations else DEFAULT_ESTIMATE


async def start(deps: DiscoveryDeps, who: Principal, body: DiscoverBody, key: str | None, cid: str) -> Answer:
    """Start a discovery (202), or replay the answer to the same keyed request."""
    print_ = fingerprint(OPERATION, body.model_dump_json().encode())

    async def work() -> Answer:
        return await _start(deps, who, body, key, cid)

    return await deps.idempotency.once(who.user_id, key, OPERATION, print_, work)


def _limit_reached(limit: int) -> ApiError:
    return ApiError(
        429,
        "DISCOVERY_LIMIT_REACHED",
        f"You already have {limit} discoveries running; wait for one to finish.",
        {"max_running": limit},
        headers={"Retry-After": "5"},
    )


async def _start(deps: DiscoveryDeps, who: Principal, body: DiscoverBody, key: str | None, cid: str) -> Answer:
    limits = deps.limits
    discovery_id = derived_id(who.user_id, key, "discovery") if key else uuid.uuid4()
    async with deps.db.transaction() as conn:
        await lock_user(conn, who.user_id)
        found = await analysis_of(conn, body.analysis_id, who.user_id)
        if found is None:
            raise ApiError(404, "ANALYSIS_NOT_FOUND", "No such analysis among yours.")
        if found["analysis_status"] != "completed":
            raise ApiError(409, "ANALYSIS_NOT_COMPLETED", "Discovery needs a completed analysis; try once it is.")
        if await running_count(conn, who.user_id, utcnow() - limits.deadline) >= limits.max_running:
            raise _limit_reached(limits.max_running)
        seconds = estimate(await recent_durations(conn))
        event = DiscoveryRequested(
            event_id=derived_id(who.user_id, key, "discovery.requested") if key else uuid.uuid4(),
            source=SOURCE,
            subject=str(discovery_id),
            correlation_id=cid,
            data=DiscoveryRequestedData(
                discovery_id=discovery_id,
                user_id=who.user_id,
                analysis_id=found["id"],
                search_parameters=body.search_parameters.cleaned(),
                result_limit=body.result_limit,
                quality_threshold=body.quality_threshold,
                analysis=snapshot(found["analysis_metadata"] or {}),
            ),
        )

        async def project_late() -> None:
            async with deps.db.transaction() as late:
                await folds.discovery_requested(late, event)

        async def nothing() -> None:
            return None

        await deps.bus.publish(DISCOVERY, event, on_late=project_late, on_lost=nothing)
        # Read-your-write, under the user's lock: a concurrent start counts this one (the projector re-applies it).
        await folds.discovery_requested(conn, event)
    urls = deps.urls
    answer = DiscoveryAccepted(
        discovery_id=discovery_id,
        status="queued",
        estimated_completion_time=seconds,
        progress_url=urls.progress(discovery_id),
        results_url=urls.results(discovery_id),
        ticket_url=urls.ticket(discovery_id),
    )
    return Answer(202, answer.model_dump(mode="json"), {"Location": urls.progress(discovery_id)})
