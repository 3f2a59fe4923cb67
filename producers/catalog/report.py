"""What an import did: products accepted, rows rejected with their reason, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.catalog import Product


class RowRejected(ValueError):
    """A feed row that cannot become a product; the message is the reason shown in the import report."""


@dataclass(frozen=True)
class Rejection:
    """One rejected row: which feed, which external id (if it had one), and why."""

    feed: str
    external_id: str | None
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """The outcome of importing one feed (or several, merged)."""

    products: tuple[Product, ...]
    rejected: tuple[Rejection, ...] = ()
    warnings: tuple[str, ...] = ()
    rows_read: int = 0
    merged: int = 0  # products folded into another by deduplication
    errors: tuple[str, ...] = field(default=())  # feed-level failures (a feed that is down)
    failed_feeds: tuple[str, ...] = ()  # names of the feeds those errors belong to

    @property
    def ok(self) -> bool:
        """Whether every feed could be read (rejected rows do not make an import fail)."""
        return not self.errors

    def summary(self) -> str:
        """One line for a person: counts of read, imported, merged and rejected rows."""
        line = (
            f"{self.rows_read} rows read, {len(self.products)} products, {self.merged} merged, "
            f"{len(self.rejected)} rejected"
        )
        return line + (f"; feed errors: {'; '.join(self.errors)}" if self.errors else "")
