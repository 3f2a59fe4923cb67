"""Which failures are outages (held, never dead-lettered) and which are the record's fault."""

from __future__ import annotations

import asyncpg
import httpx
import pytest
from aiokafka.errors import KafkaConnectionError, RequestTimedOutError
from sqlalchemy import exc as sa_exc

from consumers.runtime.failures import PermanentError, Unavailable, dependency_of
from producers.publisher import PublishFailed


@pytest.mark.parametrize(
    ("error", "dependency"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "network"),
        (TimeoutError(), "network"),
        (asyncpg.CannotConnectNowError("the database system is starting up"), "postgres"),
        (asyncpg.exceptions.AdminShutdownError("terminating connection"), "postgres"),
        (asyncpg.ConnectionDoesNotExistError("connection was closed"), "postgres"),
        (sa_exc.OperationalError("SELECT 1", {}, Exception("server closed the connection")), "postgres"),
        (KafkaConnectionError(), "kafka"),
        (RequestTimedOutError(), "kafka"),
        (PublishFailed("shine.analyses.v1: no ack"), "kafka"),
        (httpx.ConnectError("refused"), "peer"),
        (Unavailable("stripe", "HTTP 503"), "stripe"),
    ],
)
def test_outages_name_their_dependency(error: BaseException, dependency: str) -> None:
    assert dependency_of(error) == dependency


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad value"),
        KeyError("missing"),
        PermanentError("never"),
        FileNotFoundError(2, "no such file"),  # a missing file is no outage: retrying forever would not help
        PermissionError(13, "denied"),
        asyncpg.UniqueViolationError("duplicate key"),
        sa_exc.IntegrityError("INSERT", {}, Exception("violates check")),
    ],
)
def test_record_faults_are_not_outages(error: BaseException) -> None:
    assert dependency_of(error) is None


def test_an_outage_wrapped_by_a_handler_is_still_an_outage() -> None:
    try:
        try:
            raise ConnectionResetError(104, "reset by peer")
        except ConnectionResetError as inner:
            raise RuntimeError("could not fold the event") from inner
    except RuntimeError as outer:
        assert dependency_of(outer) == "network"
