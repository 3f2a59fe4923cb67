"""Which failures are outages and which are the record's fault.

An outage — our database or broker, or a peer service, unavailable — is not a poison message: the record is
held (retried with capped backoff, then redelivered) for as long as it lasts. Anything else is the record's
fault or a deterministic handler error: bounded retries, then the dead-letter queue.
"""

from __future__ import annotations

import errno
import socket

import asyncpg
import httpx
from aiokafka.errors import KafkaError
from sqlalchemy import exc as sa_exc

from producers.publisher import PublishFailed


class Unavailable(Exception):
    """A dependency is unavailable right now; handlers and clients of peers raise it to say so."""

    def __init__(self, dependency: str, detail: str = "") -> None:
        super().__init__(f"{dependency} unavailable{': ' + detail if detail else ''}")
        self.dependency = dependency


class PermanentError(Exception):
    """The input can never succeed, however often it is retried."""


_NETWORK_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN})
_POSTGRES_OUTAGES = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,  # the connection was closed under us
    asyncpg.exceptions.OperatorInterventionError,  # shutting down, starting up
    asyncpg.exceptions.InsufficientResourcesError,  # too many connections, disk full
    sa_exc.TimeoutError,  # no pooled connection in time
)


def dependency_of(exc: BaseException) -> str | None:
    """The unavailable dependency behind `exc` (following its causes), or None when it is not an outage."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = _classify(current)
        if found:
            return found
        current = current.__cause__ or current.__context__
    return None


def _classify(exc: BaseException) -> str | None:
    if isinstance(exc, Unavailable):
        return exc.dependency
    if isinstance(exc, (*_POSTGRES_OUTAGES, sa_exc.OperationalError, sa_exc.InterfaceError)):
        return "postgres"
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return "postgres"
    if isinstance(exc, PublishFailed) or (
        isinstance(exc, KafkaError) and (exc.retriable or type(exc).__name__ == "KafkaConnectionError")
    ):
        return "kafka"
    if isinstance(exc, httpx.TransportError):
        return "peer"
    # Only connection-level OS errors: a missing file or a permission error is no outage.
    if isinstance(exc, ConnectionError | TimeoutError | socket.gaierror) or (
        isinstance(exc, OSError) and exc.errno in _NETWORK_ERRNOS
    ):
        return "network"
    return None
