"""Users context: sign-ups, sign-ins and preference changes (personal data kept out: ids only)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from events.envelope import Event, Payload


class UserRegisteredData(Payload):
    user_id: uuid.UUID
    provider: str


class UserSignedInData(Payload):
    user_id: uuid.UUID
    session_id: uuid.UUID
    client_type: str


class PreferencesData(Payload):
    skin_type: str | None = None
    skin_concerns: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()
    preferred_brands: tuple[str, ...] = ()
    price_range_min: Decimal | None = None
    price_range_max: Decimal | None = None
    privacy_level: str = "standard"


class PreferencesUpdatedData(Payload):
    user_id: uuid.UUID
    preferences: PreferencesData
    # The user's preference revision (the edge's per-user counter): projections apply only newer ones.
    revision: int = 0


class UserRegistered(Event):
    """A person signed in for the first time and became a user."""

    TYPE = "user.registered"
    data: UserRegisteredData


class UserSignedIn(Event):
    """A user signed in and a new session started."""

    TYPE = "user.signed_in"
    data: UserSignedInData


class PreferencesUpdated(Event):
    """A user changed their skincare preferences."""

    TYPE = "preferences.updated"
    VERSION = 2
    data: PreferencesUpdatedData
