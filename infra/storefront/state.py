"""The storefront's mutable state: the catalog it serves, injected raw rows, and failures armed for tests."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from infra.storefront.formats import Record

FORMATS = ("shopify", "shopify-admin", "woocommerce")


@dataclass
class Fault:
    """Answer `status` on `path` (for one `page`, or every page) `times` times, or until cleared when None."""

    path: str
    status: int = 503
    page: int | None = None
    times: int | None = None

    def matches(self, path: str, page: int) -> bool:
        """Whether this fault applies to a request for this path and page."""
        return self.path == path and (self.page is None or self.page == page) and self.times != 0


@dataclass
class StoreState:
    """What the storefront serves; tests change it through the `/_admin` endpoints."""

    records: list[Record]
    faults: list[Fault] = field(default_factory=list)
    extra_rows: dict[str, list[Any]] = field(default_factory=lambda: {f: [] for f in FORMATS})

    def fault_for(self, path: str, page: int) -> Fault | None:
        """The armed fault for this request, consuming one of its times."""
        for fault in self.faults:
            if fault.matches(path, page):
                if fault.times is not None:
                    fault.times -= 1
                return fault
        return None

    def record(self, product_id: int) -> Record | None:
        """The record with this id."""
        return next((r for r in self.records if r["id"] == product_id), None)

    def update(self, product_id: int, changes: dict[str, Any]) -> Record | None:
        """Change a product's price, stock or status (every variant) and bump its updated_at."""
        record = self.record(product_id)
        if record is None:
            return None
        for variant in record["variants"]:
            if "price" in changes:
                variant["price"] = str(changes["price"])
            if "stock" in changes:
                variant["stock"] = int(changes["stock"])
        if "status" in changes:
            record["status"] = str(changes["status"])
        record["updated_at"] = str(changes.get("updated_at") or datetime.now(UTC).isoformat())
        return record

    def remove(self, product_id: int) -> bool:
        """Delete a product from the catalog."""
        before = len(self.records)
        self.records = [r for r in self.records if r["id"] != product_id]
        return len(self.records) < before

    @classmethod
    def of(cls, records: list[Record]) -> StoreState:
        """A state over a private copy of the records (the server mutates them)."""
        return cls(copy.deepcopy(records))
