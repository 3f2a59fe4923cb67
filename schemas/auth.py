"""HTTP models of sign-in, sessions and profiles."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

ClientType = Literal["web", "mobile", "desktop"]
SkinTypeName = Literal["normal", "oily", "dry", "combination", "sensitive"]
Tag = Annotated[str, Field(min_length=1, max_length=60)]  # free text
_TAGS = Field(default=(), max_length=20)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoginRequest(Strict):
    client_type: ClientType
    redirect_uri: str = Field(max_length=2048)
    state: str = Field(min_length=8, max_length=512, description="The client's own anti-CSRF value")


class LoginResponse(Strict):
    authorization_url: str
    state: str = Field(description="Send this back to /auth/callback with the code")
    expires_in: int


class CallbackRequest(Strict):
    code: str = Field(min_length=1, max_length=4096)
    state: str = Field(min_length=1, max_length=512)
    scope: str | None = Field(default=None, max_length=1024)


class RefreshRequest(Strict):
    refresh_token: str = Field(min_length=1, max_length=512)


class LogoutRequest(Strict):
    all: bool = False


class Preferences(Strict):
    """The product's preference fields; anything else is rejected."""

    skin_type: SkinTypeName | None = None
    skin_concerns: tuple[Tag, ...] = _TAGS
    allergies: tuple[Tag, ...] = _TAGS
    preferred_brands: tuple[Tag, ...] = _TAGS
    price_range_min: Decimal | None = Field(default=None, ge=0, max_digits=10, decimal_places=2)
    price_range_max: Decimal | None = Field(default=None, ge=0, max_digits=10, decimal_places=2)
    privacy_level: Literal["private", "standard", "research"] = "standard"

    @model_validator(mode="after")
    def _sane(self) -> Self:
        low, high = self.price_range_min, self.price_range_max
        if low is not None and high is not None and low > high:
            raise ValueError("price_range_min must not exceed price_range_max")
        return self


class Profile(Strict):
    user_id: uuid.UUID
    email: str
    name: str
    profile_picture: str | None
    role: str
    preferences: Preferences | None


class TokenResponse(Strict):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    user_profile: Profile


class SessionInfo(Strict):
    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    ip_address: str | None
    user_agent: str | None
    current: bool


class SessionList(Strict):
    sessions: list[SessionInfo]


class Ended(Strict):
    ended: int


class UserSummary(Strict):
    user_id: uuid.UUID
    email: str
    name: str
    role: str
    subscription_tier: str
    suspended: bool
    created_at: datetime
    last_login_at: datetime | None


class UserPage(Strict):
    users: list[UserSummary]
    total_count: int
    page: int
    has_more: bool


class UserQuery(Strict):
    q: str | None = Field(default=None, max_length=255)
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)


class RoleChange(Strict):
    role: Literal["user", "premium", "admin"]


class Suspended(Strict):
    user_id: uuid.UUID
    suspended: bool
    sessions_ended: int


class RoleChanged(Strict):
    user_id: uuid.UUID
    role: str
