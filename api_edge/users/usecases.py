"""Session and profile use cases: each owns its transaction and its rules."""

from __future__ import annotations

import uuid

from api_edge.errors import ApiError
from api_edge.users.deps import UsersDeps
from api_edge.users.profiles import profile_of, token_response
from api_edge.users.session_rules import Principal, Tokens
from api_edge.users.sessions import active_sessions, rotate
from api_edge.users.signin import SOURCE
from events.envelope import utcnow
from events.topics import USERS
from events.users import PreferencesData, PreferencesUpdated, PreferencesUpdatedData
from producers.outbox import enqueue
from schemas.auth import Ended, Preferences, Profile, SessionInfo, SessionList, TokenResponse
from storage.users import sessions
from storage.users.accounts import save_preferences


async def refresh(deps: UsersDeps, refresh_token: str) -> TokenResponse:
    """A new token pair; the old refresh token dies, and reusing it ends the session."""
    async with deps.db.transaction() as conn:  # answer built before commit: a failure spends no refresh token
        outcome = await rotate(conn, refresh_token, deps.sessions)
        answer = await token_response(conn, outcome) if isinstance(outcome, Tokens) else None
    if outcome == "suspended":
        raise ApiError(403, "ACCOUNT_SUSPENDED", "This account is suspended.")
    if outcome == "reused":
        raise ApiError(401, "REFRESH_TOKEN_REUSED", "This refresh token was already used; the session is ended.")
    if answer is None:
        raise ApiError(401, "INVALID_REFRESH_TOKEN", "The refresh token is unknown, expired or ended.")
    return answer


async def log_out(deps: UsersDeps, who: Principal, everywhere: bool) -> Ended:
    """End the caller's session, or all of their sessions."""
    async with deps.db.transaction() as conn:
        if everywhere:
            ended = await sessions.end_all(conn, who.user_id, "logout_all", utcnow())
        else:
            ended = await sessions.end_sessions(conn, [who.session_id], "logout", utcnow())
    return Ended(ended=ended)


async def list_sessions(deps: UsersDeps, who: Principal) -> SessionList:
    """The caller's live sessions, the current one marked."""
    async with deps.db.reading() as conn:
        rows = await active_sessions(conn, who.user_id, deps.sessions.idle_timeout)
    return SessionList(
        sessions=[
            SessionInfo(
                id=r["id"],
                created_at=r["created_at"],
                last_used_at=r["last_accessed_at"],
                ip_address=str(r["ip_address"]) if r["ip_address"] else None,
                user_agent=r["user_agent"],
                current=r["id"] == who.session_id,
            )
            for r in rows
        ]
    )


async def end_session(deps: UsersDeps, who: Principal, session_id: uuid.UUID) -> Ended:
    """End one of the caller's sessions; anyone else's is reported as missing."""
    async with deps.db.transaction() as conn:
        if await sessions.session_owner(conn, session_id) != who.user_id:
            raise ApiError(404, "SESSION_NOT_FOUND", "No such session.")
        return Ended(ended=await sessions.end_sessions(conn, [session_id], "ended_by_user", utcnow()))


async def profile(deps: UsersDeps, who: Principal) -> Profile:
    """The caller's profile."""
    async with deps.db.reading() as conn:
        return await profile_of(conn, who.user_id)


async def replace_preferences(deps: UsersDeps, who: Principal, prefs: Preferences, correlation: str) -> Profile:
    """Store the preferences and publish the change (through the outbox, in the same transaction)."""
    arrays = {k: list(getattr(prefs, k)) for k in ("skin_concerns", "allergies", "preferred_brands")}
    async with deps.db.transaction() as conn:
        revision = await save_preferences(conn, who.user_id, {**prefs.model_dump(), **arrays})
        data = PreferencesUpdatedData(
            user_id=who.user_id, preferences=PreferencesData(**prefs.model_dump()), revision=revision
        )
        event = PreferencesUpdated(source=SOURCE, subject=str(who.user_id), correlation_id=correlation, data=data)
        await enqueue(conn, USERS, event, deps.topic_prefix)
        return await profile_of(conn, who.user_id)
