"""Settings: the one place that reads the environment (prefix SHINE_), declared in groups.

Each group is its own model (kafka, database, storage, edge, auth, consumers; stripe, crawl and catalog join
the same way); `Settings` composes them and reads every `SHINE_*` variable, so a component can ask for just
the group it needs (`def f(db: DatabaseSettings)`) and is handed the whole settings object.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shine.discovery_settings import DiscoverySettings
from shine.payments_settings import PaymentSettings


class KafkaSettings(BaseModel):
    """The broker: an existing cluster, or the local one under var/."""

    kafka_bootstrap: str | None = None
    kafka_home: Path | None = Field(default=None, validation_alias=AliasChoices("SHINE_KAFKA_HOME", "KAFKA_HOME"))
    kafka_port: int = Field(default=9092, ge=1, le=65535)
    kafka_controller_port: int = Field(default=9093, ge=1, le=65535)
    topic_prefix: str = ""

    @property
    def kafka_servers(self) -> str:
        """Bootstrap servers in effect: the given cluster, else the local broker."""
        return self.kafka_bootstrap or f"127.0.0.1:{self.kafka_port}"


class DatabaseSettings(BaseModel):
    """Postgres: an existing database, or the local cluster under var/."""

    database_url: str | None = None
    pg_port: int = Field(default=5433, ge=1, le=65535)

    @property
    def db_url(self) -> str:
        """Database URL in effect: the given one, else the local cluster under var/."""
        return self.database_url or f"postgresql+asyncpg://shine@127.0.0.1:{self.pg_port}/shine"


class StorageSettings(BaseModel):
    """Local data: var/, blobs and logs."""

    var_dir: Path = Path("var")
    blob_dir: Path | None = None

    @property
    def blobs_path(self) -> Path:
        """Where blobs are stored."""
        return self.blob_dir or self.var_dir / "blobs"

    @property
    def log_dir(self) -> Path:
        """Where service logs go."""
        return self.var_dir / "log"


class EdgeSettings(BaseModel):
    """The HTTP edge: address, public URL, upload limits, outage bounds, back-pressure, rate limits."""

    edge_host: str = "127.0.0.1"
    edge_port: int = Field(default=8000, ge=1, le=65535)
    public_url: str | None = None  # absolute URLs in answers; default http://EDGE_HOST:EDGE_PORT
    allowed_hosts: tuple[str, ...] = ()  # Host headers accepted besides the public URL's and loopback's
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_image_pixels: int = Field(default=40_000_000, gt=0)
    min_image_side: int = Field(default=64, gt=0)
    max_concurrent_decodes: int = Field(default=2, gt=0)
    dependency_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    retry_after_seconds: int = Field(default=5, gt=0)
    max_analysis_backlog: int = Field(default=200, ge=0)  # 0 disables back-pressure
    premium_backlog_share: float = Field(default=1.5, ge=1)
    idempotency_ttl_seconds: int = Field(default=86400, gt=0)
    rate_limit_window_seconds: int = Field(default=60, gt=0)
    rate_limit_auth_per_ip: int = Field(default=30, gt=0)
    rate_limit_auth_per_user: int = Field(default=60, gt=0)
    rate_limit_default_per_ip: int = Field(default=600, gt=0)
    rate_limit_default_per_user: int = Field(default=300, gt=0)

    @property
    def edge_url(self) -> str:
        """The base of every absolute URL the edge gives out (never taken from a request's Host)."""
        return (self.public_url or f"http://{self.edge_host}:{self.edge_port}").rstrip("/")


class AuthSettings(BaseModel):
    """Sign-in with OpenID Connect and the sessions it opens."""

    operator_token_ttl_seconds: int = Field(default=12 * 3600, gt=0)
    oidc_discovery_url: str = "https://accounts.google.com/.well-known/openid-configuration"
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_redirect_uris: tuple[str, ...] = ()
    oidc_scope: str = "openid email profile"
    oidc_local_port: int = Field(default=8400, ge=1, le=65535)  # the local provider, when no client id is set
    login_ttl_seconds: int = Field(default=600, gt=0, le=600)
    access_token_ttl_seconds: int = Field(default=900, gt=0)
    refresh_token_ttl_seconds: int = Field(default=30 * 86400, gt=0)
    session_idle_timeout_seconds: int = Field(default=7 * 86400, gt=0)
    session_absolute_lifetime_seconds: int = Field(default=90 * 86400, gt=0)
    max_sessions_per_user: int = Field(default=10, gt=0)


class ConsumerSettings(BaseModel):
    """Defaults every consumer group inherits unless its declaration says otherwise."""

    metrics_port_base: int = Field(default=9400, ge=0, le=65000)  # 0 disables consumer metrics ports
    consumer_max_retries: int = Field(default=3, ge=0)
    consumer_retry_backoff_ms: int = Field(default=200, ge=0)
    consumer_outage_hold_seconds: float = Field(default=30.0, gt=0)
    heartbeat_interval_seconds: float = Field(default=2.0, gt=0)
    heartbeat_stale_seconds: float = Field(default=15.0, gt=0)
    ready_consumers: tuple[str, ...] | None = None  # None: every registered group that readiness waits for


class CatalogFeed(BaseModel):
    """One configured product feed: where it is and which format it speaks."""

    url: str
    format: Literal["shopify", "shopify-admin", "woocommerce"]
    currency: str = "USD"


class CatalogSettings(BaseModel):
    """Product feeds synced on a schedule (unset: the local demo storefront) and the recommender's list size."""

    catalog_feeds: tuple[CatalogFeed, ...] | None = None
    catalog_sync_interval_seconds: float = Field(default=900.0, gt=0)
    storefront_port: int = Field(default=8300, ge=1, le=65535)
    recommendations_kept: int = Field(default=50, ge=1, le=500)

    @property
    def feeds(self) -> tuple[CatalogFeed, ...]:
        """The feeds in effect: the configured ones, else the local storefront in Shopify and WooCommerce form."""
        if self.catalog_feeds is not None:
            return self.catalog_feeds
        url = f"http://127.0.0.1:{self.storefront_port}"
        return (CatalogFeed(url=url, format="shopify"), CatalogFeed(url=url, format="woocommerce"))


class Settings(
    KafkaSettings,
    DatabaseSettings,
    StorageSettings,
    EdgeSettings,
    AuthSettings,
    ConsumerSettings,
    CatalogSettings,
    PaymentSettings,
    DiscoverySettings,
    BaseSettings,
):
    """Every SHINE_* variable, validated at start."""

    model_config = SettingsConfigDict(env_prefix="SHINE_", env_file=".env", extra="ignore")

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_repeat_interval_seconds: float = Field(default=10.0, ge=0)  # identical errors: one line per interval

    @model_validator(mode="after")
    def _public_url_is_absolute(self) -> Settings:
        if self.public_url and not self.public_url.startswith(("http://", "https://")):
            raise ValueError("public_url must start with http:// or https://")
        return self


def load_settings() -> Settings:
    """Load settings, turning a validation error into a message naming the bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"SHINE_{'_'.join(str(p) for p in err['loc']).upper() or 'PUBLIC_URL'}: {err['msg']}"
            for err in exc.errors()
        )
        raise SystemExit(f"invalid configuration: {problems}") from None
