"""Counters for the webhook bridges: every webhook is counted by what was decided about it."""

from __future__ import annotations

from prometheus_client import Counter

from producers.payments.outcomes import Ignored, Outcome, Publish

WEBHOOKS = Counter(
    "shine_webhooks_total",
    "Webhooks received, by sender, decision (published, ignored, rejected) and type or rejection reason",
    ["sender", "decision", "kind"],
)


def count(sender: str, outcome: Outcome) -> Outcome:
    """Count one webhook's outcome (unknown types included, as Stripe's docs ask) and pass it on."""
    if isinstance(outcome, Publish):
        WEBHOOKS.labels(sender, "published", outcome.external_type).inc()
    elif isinstance(outcome, Ignored):
        WEBHOOKS.labels(sender, "ignored", outcome.external_type).inc()
    else:
        WEBHOOKS.labels(sender, "rejected", outcome.reason.value).inc()
    return outcome
