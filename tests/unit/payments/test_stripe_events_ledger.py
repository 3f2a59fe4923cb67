"""The local Stripe's memory, without HTTP: Stripe's form bodies, what a call makes, and what Stripe would send."""

from __future__ import annotations

import pytest

from infra.stripe_events.ledger import Ledger, Refusal, form


def test_stripe_form_bodies_nest_like_stripe_encodes_them() -> None:
    body = b"amount=4200&currency=usd&metadata[order_id]=o-1&items[0][price]=price_x"
    body += b"&automatic_payment_methods[enabled]=true"
    assert form(body) == {
        "amount": "4200",
        "currency": "usd",
        "metadata": {"order_id": "o-1"},
        "items": {"0": {"price": "price_x"}},
        "automatic_payment_methods": {"enabled": "true"},
    }


def _paid(book: Ledger, amount: int = 1000) -> str:
    made, _ = book.on_call("POST", "/v1/payment_intents", {"amount": str(amount), "currency": "EUR"}, {"id": "pi_1"})
    assert (made["amount"], made["currency"], made["status"]) == (amount, "eur", "requires_payment_method")
    done, events = book.on_call("POST", "/v1/payment_intents/pi_1/confirm", {"payment_method": "pm_card_visa"}, {})
    assert done["status"] == "succeeded" and [e["type"] for e in events] == ["payment_intent.succeeded"]
    return "pi_1"


def test_refunds_add_up_and_never_exceed_what_was_received() -> None:
    book = Ledger()
    pi = _paid(book)
    _, first = book.on_call("POST", "/v1/refunds", {"payment_intent": pi, "amount": "300"}, {"id": "re_1"})
    _, second = book.on_call("POST", "/v1/refunds", {"payment_intent": pi}, {"id": "re_2"})  # the rest
    charges = [e["data"]["object"] for e in first + second if e["type"] == "charge.refunded"]
    assert [c["amount_refunded"] for c in charges] == [300, 1000] and charges[-1]["refunded"] is True
    with pytest.raises(Refusal) as refused:
        book.on_call("POST", "/v1/refunds", {"payment_intent": pi, "amount": "1"}, {"id": "re_3"})
    assert (refused.value.status, refused.value.code) == (400, "charge_already_refunded")


def test_a_declining_card_fails_and_calls_about_unknown_objects_pass_through() -> None:
    book = Ledger()
    book.on_call("POST", "/v1/payment_intents", {"amount": "500", "currency": "usd"}, {"id": "pi_9"})
    answer, events = book.on_call(
        "POST", "/v1/payment_intents/pi_9/confirm", {"payment_method": "pm_card_chargeDeclined"}, {}
    )
    assert answer["status"] == "requires_payment_method" and events[0]["type"] == "payment_intent.payment_failed"
    assert book.on_call("POST", "/v1/payment_intents/pi_unknown/confirm", {"payment_method": "pm_x"}, {"a": 1}) == (
        {"a": 1},
        [],
    )
