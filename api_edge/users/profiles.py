"""A user's profile as the API shows it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from api_edge.users.session_rules import Tokens, effective_role
from schemas.auth import Preferences, Profile, TokenResponse
from storage.users.accounts import profile

PREFERENCE_FIELDS = tuple(Preferences.model_fields)


async def profile_of(conn: AsyncConnection, user_id: uuid.UUID) -> Profile:
    """The user's profile with their preferences (None until set)."""
    user, prefs = await profile(conn, user_id)
    preferences = None
    if prefs is not None:
        preferences = Preferences.model_validate({k: prefs[k] for k in PREFERENCE_FIELDS if prefs[k] is not None})
    return Profile(
        user_id=user["id"],
        email=user["email"],
        name=user["name"],
        profile_picture=user["profile_picture_url"],
        role=effective_role(user["role"], user["subscription_tier"]),
        preferences=preferences,
    )


async def token_response(conn: AsyncConnection, tokens: Tokens) -> TokenResponse:
    """What a client gets for a new or rotated session."""
    return TokenResponse(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token or "",
        expires_in=tokens.expires_in,
        user_profile=await profile_of(conn, tokens.user_id),
    )
