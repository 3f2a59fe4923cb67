"""Apply Alembic migrations programmatically (used by `shine up` / `shine migrate` and the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

SCRIPTS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our scripts and the given database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the database to the newest schema (idempotent). Must not run inside an event loop.

    "heads": contexts may add their migrations as branches off a common base; every branch is applied.
    """
    command.upgrade(alembic_config(url), "heads")
