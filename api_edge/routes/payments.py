"""Payments, orders, premium plans, webhooks and revenue routes (PRD §9.4)."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api_edge.access import admin, public, signed_in
from api_edge.inputs import parse_body, parse_query
from api_edge.payments import checkout, orders, reports, subscriptions, webhooks
from api_edge.payments.deps import PaymentsDeps
from api_edge.platform.idempotency import Answer, key_of
from api_edge.routing import IDEMPOTENCY_KEY, Context, Doc, JsonBody, Param, path_uuid
from api_edge.users.session_rules import Principal
from observability.logs import correlation_id
from producers.payments.partner_webhook import HEADER as PARTNER_SIGNATURE
from schemas.payments import (
    Accepted,
    CancelRequest,
    CancelSubscriptionRequest,
    ConfirmRequest,
    ConfirmResponse,
    CreateIntentRequest,
    CreateIntentResponse,
    OrderDetail,
    OrderPage,
    OrdersQuery,
    PaymentHistory,
    PaymentsQuery,
    RefundRequest,
    RevenueQuery,
    RevenueReport,
    SubscribeRequest,
    SubscriptionView,
    WebhookAck,
)


def _answer(answer: Answer) -> Response:
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)


def _cid() -> str:
    return correlation_id.get() or str(uuid.uuid4())


async def create_intent(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """POST /payments/create-intent."""
    body = await parse_body(request, CreateIntentRequest)
    return _answer(await checkout.create_intent(deps, who, body, key_of(request), _cid()))


async def confirm(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """POST /payments/confirm."""
    done = await checkout.confirm(deps, who, await parse_body(request, ConfirmRequest))
    return JSONResponse(done.model_dump(mode="json"))


async def payment_history(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """GET /payments/history?page&limit&status_filter."""
    page = await orders.payment_history(deps, who, parse_query(request, PaymentsQuery))
    return JSONResponse(page.model_dump(mode="json"))


async def list_orders(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """GET /orders?page&limit&status."""
    page = await orders.list_orders(deps, who, parse_query(request, OrdersQuery))
    return JSONResponse(page.model_dump(mode="json"))


async def get_order(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """GET /orders/{order_id}."""
    found = await orders.order_detail(deps, who, request.path_params["order_id"])
    return JSONResponse(found.model_dump(mode="json"))


async def cancel_order(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """POST /orders/{order_id}/cancel."""
    body = await parse_body(request, CancelRequest, empty=CancelRequest())
    order_id = request.path_params["order_id"]
    return _answer(await orders.cancel(deps, who, order_id, body, key_of(request), _cid()))


async def refund_order(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """POST /orders/{order_id}/refund."""
    body = await parse_body(request, RefundRequest, empty=RefundRequest())
    order_id = request.path_params["order_id"]
    return _answer(await orders.refund(deps, who, order_id, body, key_of(request), _cid()))


async def subscribe(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """POST /subscriptions."""
    body = await parse_body(request, SubscribeRequest, empty=SubscribeRequest())
    return _answer(await subscriptions.subscribe(deps, who, body, key_of(request)))


async def subscription_status(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """GET /subscriptions/current."""
    return JSONResponse((await subscriptions.status(deps, who)).model_dump(mode="json"))


async def cancel_subscription(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """POST /subscriptions/cancel."""
    body = await parse_body(request, CancelSubscriptionRequest, empty=CancelSubscriptionRequest())
    return JSONResponse((await subscriptions.cancel(deps, who, body)).model_dump(mode="json"))


async def stripe_webhook(request: Request, deps: PaymentsDeps) -> Response:
    """POST /webhooks/stripe: the raw body, verified against Stripe-Signature."""
    ack = await webhooks.stripe_webhook(deps, await request.body(), request.headers.get("stripe-signature"))
    return JSONResponse(ack.model_dump(mode="json"))


async def partner_webhook(request: Request, deps: PaymentsDeps) -> Response:
    """POST /webhooks/partners/{partner}: a partner's signed shipment update."""
    partner = request.path_params["partner"]
    signature = request.headers.get(PARTNER_SIGNATURE)
    ack = await webhooks.partner_webhook(deps, partner, await request.body(), signature)
    return JSONResponse(ack.model_dump(mode="json"))


async def revenue(request: Request, who: Principal, deps: PaymentsDeps) -> Response:
    """GET /admin/reports/revenue?date_from&date_to&group_by=day|product."""
    report = await reports.revenue(deps, parse_query(request, RevenueQuery))
    return JSONResponse(report.model_dump(mode="json"))


