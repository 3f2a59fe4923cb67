"""A configured feed: where it is, which format, and how to authenticate (read by the fetcher and file loader)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from producers.catalog.context import FeedContext
from producers.catalog.importer import Format


@dataclass(frozen=True)
class FeedSpec:
    """One feed: a name, its format, a URL or file path, its currency, credentials, and an incremental cursor."""

    name: str
    format: Format
    location: str
    currency: str = "USD"
    access_token: str | None = None  # Shopify Admin: X-Shopify-Access-Token
    consumer_key: str | None = None  # WooCommerce: basic auth key/secret
    consumer_secret: str | None = None
    modified_after: datetime | None = None  # WooCommerce incremental sync: only products changed since
    admin_api_version: str = "2024-01"
    public_url: str | None = None  # where product pages live, when it differs from the API location

    @property
    def incremental(self) -> bool:
        """Whether this read lists only changes (so absent products must not be removed)."""
        return self.modified_after is not None

    def context(self) -> FeedContext:
        """The adapter's view of this feed."""
        base = self.public_url or (self.location if self.location.startswith(("http://", "https://")) else None)
        return FeedContext(self.name, self.format, base, self.currency)
