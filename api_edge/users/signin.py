"""Sign-in with the OpenID Connect provider: the login transaction, the callback, the first session."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from api_edge.errors import ApiError
from api_edge.id_token import InvalidIdToken
from api_edge.oidc import ProviderError
from api_edge.users.deps import UsersDeps
from api_edge.users.profiles import token_response
from api_edge.users.session_rules import Tokens, token_hash
from api_edge.users.sessions import open_session
from events.envelope import utcnow
from events.topics import USERS
from events.users import UserRegistered, UserRegisteredData, UserSignedIn, UserSignedInData
from observability.logs import correlation_id
from producers.outbox import enqueue
from schemas.auth import CallbackRequest, LoginRequest, LoginResponse, TokenResponse
from storage.users import accounts, logins

SOURCE = "shine.edge.auth"


def _provider_failure(exc: ProviderError) -> ApiError:
    if exc.code == "INVALID_GRANT":
        return ApiError(400, "INVALID_GRANT", "The authorization code is invalid, expired or already used.")
    return ApiError(503, "PROVIDER_UNAVAILABLE", "The sign-in provider is unavailable; try again shortly.")


async def begin(deps: UsersDeps, req: LoginRequest) -> LoginResponse:
    """Start a sign-in: a single-use transaction holding the PKCE verifier, the nonce and the client's state."""
    if req.redirect_uri not in deps.redirect_uris:  # exact match only: no prefixes, no patterns
        raise ApiError(400, "INVALID_REDIRECT_URI", "This redirect_uri is not registered.")
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    try:
        url = await deps.oidc.authorization_url(req.redirect_uri, state, nonce, verifier)
    except ProviderError as exc:
        raise _provider_failure(exc) from None
    async with deps.db.transaction() as conn:
        await logins.create(
            conn,
            state_hash=token_hash(state),
            client_state=req.state,
            client_type=req.client_type,
            redirect_uri=req.redirect_uri,
            code_verifier=verifier,
            nonce=nonce,
            now=utcnow(),
            ttl=deps.login_ttl,
        )
    return LoginResponse(authorization_url=url, state=state, expires_in=int(deps.login_ttl.total_seconds()))


async def complete(deps: UsersDeps, req: CallbackRequest, ip: str | None, agent: str | None) -> TokenResponse:
    """Finish a sign-in: use up the transaction, exchange the code, validate the ID token, open a session."""
    async with deps.db.transaction() as conn:  # committed at once: the state is spent even if the rest fails
        txn = await logins.claim(conn, token_hash(req.state), utcnow())
    if txn is None:
        raise ApiError(400, "INVALID_STATE", "Unknown, expired or already used sign-in state.")
    try:
        grant = await deps.oidc.exchange(req.code, str(txn.redirect_uri), str(txn.code_verifier))
        claims = await deps.oidc.claims(str(grant.get("id_token") or ""), str(txn.nonce), utcnow())
    except ProviderError as exc:
        raise _provider_failure(exc) from None
    except InvalidIdToken as exc:
        raise ApiError(401, "INVALID_ID_TOKEN", str(exc), {"reason": exc.reason}) from None
    async with deps.db.transaction() as conn:  # the answer is built before commit: a failure leaves nothing behind
        tokens = await _session_for(conn, deps, claims, str(txn.client_type), ip, agent)
        return await token_response(conn, tokens)


async def _session_for(
    conn: AsyncConnection, deps: UsersDeps, claims: dict[str, Any], client_type: str, ip: str | None, agent: str | None
) -> Tokens:
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is not True:
        raise ApiError(403, "EMAIL_NOT_VERIFIED", "The provider did not vouch for an email address.")
    try:
        name = str(claims.get("name") or email)[:255]
        found = await accounts.sign_in(conn, str(claims["sub"]), email, name, claims.get("picture"))
    except accounts.EmailTaken:
        raise ApiError(409, "EMAIL_IN_USE", "Another account already uses this email address.") from None
    if found.suspended:
        raise ApiError(403, "ACCOUNT_SUSPENDED", "This account is suspended.")
    tokens = await open_session(conn, found.user_id, deps.sessions, ip=ip, agent=agent)
    cid, prefix, subject = correlation_id.get() or "", deps.topic_prefix, str(found.user_id)
    if found.created:
        registered = UserRegisteredData(user_id=found.user_id, provider="google")
        await enqueue(
            conn, USERS, UserRegistered(source=SOURCE, subject=subject, correlation_id=cid, data=registered), prefix
        )
    signed_in = UserSignedInData(user_id=found.user_id, session_id=tokens.session_id, client_type=client_type)
    await enqueue(conn, USERS, UserSignedIn(source=SOURCE, subject=subject, correlation_id=cid, data=signed_in), prefix)
    return tokens