_PAGE = (
    Param("page", "query", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}),
    Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
)
_ORDER = path_uuid("order_id")
_DATE = {"type": "string", "description": "ISO date (whole day; date_to inclusive) or date-time"}
_SIGNED = {"type": "string", "maxLength": 2000}

shop = Context(lambda edge: edge.payments)
ROUTES = (
    shop.route(
        "POST",
        "/payments/create-intent",
        signed_in(create_intent),
        Doc(
            "Place an order at catalog prices and create its Stripe PaymentIntent",
            {201: CreateIntentResponse},
            (400, 409, 413, 422),
            params=(IDEMPOTENCY_KEY,),
            body=JsonBody(CreateIntentRequest),
        ),
    ),
    shop.route(
        "POST",
        "/payments/confirm",
        signed_in(confirm),
        Doc("Confirm your payment", {200: ConfirmResponse}, (400, 404, 413, 422), body=JsonBody(ConfirmRequest)),
    ),
    shop.route(
        "GET",
        "/payments/history",
        signed_in(payment_history),
        Doc(
            "Your payments, newest first",
            {200: PaymentHistory},
            (422,),
            params=(*_PAGE, Param("status_filter", "query", {"type": "string", "maxLength": 50})),
        ),
    ),
    shop.route(
        "GET",
        "/orders",
        signed_in(list_orders),
        Doc(
            "Your orders, newest first",
            {200: OrderPage},
            (422,),
            params=(*_PAGE, Param("status", "query", {"type": "string", "maxLength": 50})),
        ),
    ),
    shop.route(
        "GET",
        "/orders/{order_id}",
        signed_in(get_order),
        Doc("One of your orders with its status timeline", {200: OrderDetail}, (404,), params=(_ORDER,)),
    ),
    shop.route(
        "POST",
        "/orders/{order_id}/cancel",
        signed_in(cancel_order),
        Doc(
            "Cancel an order before shipment",
            {202: Accepted},
            (400, 404, 409, 413, 422),
            params=(_ORDER, IDEMPOTENCY_KEY),
            body=JsonBody(CancelRequest, required=False),
        ),
    ),
    shop.route(
        "POST",
        "/orders/{order_id}/refund",
        signed_in(refund_order),
        Doc(
            "Refund an order in full or in part (owner within the return window, or an admin)",
            {202: Accepted},
            (400, 404, 409, 413, 422),
            params=(_ORDER, IDEMPOTENCY_KEY),
            body=JsonBody(RefundRequest, required=False),
        ),
    ),
    shop.route(
        "POST",
        "/subscriptions",
        signed_in(subscribe),
        Doc(
            "Subscribe to the premium plan",
            {201: SubscriptionView},
            (400, 413, 422),
            params=(IDEMPOTENCY_KEY,),
            body=JsonBody(SubscribeRequest, required=False),
        ),
    ),
    shop.route(
        "GET",
        "/subscriptions/current",
        signed_in(subscription_status),
        Doc("Your subscription and tier", {200: SubscriptionView}),
    ),
    shop.route(
        "POST",
        "/subscriptions/cancel",
        signed_in(cancel_subscription),
        Doc(
            "Cancel your subscription",
            {200: SubscriptionView},
            (400, 404, 413, 422),
            body=JsonBody(CancelSubscriptionRequest, required=False),
        ),
    ),
    shop.route(
        "POST",
        "/webhooks/stripe",
        public(stripe_webhook),
        Doc(
            "Stripe webhook (raw body verified against Stripe-Signature)",
            {200: WebhookAck},
            (400, 413),
            params=(Param("Stripe-Signature", "header", _SIGNED),),
        ),
    ),
    shop.route(
        "POST",
        "/webhooks/partners/{partner}",
        public(partner_webhook),
        Doc(
            "A dropship partner's signed shipment webhook",
            {200: WebhookAck},
            (400, 404, 413),
            params=(
                Param("partner", "path", {"type": "string", "maxLength": 50}),
                Param(PARTNER_SIGNATURE, "header", _SIGNED),
            ),
        ),
    ),
    shop.route(
        "GET",
        "/admin/reports/revenue",
        admin(revenue),
        Doc(
            "Revenue: gross, refunds, net and count per currency (admin)",
            {200: RevenueReport},
            (422,),
            params=(
                Param("date_from", "query", _DATE),
                Param("date_to", "query", _DATE),
                Param("group_by", "query", {"type": "string", "enum": ["day", "product"], "default": "day"}),
            ),
        ),
    ),
)
