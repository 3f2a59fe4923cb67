"""Signing in through the running edge, as a client app and its user's browser would."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.oidc import follow_authorization, redirect_uri_for


async def login(client: httpx.AsyncClient, user: str = "ana", redirect_uri: str | None = None) -> dict[str, Any]:
    answer = await client.post(
        "/auth/login",
        json={
            "client_type": "web",
            "redirect_uri": redirect_uri or redirect_uri_for(user),
            "state": "client-state-0123",
        },
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def sign_in(client: httpx.AsyncClient, browser: httpx.AsyncClient, user: str = "ana") -> dict[str, Any]:
    started = await login(client, user)
    code, state = await follow_authorization(browser, started["authorization_url"])
    answer = await client.post("/auth/callback", json={"code": code, "state": state, "scope": "openid email profile"})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
