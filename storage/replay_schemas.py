"""Replay schemas: create a fresh Postgres schema for a replay, and compare it with the live projections."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.metadata import metadata
from storage.platform.tables import processed_events
from storage.registry import PROJECTION_TABLES

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_RESERVED = {"public", "information_schema"}


def check_schema_name(name: str) -> str:
    """A safe, unreserved schema name (it is interpolated into DDL)."""
    if not _IDENT.match(name) or name in _RESERVED or name.startswith("pg_"):
        raise ValueError(f"schema name {name!r} must match [a-z_][a-z0-9_]* and not be public/pg_*")
    return name


async def recreate(conn: AsyncConnection, schema: str) -> None:
    """Drop and create `schema` holding empty projection tables and its own processed_events."""
    check_schema_name(schema)
    await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def create(sync: Connection) -> None:
        translated = sync.execution_options(schema_translate_map={None: schema})
        metadata.create_all(translated, tables=[*PROJECTION_TABLES, processed_events])

    await conn.run_sync(create)


async def differences(conn: AsyncConnection, schema: str, limit: int = 10) -> list[str]:
    """Row-by-row differences between the live projections and those in `schema`, volatile columns excluded."""
    check_schema_name(schema)
    found: list[str] = []
    for table in PROJECTION_TABLES:
        live = await _rows(conn, table, None)
        other = await _rows(conn, table, schema)
        diffs = [f"{table.name} {k}: only in live" for k in live.keys() - other.keys()]
        diffs += [f"{table.name} {k}: only in {schema}" for k in other.keys() - live.keys()]
        diffs += [
            f"{table.name} {k}: {_diff(live[k], other[k])}" for k in live.keys() & other.keys() if live[k] != other[k]
        ]
        found.extend(
            sorted(diffs)[:limit] + ([f"{table.name}: {len(diffs) - limit} more"] if len(diffs) > limit else [])
        )
    return found


async def _rows(conn: AsyncConnection, table: Table, schema: str | None) -> dict[Any, dict[str, Any]]:
    columns = [c for c in table.columns if not c.info.get("volatile")]
    key = [c.name for c in table.primary_key.columns]
    # Per statement: Connection.execution_options() would change the connection for every later query too.
    stmt = select(*columns).execution_options(schema_translate_map={None: schema})
    rows = (await conn.execute(stmt)).mappings().all()
    return {tuple(r[k] for k in key): dict(r) for r in rows}


def _diff(a: dict[str, Any], b: dict[str, Any]) -> str:
    return ", ".join(f"{k} {a[k]!r} != {b[k]!r}" for k in a if a[k] != b.get(k))
