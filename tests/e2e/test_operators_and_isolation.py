"""Operators suspend users and change roles; user B reaches none of user A's objects."""

from __future__ import annotations

import cv2
import httpx
import pytest
from skimage import data as photos

from tests.e2e.conftest import Stack
from tests.e2e.flows import bearer, sign_in
from tests.support.oidc import follow_authorization

pytestmark = pytest.mark.e2e


def _jpeg() -> bytes:
    return bytes(cv2.imencode(".jpg", cv2.cvtColor(photos.astronaut(), cv2.COLOR_RGB2BGR))[1])


async def test_two_user_matrix(client: httpx.AsyncClient, browser: httpx.AsyncClient) -> None:
    a, b = await sign_in(client, browser, "ana"), await sign_in(client, browser, "bob")
    upload = await client.post("/analysis/upload", files={"image": ("a.jpg", _jpeg(), "image/jpeg")}, headers=bearer(a))
    assert upload.status_code == 202
    url = upload.json()["analysis_url"]
    a_sessions = (await client.get("/auth/sessions", headers=bearer(a))).json()["sessions"]
    attempts = [
        await client.get(url, headers=bearer(b)),
        await client.get(url + "/overlay", headers=bearer(b)),
        await client.delete(f"/auth/sessions/{a_sessions[0]['id']}", headers=bearer(b)),
    ]
    assert [r.status_code for r in attempts] == [404, 404, 404]
    b_history = (await client.get("/analysis/history", headers=bearer(b))).json()
    assert upload.json()["upload_id"] not in {x["upload_id"] for x in b_history["analyses"]}
    b_sessions = {s["id"] for s in (await client.get("/auth/sessions", headers=bearer(b))).json()["sessions"]}
    assert not b_sessions & {s["id"] for s in a_sessions}
    assert (await client.get("/admin/users", headers=bearer(b))).status_code == 403
    assert (await client.get(url, headers=bearer(a))).status_code == 200


async def test_admin_finds_suspends_and_promotes(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, stack: Stack
) -> None:
    admin = {"Authorization": f"Bearer {stack.token('root@example.com', 'admin')}"}
    eve = await sign_in(client, browser, "eve")
    found = (await client.get("/admin/users", params={"q": "eve@gmail", "limit": 5}, headers=admin)).json()
    assert found["total_count"] == 1 and found["users"][0]["email"] == "eve@gmail.test"
    eve_id = found["users"][0]["user_id"]
    promoted = await client.post(f"/admin/users/{eve_id}/role", json={"role": "premium"}, headers=admin)
    assert promoted.status_code == 200 and promoted.json()["role"] == "premium"
    bad_role = await client.post(f"/admin/users/{eve_id}/role", json={"role": "emperor"}, headers=admin)
    assert bad_role.status_code == 422
    suspended = await client.post(f"/admin/users/{eve_id}/suspend", headers=admin)
    assert suspended.status_code == 200 and suspended.json()["sessions_ended"] >= 1
    # Her sessions ended with the suspension; her tokens now meet 403, not 401, so she learns why.
    assert (await client.get("/auth/profile", headers=bearer(eve))).status_code == 403
    assert (await client.post("/auth/refresh", json={"refresh_token": eve["refresh_token"]})).status_code == 403
    me = (await client.get("/auth/profile", headers=admin)).json()["user_id"]
    assert (await client.post(f"/admin/users/{me}/suspend", headers=admin)).status_code == 409
    operator_token = {"Authorization": f"Bearer {stack.token('eve@gmail.test')}"}
    refused = await client.get("/analysis/history", headers=operator_token)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "ACCOUNT_SUSPENDED"
    started = await client.post(
        "/auth/login",
        json={"client_type": "web", "redirect_uri": "http://localhost:3000/cb/eve", "state": "client-state-0123"},
    )
    code, state = await follow_authorization(browser, started.json()["authorization_url"])
    again = await client.post("/auth/callback", json={"code": code, "state": state})
    assert again.status_code == 403 and again.json()["error"]["code"] == "ACCOUNT_SUSPENDED"
    missing = await client.post("/admin/users/00000000-0000-0000-0000-000000000000/suspend", headers=admin)
    assert missing.status_code == 404
