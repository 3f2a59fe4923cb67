"""The provider's HTTP side: discovery, keys, a sign-in page, the token endpoint, and a landing page for the demo.

`GET /authorize` shows a form asking for an email address and a name (anyone may sign in as anyone: it is a
local stand-in for Google); submitting it redirects to the client's `redirect_uri` with a code and the state.
`POST /token` redeems the code (client secret, PKCE S256) for an RS256 ID token. `GET /signed-in` is the default
redirect URI for `make run`: it shows the code and state with the request that finishes the sign-in at Shine.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
from urllib.parse import unquote_plus, urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from infra.openid_provider.grants import (
    ID_TOKEN_TTL_SECONDS,
    Client,
    Codes,
    GrantError,
    authorization_request,
    id_token_claims,
    signed_in_as,
)

NAME = "openid-provider"
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:34em;margin:3em auto}input{display:block;width:100%;"
        "margin:.3em 0 1em;padding:.4em}pre{background:#f4f4f4;padding:1em;white-space:pre-wrap}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>",
        status,
        _NO_STORE,
    )


def _sign_in_form(params: dict[str, str], error: str = "") -> HTMLResponse:
    hidden = "".join(
        f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>" for k, v in params.items()
    )
    note = f"<p style='color:#b00'>{html.escape(error)}</p>" if error else ""
    return _page(
        "Sign in to Shine (local provider)",
        f"{note}<p>This machine's stand-in for Google: any address signs in as that person.</p>"
        f"<form method='post' action='/authorize'>{hidden}<label>Email<input name='email' type='email' required "
        "autofocus></label><label>Name<input name='name'></label><button type='submit'>Sign in</button></form>",
        400 if error else 200,
    )


def _client_auth(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """client_secret_basic, else client_secret_post."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return "", ""
        return unquote_plus(user), unquote_plus(password)
    return form.get("client_id", ""), form.get("client_secret", "")


def build_app(issuer: str, client: Client, key: RSAKey, edge_url: str) -> Starlette:
    """The provider for one client, signing with `key`, known as `issuer` (its own base URL)."""
    codes = Codes()
    public = {**key.as_dict(private=False), "use": "sig", "alg": "RS256", "kid": key.kid}

    async def discovery(request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": ["sub", "email", "email_verified", "name", "nonce"],
            }
        )

    async def jwks(request: Request) -> Response:
        return JSONResponse({"keys": [public]})

    async def authorize(request: Request) -> Response:
        params = dict(request.query_params) if request.method == "GET" else {}
        if request.method == "POST":
            params = {k: str(v) for k, v in (await request.form()).items()}
        person = {k: params.pop(k, "") for k in ("email", "name")}
        try:
            wanted = authorization_request(client, params)
        except GrantError as refused:  # never redirect to an unchecked URI
            return _page(
                "Sign-in request refused", f"<p>{html.escape(refused.error)}: {html.escape(str(refused))}</p>", 400
            )
        if request.method == "GET":
            return _sign_in_form(params)
        try:
            email, name = signed_in_as(person["email"], person["name"])
        except GrantError as refused:
            return _sign_in_form(params, str(refused))
        code = codes.issue(wanted, email, name)
        return RedirectResponse(f"{wanted.redirect_uri}?{urlencode({'code': code, 'state': wanted.state})}", 303)

    async def token(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        client_id, secret = _client_auth(request, form)
        try:
            grant = codes.redeem(client, form, client_id, secret)
        except GrantError as refused:
            status = 401 if refused.error == "invalid_client" else 400
            body = {"error": refused.error, "error_description": str(refused)}
            return JSONResponse(body, status, _NO_STORE)
        id_token = jwt.encode(
            {"alg": "RS256", "kid": key.kid, "typ": "JWT"}, id_token_claims(issuer, client, grant), key
        )
        answer = {
            "access_token": secrets.token_urlsafe(32),
            "token_type": "Bearer",
            "expires_in": ID_TOKEN_TTL_SECONDS,
            "scope": grant.request.scope,
            "id_token": id_token,
        }
        return JSONResponse(answer, headers=_NO_STORE)

    async def signed_in(request: Request) -> Response:
        finish = json.dumps(
            {"code": request.query_params.get("code", ""), "state": request.query_params.get("state", "")}
        )
        command = f"curl -s -X POST {edge_url}/auth/callback -H 'Content-Type: application/json' \\\n  -d '{finish}'"
        return _page(
            "Signed in at the provider",
            "<p>A client app would now call Shine with this code and its state (within two minutes):</p>"
            f"<pre>{html.escape(command)}</pre><p>The answer carries your <code>access_token</code>.</p>",
        )

    async def health(request: Request) -> Response:
        return JSONResponse({"name": NAME, "issuer": issuer})

    return Starlette(
        routes=[
            Route("/.well-known/openid-configuration", discovery),
            Route("/jwks", jwks),
            Route("/authorize", authorize, methods=["GET", "POST"]),
            Route("/token", token, methods=["POST"]),
            Route("/signed-in", signed_in),
            Route("/_health", health),
        ]
    )
