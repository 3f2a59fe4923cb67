"""The payments' local peers for `make run`: stripe-mock, its webhook companion and the two dropship partners.

Shine calls the companion (`infra/stripe_events`) on SHINE_STRIPE_MOCK_PORT; it forwards every call to stripe-mock
on SHINE_STRIPE_MOCK_BACKEND_PORT and sends the signed webhooks Stripe would, so local payments, refunds and
subscriptions complete without anyone signing events by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from infra.stripe_mock import HOST, build, find_binary, tools_dir
from shine.payments_settings import Partner, partners, stripe_is_local, stripe_webhook_secrets
from shine.settings import Settings


def stripe_mock_wanted(settings: Settings) -> bool:
    """Whether Stripe is the local stripe-mock."""
    return stripe_is_local(settings)


def prepare_stripe_mock(settings: Settings) -> None:
    """Build stripe-mock into var/tools once (`go install`, about two minutes on a fresh machine)."""
    tools = tools_dir(settings.var_dir)
    if find_binary(tools) is None:
        build(tools, settings.log_dir / "stripe-mock-build.log")


def stripe_mock_argv(settings: Settings) -> list[str]:
    """stripe-mock on loopback (its HTTPS listener parked on a port the OS picks)."""
    binary = find_binary(tools_dir(settings.var_dir))
    if binary is None:
        raise RuntimeError("stripe-mock is not built; `shine up` builds it")
    address = f"{HOST}:{settings.stripe_mock_backend_port}"
    return [str(binary), "-http-addr", address, "-https-addr", f"{HOST}:0"]


def stripe_events_argv(settings: Settings) -> list[str]:
    """The companion on the local Stripe API port, sending webhooks to this edge with the local secret."""
    cmd = [sys.executable, "-m", "infra.stripe_events", "--port", str(settings.stripe_mock_port)]
    cmd += ["--upstream", f"http://{HOST}:{settings.stripe_mock_backend_port}"]
    state = settings.var_dir.resolve() / "stripe-events" / "state.json"
    state.parent.mkdir(parents=True, exist_ok=True)
    cmd += ["--state-file", str(state)]
    secret = stripe_webhook_secrets(settings)[0]
    return [*cmd, "--webhook-url", f"{settings.edge_url}/webhooks/stripe", "--secret", secret]


def _partner(settings: Settings, name: str) -> Partner:
    return next(p for p in partners(settings) if p.name == name)


def partner_wanted(name: str) -> Callable[[Settings], bool]:
    """Whether partner `name` is the local service (no URL configured)."""

    def wanted(settings: Settings) -> bool:
        return _partner(settings, name).local

    return wanted


def partner_argv(name: str) -> Callable[[Settings], list[str]]:
    """The local partner `name`, signing its webhooks to this edge with the first of its secrets."""

    def argv(settings: Settings) -> list[str]:
        partner = _partner(settings, name)
        port = partner.url.rsplit(":", 1)[1]
        state = settings.var_dir.resolve() / "partner" / f"{name}.json"
        state.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "infra.partner", "--port", port, "--name", name, "--secret", partner.secrets[0]]
        cmd += ["--webhook-url", f"{settings.edge_url}/webhooks/partners/{name}", "--state-file", str(state)]
        return cmd + (["--api-key", settings.partner_api_key] if settings.partner_api_key else [])

    return argv
