"""A premium subscription's state folded from Stripe's events in any order, and the tier it gives its user.

Stripe may deliver `customer.subscription.updated` before `.created`, or an old update after a newer one. Each
observation is ranked by (Stripe time, kind: created < updated < deleted), the highest wins, and a deletion is
final: the fold is a maximum, so order and repetition do not matter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

# Statuses in which the user has premium: trialing, active, and past_due while Stripe retries the renewal.
PREMIUM_STATUSES = frozenset({"trialing", "active", "past_due"})
_KIND_RANK = {"created": 0, "updated": 1, "deleted": 2}
_INVOICE_RANK = {"payment_failed": 0, "paid": 1}


@dataclass(frozen=True)
class SubscriptionObserved:
    fact_id: str
    kind: str  # created | updated | deleted
    created: int
    status: str
    user_id: uuid.UUID | None
    current_period_end: int | None = None
    cancel_at_period_end: bool = False


@dataclass(frozen=True)
class InvoiceObserved:
    fact_id: str
    outcome: str  # paid | payment_failed
    created: int


@dataclass(frozen=True)
class SubscriptionState:
    subscription_id: str
    revision: int = 0
    seen: frozenset[str] = frozenset()
    latest: tuple[tuple[int, int, str], SubscriptionObserved] | None = None
    user_id: uuid.UUID | None = None
    last_invoice: tuple[int, int, str] | None = None  # (Stripe time, rank, outcome)

    @property
    def status(self) -> str:
        """Stripe's status as last known (`canceled` once deleted), `unknown` before any observation."""
        if self.latest is None:
            return "unknown"
        observed = self.latest[1]
        return "canceled" if observed.kind == "deleted" else observed.status

    @property
    def renewal_failed(self) -> bool:
        """Whether the latest invoice we heard of failed (the user should update their card)."""
        return self.last_invoice is not None and self.last_invoice[2] == "payment_failed"


def apply(state: SubscriptionState, fact: SubscriptionObserved | InvoiceObserved) -> SubscriptionState:
    """The state after fact; repeats change nothing."""
    if fact.fact_id in state.seen:
        return state
    if isinstance(fact, SubscriptionObserved):
        key = (fact.created, _KIND_RANK[fact.kind], fact.status)
        if state.latest is None or key > state.latest[0]:
            state = replace(state, latest=(key, fact))
        state = replace(state, user_id=state.user_id or fact.user_id)
    else:
        invoice = (fact.created, _INVOICE_RANK[fact.outcome], fact.outcome)
        state = replace(state, last_invoice=max(state.last_invoice or invoice, invoice))
    return replace(state, seen=state.seen | {fact.fact_id}, revision=state.revision + 1)


def tier(state: SubscriptionState) -> str:
    """premium while the subscription is live, else free."""
    return "premium" if state.status in PREMIUM_STATUSES else "free"
