"""Text the edge refuses or cleans, and the hosts it answers."""

from __future__ import annotations

from api_edge.hosts import allowed_hosts
from api_edge.text_rules import bad_paths, bad_text, printable


def test_nul_and_lone_surrogates_are_found_anywhere() -> None:
    assert bad_text("a\x00b") and bad_text("\ud800") and bad_text("x\udfff")
    assert not bad_text("émoji 😀 and tabs\t")
    doc = {"ok": ["fine", "\x00"], "nested": {"k\ud800": 1, "v": [{"deep": "\udc00"}]}}
    assert sorted(bad_paths(doc)) == ["nested.k\ud800", "nested.v.0.deep", "ok.1"]
    assert list(bad_paths({"a": 1, "b": None, "c": ["x"]})) == []


def test_header_values_are_cleaned_for_storage() -> None:
    assert printable("Mozilla/5.0\x00\x1b[31m", 100) == "Mozilla/5.0[31m"
    assert printable("x" * 600, 512) == "x" * 512
    assert printable("\x00\x01", 10) is None and printable(None, 10) is None


def test_allowed_hosts() -> None:
    hosts = allowed_hosts("https://Shine.Example:8443", "0.0.0.0", ("api.internal", "*.shine.example"))
    assert hosts == ["shine.example", "127.0.0.1", "localhost", "api.internal", "*.shine.example"]
    assert allowed_hosts("http://127.0.0.1:8000", "127.0.0.1", ()) == ["127.0.0.1", "localhost"]
