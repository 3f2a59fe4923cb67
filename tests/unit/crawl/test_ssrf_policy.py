"""SSRF decisions with a stub resolver: nothing here opens a connection."""

from __future__ import annotations

import ipaddress

import pytest

from consumers.crawl.safe_fetch import SafeFetcher
from consumers.crawl.ssrf_policy import UnsafeUrl, address_reason, parse_target


class StubResolver:
    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, int]] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        return self.answers.get(host, [])


REFUSED = {
    "127.0.0.1": "loopback",
    "127.255.0.1": "loopback",
    "0.0.0.0": "unspecified",
    "0.1.2.3": "unspecified",
    "169.254.169.254": "link_local",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "172.31.255.254": "private",
    "192.168.1.1": "private",
    "100.64.0.1": "shared_address_space",
    "100.127.255.255": "shared_address_space",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "198.18.0.1": "reserved",
    "192.0.2.10": "reserved",
    "::1": "loopback",
    "::": "unspecified",
    "::ffff:127.0.0.1": "ipv4_mapped",
    "::ffff:8.8.8.8": "ipv4_mapped",
    "::127.0.0.1": "ipv4_mapped",
    "fe80::1": "link_local",
    "fc00::1": "unique_local",
    "fd12:3456::1": "unique_local",
    "ff02::1": "multicast",
    "2001:db8::1": "reserved",
    "2002:7f00:1::": "loopback",  # 6to4 wrapping 127.0.0.1
    "2002:a9fe:a9fe::": "link_local",  # 6to4 wrapping 169.254.169.254
}


@pytest.mark.parametrize(("address", "reason"), sorted(REFUSED.items()))
def test_internal_addresses_are_refused(address: str, reason: str) -> None:
    assert address_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "2606:4700::1111"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_reason(ipaddress.ip_address(address)) is None


def test_loopback_only_with_the_test_switch() -> None:
    assert address_reason(ipaddress.ip_address("127.0.0.1"), allow_loopback=True) is None
    assert address_reason(ipaddress.ip_address("::1"), allow_loopback=True) is None
    assert address_reason(ipaddress.ip_address("10.0.0.1"), allow_loopback=True) == "private"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme_not_allowed"),
        ("gopher://x.example/", "scheme_not_allowed"),
        ("ftp://x.example/", "scheme_not_allowed"),
        ("http://user:pw@x.example/", "credentials_in_url"),
        ("http:///path", "no_host"),
        ("http://x.example:99999/", "malformed_url"),
    ],
)
def test_url_forms_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeUrl) as refused:
        parse_target(url)
    assert refused.value.reason == reason


def test_target_keeps_host_port_path_and_builds_the_host_header() -> None:
    target = parse_target("HTTPS://Img.Example.:8443/a/b.jpg?w=1#frag")
    assert (target.scheme, target.host, target.port, target.path) == ("https", "img.example", 8443, "/a/b.jpg?w=1")
    assert target.host_header == "img.example:8443"
    assert parse_target("http://img.example/").host_header == "img.example"


async def test_plan_pins_the_first_address_when_every_answer_is_public() -> None:
    resolver = StubResolver({"img.example": ["93.184.216.34", "2606:4700::1111"]})
    target, address = await SafeFetcher(resolver).plan("https://img.example/p.jpg")
    assert str(address) == "93.184.216.34" and target.port == 443
    assert resolver.asked == [("img.example", 443)]


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (["169.254.169.254"], "link_local"),
        (["93.184.216.34", "10.0.0.5"], "private"),  # one internal answer poisons the name
        ([], "unresolvable"),
        (["not-an-ip"], "bad_address"),
    ],
)
async def test_plan_refuses_names_resolving_inside(answers: list[str], reason: str) -> None:
    fetcher = SafeFetcher(StubResolver({"evil.example": answers}))
    with pytest.raises(UnsafeUrl) as refused:
        await fetcher.plan("http://evil.example/")
    assert refused.value.reason == reason


async def test_ip_literals_and_numeric_hosts_go_through_the_same_check() -> None:
    fetcher = SafeFetcher(StubResolver({"169.254.169.254": ["169.254.169.254"], "2130706433": ["127.0.0.1"]}))
    for url, reason in [("http://169.254.169.254/latest/meta-data", "link_local"), ("http://2130706433/", "loopback")]:
        with pytest.raises(UnsafeUrl) as refused:
            await fetcher.plan(url)
        assert refused.value.reason == reason
