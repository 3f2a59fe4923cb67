"""The one comparison form for ingredient names, shared by the parser, the knowledge base and the feeds."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_AROUND_HYPHEN = re.compile(r"\s*-\s*")
# Upper-case abbreviations that title-casing must leave alone (INCI prints them in capitals).
_ACRONYMS = frozenset(
    {
        "PEG",
        "PPG",
        "EDTA",
        "PCA",
        "CI",
        "DMDM",
        "HCL",
        "MEA",
        "DEA",
        "TEA",
        "BHT",
        "MIT",
        "AHA",
        "BHA",
        "NP",
        "AP",
        "EOP",
        "NS",
        "II",
        "III",
        "SD",
        "UV",
        "GHK",
        "DNA",
        "PVP",
        "SLS",
        "SLES",
    }
)


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """The comparison form of an ingredient name: unescaped, NFKC, case-folded, one spacing, no edge punctuation."""
    text = unicodedata.normalize("NFKC", html.unescape(name))
    text = _DASHES.sub("-", text).replace("’", "'")
    text = _AROUND_HYPHEN.sub("-", text)
    text = _SPACES.sub(" ", text.casefold()).strip(" .,;:*†‡")
    return text


def display(name: str) -> str:
    """A readable INCI spelling for a name the knowledge base does not know (title case, acronyms kept)."""
    words = []
    for word in _SPACES.sub(" ", name).strip().split(" "):
        parts = []
        for part in word.split("-"):
            upper = part.upper()
            if upper in _ACRONYMS or (any(c.isdigit() for c in part) and part.isupper()):
                parts.append(upper)
            else:
                parts.append(part[:1].upper() + part[1:].lower())
        words.append("-".join(parts))
    return " ".join(words)
