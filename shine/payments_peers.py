"""The payments' local peers for `make run`: stripe-mock and the two dropship partner services."""

from __future__ import annotations

import sys
from collections.abc import Callable

from infra.stripe_mock import HOST, build, find_binary, tools_dir
from shine.payments_settings import Partner, partners, stripe_is_local
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
    return [str(binary), "-http-addr", f"{HOST}:{settings.stripe_mock_port}", "-https-addr", f"{HOST}:0"]


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
