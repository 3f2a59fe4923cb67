"""What text the edge accepts: no NUL, no lone surrogates (Postgres and UTF-8 cannot hold them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def bad_text(value: str) -> bool:
    """Whether a string holds a character the edge never stores (NUL or a lone surrogate)."""
    return _FORBIDDEN.search(value) is not None


def bad_paths(value: Any, path: str = "") -> Iterator[str]:
    """The dotted paths of every bad string (keys included) in decoded JSON."""
    if isinstance(value, str):
        if bad_text(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and bad_text(key):
                yield where
            yield from bad_paths(item, where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from bad_paths(item, f"{path}.{i}" if path else str(i))


def printable(value: str | None, limit: int) -> str | None:
    """A header-derived value fit to store: control characters and surrogates dropped, cut to `limit`."""
    if value is None:
        return None
    cleaned = _UNPRINTABLE.sub("", value)[:limit]
    return cleaned or None
