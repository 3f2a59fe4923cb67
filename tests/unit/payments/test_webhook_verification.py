"""Stripe webhook verification: valid, stale, forged, rotated secrets, malformed bodies."""

from __future__ import annotations

import json
import time

import pytest
import stripe
from prometheus_client import REGISTRY

from producers.payments.verification import Rejection, WebhookRejected, WebhookSecrets, parse_secrets, verify_webhook
from producers.stripe_bridge import Ignored, Publish, Rejected, bridge
from tests.unit.payments.stripe_fixtures import OLD_SECRET, SECRET, payment_intent, signed, stripe_event

CONFIG = WebhookSecrets((SECRET,))
ROTATING = WebhookSecrets((SECRET, OLD_SECRET))


def _succeeded() -> dict[str, object]:
    return stripe_event("payment_intent.succeeded", payment_intent("pi_A1", "succeeded"))


def _reason(body: bytes, header: str | None, config: WebhookSecrets = CONFIG) -> Rejection:
    with pytest.raises(WebhookRejected) as caught:
        verify_webhook(body, header, config)
    return caught.value.reason


def test_a_fresh_signature_verifies_and_returns_the_event() -> None:
    event = _succeeded()
    body, header = signed(event)
    assert verify_webhook(body, header, CONFIG) == event


def test_a_signature_just_inside_the_tolerance_verifies() -> None:
    body, header = signed(_succeeded(), timestamp=int(time.time()) - 290)
    assert verify_webhook(body, header, CONFIG)["type"] == "payment_intent.succeeded"


def test_a_genuine_but_old_signature_is_stale() -> None:
    body, header = signed(_succeeded(), timestamp=int(time.time()) - 301)
    assert _reason(body, header) is Rejection.STALE_TIMESTAMP


def test_a_signature_with_another_secret_is_bad() -> None:
    body, header = signed(_succeeded(), "whsec_attacker")
    assert _reason(body, header) is Rejection.BAD_SIGNATURE


def test_a_body_changed_after_signing_is_bad() -> None:
    body, header = signed(_succeeded())
    tampered = body.replace(b'"amount": 4200', b'"amount": 1')
    assert tampered != body
    assert _reason(tampered, header) is Rejection.BAD_SIGNATURE


def test_an_old_forged_signature_is_bad_not_stale() -> None:
    # Staleness is only reported for signatures that are genuine; a forgery never learns it was "merely" old.
    body, header = signed(_succeeded(), "whsec_attacker", timestamp=int(time.time()) - 3600)
    assert _reason(body, header) is Rejection.BAD_SIGNATURE


@pytest.mark.parametrize("header", [None, ""])
def test_a_missing_header_is_refused(header: str | None) -> None:
    body, _ = signed(_succeeded())
    assert _reason(body, header) is Rejection.MISSING_SIGNATURE


@pytest.mark.parametrize("header", ["garbage", "t=abc,v1=00", "t=1700000000", "v1=deadbeef"])
def test_an_unreadable_header_is_a_bad_signature(header: str) -> None:
    body, _ = signed(_succeeded())
    assert _reason(body, header) is Rejection.BAD_SIGNATURE


def test_during_a_rotation_either_secret_verifies() -> None:
    for secret in (SECRET, OLD_SECRET):
        body, header = signed(_succeeded(), secret)
        assert verify_webhook(body, header, ROTATING)["id"]


def test_a_header_signed_with_both_secrets_verifies_with_only_the_new_one() -> None:
    event = json.dumps(_succeeded())
    ts = int(time.time())
    old = stripe.WebhookSignature.generate_signature_header(event, OLD_SECRET, timestamp=ts)
    new = stripe.WebhookSignature.generate_signature_header(event, SECRET, timestamp=ts)
    header = f"{old},v1={new.split('v1=')[1]}"
    assert verify_webhook(event.encode(), header, WebhookSecrets((SECRET,)))["id"]


def test_a_retired_secret_no_longer_verifies() -> None:
    body, header = signed(_succeeded(), OLD_SECRET)
    assert _reason(body, header, WebhookSecrets((SECRET,))) is Rejection.BAD_SIGNATURE


