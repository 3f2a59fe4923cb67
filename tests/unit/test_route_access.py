"""Every route declares who may call it, through the one access mechanism."""

from __future__ import annotations

from api_edge.access import Access
from api_edge.app import routes

PUBLIC = {"/health", "/ready", "/metrics", "/openapi.json", "/auth/login", "/auth/callback", "/auth/refresh"}
PUBLIC |= {"/webhooks/stripe", "/webhooks/partners/{partner}"}  # authenticated by their signatures


def test_every_route_declares_its_access() -> None:
    undeclared = [r.path for r in routes() if not isinstance(getattr(r.endpoint, "access", None), Access)]
    assert undeclared == [], f"routes without an access declaration: {undeclared}"


def test_only_the_expected_routes_are_public_and_admin_routes_need_admin() -> None:
    by_path = {r.path: r.endpoint.access for r in routes()}  # type: ignore[attr-defined]
    assert {p for p, a in by_path.items() if a is Access.PUBLIC} == PUBLIC
    assert all(a is Access.ADMIN for p, a in by_path.items() if p.startswith("/admin/"))
    assert all(a is not Access.PUBLIC for p, a in by_path.items() if p.startswith("/analysis/"))
