"""Monotonic projections by per-entity revision, against real Postgres: late, replayed or duplicated events
never move a row backwards, and a legitimate later transition — also back to an earlier state — always applies."""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.projector.handlers import projector_handlers
from events.envelope import Event
from events.users import (
    PreferencesData,
    PreferencesUpdated,
    PreferencesUpdatedData,
    UserRegistered,
    UserRegisteredData,
    UserSignedIn,
    UserSignedInData,
)
from storage.users.tables import user_profiles
from tests.support.kafka import upload_event

pytestmark = pytest.mark.integration


def _preferences(user_id: uuid.UUID, revision: int, brand: str, budget: str) -> PreferencesUpdated:
    prefs = PreferencesData(preferred_brands=(brand,), price_range_max=Decimal(budget), allergies=("fragrance",))
    data = PreferencesUpdatedData(user_id=user_id, preferences=prefs, revision=revision)
    return PreferencesUpdated(source="tests", subject=str(user_id), correlation_id="rev", data=data)


async def _apply(engine: AsyncEngine, events: list[Event]) -> None:
    handlers = projector_handlers(engine)
    for event in events:
        await handlers[type(event)](event)


async def _profile(engine: AsyncEngine, user_id: uuid.UUID) -> dict[str, object]:
    async with engine.connect() as conn:
        row = (await conn.execute(select(user_profiles).where(user_profiles.c.user_id == user_id))).mappings().one()
    return dict(row)


async def test_preferences_that_go_back_and_forth_end_at_the_latest_in_any_order(engine: AsyncEngine) -> None:
    # Budget goes 30 → 80 → 30 and the brand A → B → A: the last change is a move back to an earlier state.
    for order in itertools.permutations(range(3)):
        user_id = uuid.uuid4()
        changes = [
            _preferences(user_id, 1, "A", "30"),
            _preferences(user_id, 2, "B", "80"),
            _preferences(user_id, 3, "A", "30"),
        ]
        delivered = [changes[i] for i in order] + [changes[order[0]]]  # and one redelivered late
        await _apply(engine, delivered)
        row = await _profile(engine, user_id)
        assert (row["preferred_brands"], row["price_range_max"], row["revision"]) == (["A"], Decimal("30.00"), 3), order


async def test_a_legitimate_later_transition_applies_after_an_equal_state(engine: AsyncEngine) -> None:
    user_id = uuid.uuid4()
    await _apply(engine, [_preferences(user_id, 1, "A", "30"), _preferences(user_id, 2, "B", "80")])
    assert (await _profile(engine, user_id))["preferred_brands"] == ["B"]
    await _apply(engine, [_preferences(user_id, 1, "A", "30")])  # late: ignored
    assert (await _profile(engine, user_id))["preferred_brands"] == ["B"]
    await _apply(engine, [_preferences(user_id, 3, "A", "30")])  # newer, back to A: applied
    assert (await _profile(engine, user_id))["preferred_brands"] == ["A"]


async def test_sign_ins_and_registration_fold_in_any_order(engine: AsyncEngine) -> None:
    user_id = uuid.uuid4()
    registered = UserRegistered(
        source="tests",
        subject=str(user_id),
        correlation_id="r",
        data=UserRegisteredData(user_id=user_id, provider="google"),
    )
    sign_ins = [
        UserSignedIn(
            source="tests",
            subject=str(user_id),
            correlation_id="s",
            data=UserSignedInData(user_id=user_id, session_id=uuid.uuid4(), client_type="web"),
        )
        for _ in range(3)
    ]
    await _apply(engine, [sign_ins[2], sign_ins[0], registered, sign_ins[1], sign_ins[2]])  # the last is a redelivery
    row = await _profile(engine, user_id)
    assert row["provider"] == "google" and row["sign_ins"] == 3
    assert row["last_signed_in_at"] == max(s.occurred_at for s in sign_ins)
    assert row["allergies"] == []


async def test_an_upload_follows_its_analysis_revision_whatever_arrives_first(engine: AsyncEngine) -> None:
    from consumers.analysis import domain
    from storage.analysis.tables import image_uploads

    upload = upload_event()
    started = domain.started_event(upload)
    failed = domain.failed_event(upload, domain.UNREADABLE)
    await _apply(engine, [failed, started, upload, started])
    async with engine.connect() as conn:
        row = (
            (await conn.execute(select(image_uploads).where(image_uploads.c.id == upload.data.upload_id)))
            .mappings()
            .one()
        )
    assert (row["upload_status"], row["revision"]) == ("failed", 2)
