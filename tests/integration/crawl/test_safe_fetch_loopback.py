"""The SSRF-guarded fetch against the local fake (loopback allowed by the test switch, and only loopback)."""

from __future__ import annotations

import pytest

from consumers.crawl.safe_fetch import FetchLimits, FetchTooLarge, SafeFetcher
from consumers.crawl.ssrf_policy import UnsafeUrl
from tests.integration.crawl.conftest import Fake


class StubResolver:
    """Answers every name with loopback, so a name that exists nowhere still reaches the fake."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return ["127.0.0.1"]


def on_name(fake: Fake, path: str) -> str:
    port = fake.url.rsplit(":", 1)[1]
    return f"http://images.shine-test.example:{port}{path}"


async def test_the_connection_is_pinned_to_the_checked_address_with_the_name_as_host(fake: Fake) -> None:
    resolver = StubResolver()
    fetched = await SafeFetcher(resolver, allow_loopback=True).fetch(on_name(fake, "/_fake/echo"))
    port = fake.url.rsplit(":", 1)[1]
    assert fetched.status == 200 and fetched.address == "127.0.0.1"
    assert b'"host":"images.shine-test.example:' + port.encode() + b'"' in fetched.body
    assert resolver.asked == ["images.shine-test.example"]  # resolved once, never again by the client


async def test_loopback_is_refused_without_the_test_switch(fake: Fake) -> None:
    with pytest.raises(UnsafeUrl) as refused:
        await SafeFetcher(StubResolver()).fetch(on_name(fake, "/_fake/echo"))
    assert refused.value.reason == "loopback"


async def test_every_redirect_is_checked_before_it_is_followed(fake: Fake) -> None:
    fetcher = SafeFetcher(StubResolver(), allow_loopback=True)
    followed = await fetcher.fetch(on_name(fake, "/_fake/redirect?to=/_fake/echo"))
    assert followed.status == 200 and followed.url.endswith("/_fake/echo")

    class Metadata(StubResolver):
        async def resolve(self, host: str, port: int) -> list[str]:
            return ["169.254.169.254"] if host == "metadata.example" else ["127.0.0.1"]

    to_metadata = on_name(fake, "/_fake/redirect?to=http://metadata.example/latest/meta-data/")
    with pytest.raises(UnsafeUrl) as refused:
        await SafeFetcher(Metadata(), allow_loopback=True).fetch(to_metadata)
    assert refused.value.reason == "link_local"
    loop = on_name(fake, "/_fake/redirect?to=/_fake/redirect%3Fto%3D/_fake/echo")
    with pytest.raises(UnsafeUrl, match="too_many_redirects"):
        await SafeFetcher(StubResolver(), FetchLimits(max_redirects=1), allow_loopback=True).fetch(loop)


async def test_size_and_time_caps(fake: Fake) -> None:
    limits = FetchLimits(max_bytes=1000, timeout=1.0)
    fetcher = SafeFetcher(StubResolver(), limits, allow_loopback=True)
    assert len((await fetcher.fetch(on_name(fake, "/_fake/bytes?n=1000"))).body) == 1000
    with pytest.raises(FetchTooLarge):
        await fetcher.fetch(on_name(fake, "/_fake/bytes?n=1001"))
    with pytest.raises(TimeoutError):
        await fetcher.fetch(on_name(fake, "/_fake/bytes?n=10&delay=3"))
