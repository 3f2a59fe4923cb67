"""The topic list: every topic, the event types it carries, its key, partitions and retention."""

from __future__ import annotations

from dataclasses import dataclass

from events.analyses import AnalysisCompleted, AnalysisFailed, AnalysisStarted
from events.catalog import ProductAvailabilityChanged, ProductPriceChanged, ProductRemoved, ProductUpserted
from events.discovery import (
    DiscoveryCompleted,
    DiscoveryFailed,
    DiscoveryProgressed,
    DiscoveryRequested,
    ProductDiscovered,
)
from events.envelope import Event
from events.orders import ORDER_EVENTS
from events.payments import PAYMENT_EVENTS
from events.recommendations import RecommendationFeedbackGiven, RecommendationsGenerated
from events.uploads import UploadAccepted
from events.users import PreferencesUpdated, UserRegistered, UserSignedIn

FOREVER = -1
DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True)
class Topic:
    """A Kafka topic as the topic list declares it; `name` is logical (a deployment may prefix it)."""

    name: str
    events: tuple[type[Event], ...]
    key: str
    partitions: int = 3
    retention_ms: int = FOREVER
    compacted: bool = False
    description: str = ""

    def resolve(self, prefix: str) -> str:
        """The physical topic name under a deployment prefix."""
        return f"{prefix}{self.name}"

    def dlq(self, prefix: str) -> str:
        """The physical name of this topic's dead-letter queue."""
        return f"{self.resolve(prefix)}{DLQ_SUFFIX}"

    def config(self) -> dict[str, str]:
        """Broker-side topic configuration."""
        policy = "compact" if self.compacted else "delete"
        return {"cleanup.policy": policy, "retention.ms": str(self.retention_ms)}


UPLOADS = Topic(
    "shine.uploads.v1",
    (UploadAccepted,),
    key="upload_id",
    description="Photos accepted by the edge for analysis.",
)
ANALYSES = Topic(
    "shine.analyses.v1",
    (AnalysisStarted, AnalysisCompleted, AnalysisFailed),
    key="upload_id",
    description="Progress and outcome of each upload's skin analysis.",
)

USERS = Topic(
    "shine.users.v1",
    (UserRegistered, UserSignedIn, PreferencesUpdated),
    key="user_id",
    description="Sign-ups, sign-ins and preference changes (written through the outbox).",
)

CATALOG = Topic(
    "shine.catalog.v1",
    (ProductUpserted, ProductPriceChanged, ProductAvailabilityChanged, ProductRemoved, ProductDiscovered),
    key="product_id",
    description="Products imported from feeds or discovered on the web, and how they changed.",
)
RECOMMENDATIONS = Topic(
    "shine.recommendations.v1",
    (RecommendationsGenerated, RecommendationFeedbackGiven),
    key="user_id",
    description="Explained recommendations generated for analyses, and users' feedback on them.",
)
PAYMENTS = Topic(
    "shine.payments.v1",
    PAYMENT_EVENTS,
    key="payment_intent_id or subscription_id",
    description="Verified Stripe webhooks as facts (the Stripe event id is the dedupe key).",
)
ORDERS = Topic(
    "shine.orders.v1",
    ORDER_EVENTS,
    key="order_id",
    description="Orders from placement to delivery, cancellation or refund; every outside call's outcome.",
)
DISCOVERY = Topic(
    "shine.discovery.v1",
    (DiscoveryRequested, DiscoveryProgressed, DiscoveryCompleted, DiscoveryFailed),
    key="discovery_id",
    description="Discoveries of related products and content on the web, and their live progress.",
)

TOPICS: tuple[Topic, ...] = (UPLOADS, ANALYSES, USERS, CATALOG, RECOMMENDATIONS, PAYMENTS, ORDERS, DISCOVERY)


def by_name(name: str, prefix: str = "") -> Topic:
    """Find a topic of the list by its logical or physical name."""
    for topic in TOPICS:
        if name in (topic.name, topic.resolve(prefix)):
            return topic
    known = ", ".join(t.name for t in TOPICS)
    raise KeyError(f"unknown topic {name!r}; known topics: {known}")


def topics_carrying(events: tuple[type[Event], ...]) -> tuple[Topic, ...]:
    """The topics on which any of these event types travel (a consumer group's input topics)."""
    return tuple(t for t in TOPICS if any(e in t.events for e in events))
