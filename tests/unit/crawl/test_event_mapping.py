import uuid

from consumers.crawl.domain.concern_rules import KnowledgeConcerns
from consumers.crawl.domain.event_mapping import (
    completed_event,
    failed_event,
    product_events,
    product_id,
    progressed_event,
    request_from_event,
)
from consumers.crawl.domain.models import Preferences
from consumers.crawl.domain.processing import process
from events.codec import EventRegistry, decode, encode
from events.discovery import (
    DiscoveryCompleted,
    DiscoveryFailed,
    DiscoveryProgressed,
    DiscoveryRequested,
    DiscoveryRequestedData,
    ProductDiscovered,
)
from tests.unit.crawl._pages import jsonld_html, page, request

REGISTRY = EventRegistry.of(
    [DiscoveryRequested, DiscoveryProgressed, DiscoveryCompleted, DiscoveryFailed, ProductDiscovered]
)
PRODUCT = jsonld_html(
    '{"@type":"Product","name":"Pore Serum","brand":"GL","image":"https://gl.example/a.jpg","description":"d",'
    '"offers":{"price":"18.5","priceCurrency":"EUR"},"ingredients":"Aqua, Niacinamide, Zinc PCA"}'
)
TEXT = "# Pore Serum\n\nNiacinamide serum for oily skin and pores, controls sebum."
ARTICLE = "# Oily skin guide\n\n" + "Oily skin and pores: a routine with a cleanser, a serum and sunscreen. " * 6


def requested() -> DiscoveryRequested:
    data = DiscoveryRequestedData(
        discovery_id=uuid.UUID(int=7),
        user_id=uuid.UUID(int=8),
        analysis_id=uuid.UUID(int=9),
        search_parameters={"keywords": ["vegan"], "product_types": "serum", "other": 1},
        result_limit=5,
        quality_threshold=0.4,
    )
    return DiscoveryRequested(source="test", subject=str(data.discovery_id), correlation_id="c-1", data=data)


def items() -> tuple:  # type: ignore[type-arg]
    req = request({"oiliness": 30.0}, threshold=0.0)
    pages = [
        page("https://gl.example/p", markdown=TEXT, raw_html=PRODUCT),
        page("https://j.example/guide", markdown=ARTICLE, ogType="article", title="Guide"),
    ]
    return process(pages, req, KnowledgeConcerns().concerns(req.analysis), frozenset()).items


def test_request_reads_search_parameters() -> None:
    cause = requested()
    domain = request_from_event(cause, request().analysis, Preferences(allergies=("fragrance",)))
    assert (domain.keywords, domain.product_types, domain.result_limit, domain.quality_threshold) == (
        ("vegan",),
        ("serum",),
        5,
        0.4,
    )
    assert domain.discovery_id == cause.data.discovery_id and domain.preferences.allergies == ("fragrance",)


def test_derived_events_have_deterministic_ids_and_carry_the_correlation() -> None:
    cause = requested()
    first = progressed_event(cause, "searching", 20, 0, 5, sequence=2)
    again = progressed_event(cause, "searching", 20, 0, 5, sequence=2)
    assert first.event_id == again.event_id != progressed_event(cause, "searching", 20, 0, 5, sequence=3).event_id
    assert first.correlation_id == "c-1" and first.causation_id == str(cause.event_id)
    assert first.subject == str(cause.data.discovery_id)
    kept = items()
    done = completed_event(cause, kept, ("q",), degraded=True, cached=True, sequence=9)
    assert done.event_id == completed_event(cause, kept, ("q",), degraded=True, cached=True, sequence=9).event_id
    assert done.data.results_found == 2 and done.data.degraded and done.data.cached
    assert 0 < done.data.quality_score <= 1
    failed = failed_event(cause, "all_servers_unavailable", "no server", sequence=3)
    assert failed.data.degraded and failed.data.reason == "all_servers_unavailable"


def test_only_products_become_product_discovered_with_a_stable_product_id() -> None:
    products = product_events(requested(), items())
    assert len(products) == 1
    data = products[0].data
    assert (data.source, data.availability, data.name) == ("web", "unknown", "Pore Serum")
    assert data.product_id == product_id("https://gl.example/p")


def test_events_round_trip_through_the_codec() -> None:
    cause = requested()
    for event in [
        cause,
        completed_event(cause, items(), (), degraded=False, cached=False, sequence=1),
        *product_events(cause, items()),
    ]:
        key, value, _ = encode(event)
        # Discovery events are keyed by discovery; product.discovered rides the catalog, keyed by product.
        keyed_by = event.data.product_id if isinstance(event, ProductDiscovered) else cause.data.discovery_id
        assert key == str(keyed_by).encode()
        assert decode(value, REGISTRY) == event
