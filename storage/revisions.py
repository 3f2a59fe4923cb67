"""The one rule every projection write follows: an entity row moves only to an equal or newer revision.

Each event that changes an entity carries the entity's revision, assigned by the entity's single writer (the
analysis consumer for an analysis, the edge's per-user counter for preferences, …). A fold upserts with
`ON CONFLICT … DO UPDATE … WHERE row.revision <= excluded.revision`, so a late, replayed or duplicated event
never moves a row backwards, and a legitimate later transition — also one back to an earlier state, such as a
price that goes up and down — always applies. (An equal revision is the same change again: re-applying it is a
no-op.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection


async def upsert_newer(
    conn: AsyncConnection,
    table: Table,
    key: Sequence[str],
    row: Mapping[str, Any],
    *,
    revision: int,
    on_insert: Mapping[str, Any] | None = None,
    revision_column: str = "revision",
) -> bool:
    """Insert the row, or update it if it holds an older or equal revision; True when the row changed.

    `on_insert` columns are written only when the row is created (e.g. created_at).
    """
    values = {**row, **(on_insert or {}), revision_column: revision}
    stmt = insert(table).values(**values)
    updates = {c: stmt.excluded[c] for c in (*row, revision_column) if c not in key}
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c[k] for k in key],
        set_=updates,
        where=table.c[revision_column] <= revision,
    )
    result = await conn.execute(stmt)
    return bool(result.rowcount)
