"""Session fixtures: real Kafka and Postgres, migrated, with the catalog's topics under a unique prefix."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.topics import ensure_topics
from shine.settings import Settings
from storage.engine import create_engine
from storage.migrate import upgrade
from tests.support.services import TestServices, start_services, stop_services


@pytest.fixture(scope="session")
def services() -> Iterator[TestServices]:
    found = start_services()
    try:
        upgrade(found.database_url)
        asyncio.run(ensure_topics(found.bootstrap, found.prefix))
        yield found
    finally:
        stop_services(found)


@pytest.fixture(scope="session")
def settings(services: TestServices) -> Settings:
    return services.settings()


@pytest.fixture(scope="session")
async def engine(services: TestServices) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(services.database_url)
    yield eng
    await eng.dispose()
