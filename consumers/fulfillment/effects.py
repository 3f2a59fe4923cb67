"""Carry out the planner's actions against the partners and Stripe, and say what happened as orders events.

Every outcome, good or bad, is an event with a deterministic id (derived from the event that caused the action),
so performing an action again after a crash re-emits the same events and the fold drops the repeats. An outage
(every partner down, Stripe unreachable) is not an outcome: `retry_later` tells the handler to keep the message
and retry while it lasts.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from consumers.fulfillment.domain.order_state import OrderState
from consumers.fulfillment.domain.planner import (
    Action,
    CancelOrder,
    Forward,
    IssueRefund,
    RejectCancellation,
    RejectRefund,
)
from consumers.fulfillment.forwarding import Forwarder
from consumers.fulfillment.partners import PartnerClient
from consumers.fulfillment.payments_client import PaymentRejected, PaymentsClient, PaymentsUnavailable
from events import orders as o
from events.envelope import Event, derived_id

SOURCE = "fulfillment"


@dataclass(frozen=True)
class Performed:
    """The events an action produced, and whether it must be tried again later (an outage)."""

    events: tuple[Event, ...] = ()
    retry_later: bool = False
    detail: str = ""


def cancellation_request_id(order_id: uuid.UUID, idempotency_key: str) -> uuid.UUID:
    """The refund request id under which a cancellation's refund is recorded (one per refund key)."""
    return uuid.uuid5(order_id, idempotency_key)


@dataclass
class Effects:
    """The outside world as the fulfillment consumer sees it."""

    forwarder: Forwarder
    payments: PaymentsClient
    partners: Mapping[str, PartnerClient] = field(default_factory=dict)

    def _event(self, cls: type[Event], cause: Event, tag: str, data: o.OrderRef) -> Event:
        event_id = derived_id(f"{SOURCE}/{tag}", cause.event_id)
        return cls.caused_by(cause, event_id=event_id, source=SOURCE, subject=str(data.order_id), data=data)

    async def perform(self, state: OrderState, action: Action, cause: Event) -> Performed:
        """Do one action for the order; `cause` is the event whose handling asked for it."""
        match action:
            case Forward():
                return await self._forward(state, action, cause)
            case CancelOrder():
                return await self._cancel(state, action, cause)
            case IssueRefund():
                return await self._refund(state, action, cause)
            case RejectRefund():
                refused = o.RefundRejectedData(
                    order_id=state.order_id, refund_request_id=action.request_id, reason=action.reason
                )
                return Performed((self._event(o.OrderRefundRejected, cause, f"refund/{action.request_id}", refused),))
            case RejectCancellation():
                too_late = o.CancellationRejectedData(order_id=state.order_id, reason=action.reason)
                return Performed((self._event(o.OrderCancellationRejected, cause, "cancel-rejected", too_late),))

    async def _forward(self, state: OrderState, action: Forward, cause: Event) -> Performed:
        if state.placed is None:  # the planner forwards only placed orders
            return Performed()
        done = await self.forwarder.forward(str(state.order_id), state.placed.lines, action.idempotency_key)
        events: list[Event] = []
        for n, reply in enumerate(done.replies):
            if reply.partner_order_id is None:
                failed = o.ForwardAttemptFailedData(
                    order_id=state.order_id,
                    partner=reply.partner,
                    reason=reply.outcome.value,
                    detail=reply.detail[:500],
                )
                events.append(self._event(o.OrderForwardAttemptFailed, cause, f"forward-attempt/{n}", failed))
        accepted = done.accepted
        if accepted is not None and accepted.partner_order_id is not None:
            data = o.ForwardedData(
                order_id=state.order_id,
                partner=accepted.partner,
                partner_order_id=accepted.partner_order_id,
                idempotency_key=action.idempotency_key,
                attempts=len(done.replies),
            )
            events.append(self._event(o.OrderForwarded, cause, "forwarded", data))
            return Performed(tuple(events), detail=f"strays: {','.join(done.strays)}" if done.strays else "")
        if done.result.transient:
            return Performed(tuple(events), retry_later=True, detail=done.result.failed_reason or "")
        tried = tuple(r.partner for r in done.replies)
        failed_data = o.ForwardingFailedData(
            order_id=state.order_id, partners_tried=tried, reason=done.result.failed_reason or ""
        )
        events.append(self._event(o.OrderForwardingFailed, cause, "forwarding-failed", failed_data))
        return Performed(tuple(events))

    async def _cancel(self, state: OrderState, action: CancelOrder, cause: Event) -> Performed:
        if action.partner is not None and action.partner_order_id is not None:
            reply = await self.partners[action.partner].cancel_order(action.partner_order_id)
            if reply.outcome == "already_shipped":
                rejected = o.CancellationRejectedData(order_id=state.order_id, reason="already_shipped")
                return Performed((self._event(o.OrderCancellationRejected, cause, "cancel-rejected", rejected),))
            if reply.outcome != "cancelled":
                return Performed(retry_later=True, detail=f"partner cancel: {reply.detail}")
        if action.payment_intent_id is not None:
            try:
                # "not_cancellable": it succeeded meanwhile, and the cancelled order's refund follows.
                await self.payments.cancel_intent(action.payment_intent_id)
            except PaymentsUnavailable as outage:
                return Performed(retry_later=True, detail=str(outage))
            except PaymentRejected:
                pass  # an intent Stripe will not cancel cannot be paid through us either: the order is cancelled
        data = o.CancelledData(
            order_id=state.order_id,
            reason=action.reason,
            partner=action.partner,
            partner_order_id=action.partner_order_id,
        )
        return Performed((self._event(o.OrderCancelled, cause, "cancelled", data),))

    async def _refund(self, state: OrderState, action: IssueRefund, cause: Event) -> Performed:
        intent = state.placed.payment_intent_id if state.placed else None
        request_id = action.request_id or cancellation_request_id(state.order_id, action.idempotency_key)
        tag = f"refund/{request_id}"
        if intent is None:
            data = o.RefundRejectedData(order_id=state.order_id, refund_request_id=request_id, reason="no_payment")
            return Performed((self._event(o.OrderRefundRejected, cause, tag, data),))
        try:
            refund = await self.payments.refund(
                intent, action.amount, action.idempotency_key, state.order_id, request_id
            )
        except PaymentsUnavailable as outage:
            return Performed(retry_later=True, detail=str(outage))
        except PaymentRejected as refused:
            data = o.RefundRejectedData(
                order_id=state.order_id, refund_request_id=request_id, reason=refused.code or "stripe_refused"
            )
            return Performed((self._event(o.OrderRefundRejected, cause, tag, data),))
        issued = o.RefundIssuedData(
            order_id=state.order_id,
            refund_request_id=request_id,
            refund_id=refund.refund_id,
            amount=refund.amount,
            status=refund.status,
        )
        return Performed((self._event(o.OrderRefundIssued, cause, tag, issued),))