def test_stale_under_one_secret_and_bad_under_the_other_is_stale() -> None:
    body, header = signed(_succeeded(), OLD_SECRET, timestamp=int(time.time()) - 1000)
    assert _reason(body, header, ROTATING) is Rejection.STALE_TIMESTAMP


def test_a_signed_body_that_is_not_json_is_malformed() -> None:
    raw = "{not json"
    header = stripe.WebhookSignature.generate_signature_header(raw, SECRET)
    assert _reason(raw.encode(), header) is Rejection.MALFORMED_PAYLOAD


def test_bytes_that_are_not_utf8_are_malformed() -> None:
    assert _reason(b"\xff\xfe\x00", "t=1,v1=00") is Rejection.MALFORMED_PAYLOAD


@pytest.mark.parametrize(
    "body",
    [
        {"object": "list", "data": []},
        {"object": "event", "id": "evt_1", "type": "x", "created": 1},
        {"object": "event", "id": "evt_1", "type": "x", "created": 1, "data": {"object": "nope"}},
        {"object": "event", "type": "x", "created": 1, "data": {"object": {}}},
    ],
)
def test_a_signed_json_that_is_not_an_event_is_malformed(body: dict[str, object]) -> None:
    raw, header = signed(body)
    assert _reason(raw, header) is Rejection.MALFORMED_PAYLOAD


def test_secrets_are_required_and_tolerance_positive() -> None:
    with pytest.raises(ValueError):
        WebhookSecrets(())
    with pytest.raises(ValueError):
        WebhookSecrets(("  ",))
    with pytest.raises(ValueError):
        WebhookSecrets((SECRET,), tolerance_seconds=0)


def test_secrets_parse_from_a_comma_separated_setting() -> None:
    assert parse_secrets(f" {SECRET}, ,{OLD_SECRET} ") == (SECRET, OLD_SECRET)
    assert parse_secrets([SECRET, ""]) == (SECRET,)


def test_the_bridge_publishes_a_verified_known_event() -> None:
    body, header = signed(_succeeded())
    outcome = bridge(body, header, CONFIG)
    assert isinstance(outcome, Publish)
    assert outcome.event.type == "payment.succeeded"
    assert outcome.event.subject == "pi_A1"


def test_the_bridge_refuses_forged_and_stale_webhooks_with_their_reason() -> None:
    forged = bridge(*signed(_succeeded(), "whsec_attacker"), CONFIG)
    stale = bridge(*signed(_succeeded(), timestamp=int(time.time()) - 400), CONFIG)
    assert isinstance(forged, Rejected) and forged.reason is Rejection.BAD_SIGNATURE
    assert isinstance(stale, Rejected) and stale.reason is Rejection.STALE_TIMESTAMP


def test_the_bridge_acknowledges_unknown_types_without_an_event() -> None:
    event = stripe_event("customer.created", {"id": "cus_1", "object": "customer"})
    outcome = bridge(*signed(event), CONFIG)
    assert outcome == Ignored(event["id"], "customer.created")


def test_the_bridge_refuses_a_signed_known_event_it_cannot_read() -> None:
    broken = stripe_event("payment_intent.succeeded", {"id": "pi_1", "object": "payment_intent", "status": "x"})
    outcome = bridge(*signed(broken), CONFIG)
    assert isinstance(outcome, Rejected) and outcome.reason is Rejection.MALFORMED_PAYLOAD
    assert "amount" in outcome.message


def test_every_decision_is_counted_by_kind() -> None:
    def seen(decision: str, kind: str) -> float:
        return (
            REGISTRY.get_sample_value("shine_webhooks_total", {"sender": "stripe", "decision": decision, "kind": kind})
            or 0.0
        )

    before = (
        seen("published", "payment_intent.succeeded"),
        seen("ignored", "payout.paid"),
        seen("rejected", "bad_signature"),
    )
    bridge(*signed(_succeeded()), CONFIG)
    bridge(*signed(stripe_event("payout.paid", {"id": "po_1", "object": "payout"})), CONFIG)
    bridge(*signed(_succeeded(), "whsec_attacker"), CONFIG)
    after = (
        seen("published", "payment_intent.succeeded"),
        seen("ignored", "payout.paid"),
        seen("rejected", "bad_signature"),
    )
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 1]
