"""A local dropship partner for tests and `make run`: the HTTP API Shine forwards paid orders to.

The API, its webhook signature scheme and the test controls are documented in API.md beside this file. In short:
`POST /v1/orders` (Idempotency-Key: one order per key), `GET /v1/orders/{id}`, `GET /v1/orders?reference=`,
`POST /v1/orders/{id}/cancel`, `POST /v1/stock/check`; shipments reach Shine as `order.shipped` /
`order.delivered` JSON signed `Partner-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`;
`/_admin/*` switches failure modes (5xx, slow, out of stock) and ships orders.
"""
