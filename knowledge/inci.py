"""Parse a free-text ingredient list (as printed on a label or a product page) into normalised INCI names."""

from __future__ import annotations

import html
import re
from functools import lru_cache, partial

from knowledge.base import KnowledgeBase, load
from knowledge.names import display, key

_BREAK_TAGS = re.compile(r"<\s*(?:br|/p|/li|/div|/tr|/h\d)\s*/?\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# "Ingredients:", "INCI:", "Full ingredient list:"; the list is what follows the last such heading.
_HEADING = re.compile(
    r"(?:full\s+)?(?:ingredients?(?:\s+list)?|inci(?:\s+list)?|composition)\s*[:\-–]\s*", re.IGNORECASE
)
_MAY_CONTAIN = re.compile(r"\[?\s*(?:\+/-|\+/−|may\s+contain|peut\s+contenir)\s*:?\s*", re.IGNORECASE)
_PERCENT = re.compile(r"\(?\s*\d+(?:[.,]\d+)?\s*%\s*\)?")
_MARKS = re.compile(r"[*†‡®™©°^]+|\[\d+\]")
_PARENS = re.compile(r"\(([^()]*)\)")
_FOOTNOTE = re.compile(r"^\W*(?:certified|organic|from|natural|naturally|ingredients?|\d+\s*%\s+of)\b", re.IGNORECASE)
_PROSE_WORDS = 7


def _plain_text(raw: str) -> str:
    """HTML remnants out: block ends become separators, tags and entities go."""
    if "<" not in raw and "&" not in raw:
        return raw.replace("\xa0", " ")
    text = _SCRIPTS.sub(" ", raw)
    text = _BREAK_TAGS.sub(",", text)
    text = html.unescape(_TAGS.sub(" ", text))
    return text.replace("\xa0", " ")


def _list_part(text: str) -> str:
    """The ingredient list itself: after the last heading, and before a closing footnote sentence."""
    headings = list(_HEADING.finditer(text))
    if headings:
        text = text[headings[-1].end() :]
    return _MAY_CONTAIN.sub(",", text)


_SPECIAL = re.compile(r"[()\[\]{},;•·\n\r|.]")


def _split_top_level(text: str) -> list[str]:
    """Split on commas, semicolons, bullets and newlines outside brackets; a comma between digits (1,2-) stays."""
    parts: list[str] = []
    depth, start = 0, 0
    # Only the special characters are visited: a label is mostly letters, and this runs on every feed row.
    for found in _SPECIAL.finditer(text):
        ch, i = found.group(), found.start()
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0 and _separates(text, ch, i):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _separates(text: str, ch: str, i: int) -> bool:
    if ch == ",":
        return not (0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())
    return ch != "." or _sentence_stop(text, i)


def _sentence_stop(text: str, i: int) -> bool:
    """A full stop that ends the list (followed by space and a capital or the end), not 'Alcohol Denat.'."""
    before = text[max(0, i - 6) : i].casefold()
    rest = text[i + 1 : i + 12].lstrip(" *†‡")
    return not before.endswith("denat") and (not rest or rest[0].isupper())


def _resolve(token: str, kb: KnowledgeBase) -> str | None:
    """One token to an INCI name: known whole, else its known slash-alias or outer name, else cleaned as printed."""
    token = _MARKS.sub("", _PERCENT.sub("", token)).strip(" .:-–\t]}[{")
    if not token or _FOOTNOTE.match(token) or len(token.split()) > _PROSE_WORDS:
        return None
    known = kb.canonical(token)
    if known:
        return known
    outer = _PARENS.sub("", token).strip(" .:-")
    inner = [m.strip() for m in _PARENS.findall(token)]
    for candidate in [outer, *inner, *outer.split("/"), *[p for i in inner for p in re.split(r"[/,]", i)]]:
        found = kb.canonical(candidate.strip()) if candidate.strip() else None
        if found:
            return found
    name = outer or (inner[0] if inner else "")
    return display(name) if name and any(c.isalpha() for c in name) else None


@lru_cache(maxsize=65536)
def _resolve_shipped(token: str) -> str | None:
    """_resolve against the shipped knowledge base; tokens repeat across a catalog, so answers are cached."""
    return _resolve(token, load())


def parse_inci(raw: str, kb: KnowledgeBase | None = None) -> tuple[str, ...]:
    """Normalised INCI names in label order, each once; unknown names kept, cleaned and title-cased."""
    resolve = _resolve_shipped if kb is None else partial(_resolve, kb=kb)
    names: list[str] = []
    seen: set[str] = set()
    for token in _split_top_level(_list_part(_plain_text(raw))):
        name = resolve(token)
        if name and key(name) not in seen:
            seen.add(key(name))
            names.append(name)
    return tuple(names)


def inci_keys(names: tuple[str, ...]) -> frozenset[str]:
    """The comparison keys of parsed names (what allergen and conflict rules match on)."""
    kb = load()
    return frozenset(kb.aliases.get(key(n), key(n)) for n in names)
