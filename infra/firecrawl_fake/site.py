"""The fixture web the fake serves: pages by URL, a word index over them, and Firecrawl-shaped documents."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.firecrawl_fake.markdown import PageParts, convert, strip_scripts

PAGES_DIR = Path(__file__).parent / "pages"
_WORD = re.compile(r"[a-z0-9]+")
# Title words count more than the description, which counts more than body text: a search engine's usual bias.
_WEIGHTS = {"title": 3.0, "description": 2.0, "body": 1.0}


@dataclass(frozen=True)
class Page:
    """One fixture URL and the HTML served for it (several URLs may share one file)."""

    url: str
    html: str
    parts: PageParts

    @property
    def description(self) -> str:
        return self.parts.meta.get("description", "")


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words of text."""
    return _WORD.findall(text.lower())


def load_pages(directory: Path = PAGES_DIR) -> dict[str, Page]:
    """Every page listed in directory/manifest.json, keyed by URL."""
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    pages: dict[str, Page] = {}
    for entry in manifest["pages"]:
        html = (directory / entry["file"]).read_text(encoding="utf-8")
        pages[entry["url"]] = Page(url=entry["url"], html=html, parts=convert(html))
    return pages


def _page_score(page: Page, include: list[str], exclude: list[str]) -> float:
    fields = {"title": words(page.parts.title), "description": words(page.description)}
    fields["body"] = words(page.parts.markdown)
    everything = set().union(*fields.values())
    if any(term in everything for term in exclude):
        return 0.0
    return sum(_WEIGHTS[name] * sum(1 for term in include if term in set(found)) for name, found in fields.items())


def search(pages: dict[str, Page], query: str, limit: int) -> list[dict[str, Any]]:
    """Web results for query: pages ranked by weighted word matches; `-word` excludes, `site:host` restricts."""
    include: list[str] = []
    exclude: list[str] = []
    sites: list[str] = []
    for token in query.split():
        if token.lower().startswith("site:"):
            sites.append(token[5:].lower())
        elif token.startswith("-"):
            exclude.extend(words(token[1:]))
        else:
            include.extend(words(token))
    ranked: list[tuple[float, str]] = []
    for url, page in pages.items():
        if sites and not any(site in url.lower() for site in sites):
            continue
        score = _page_score(page, include, exclude)
        if score > 0:
            ranked.append((score, url))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [
        {"url": url, "title": pages[url].parts.title, "description": pages[url].description, "position": rank}
        for rank, (_, url) in enumerate(ranked[:limit], start=1)
    ]


def document(page: Page, requested_url: str, formats: list[Any]) -> dict[str, Any]:
    """A Firecrawl v2 scrape document with the requested formats (markdown when none is named)."""
    names = {fmt if isinstance(fmt, str) else str(fmt.get("type", "")) for fmt in formats} or {"markdown"}
    parts = page.parts
    doc: dict[str, Any] = {}
    if "markdown" in names:
        doc["markdown"] = parts.markdown
    if "html" in names:
        doc["html"] = strip_scripts(page.html)
    if "rawHtml" in names:
        doc["rawHtml"] = page.html
    if "links" in names:
        doc["links"] = parts.links
    if "images" in names:
        doc["images"] = parts.images
    if "summary" in names:
        doc["summary"] = page.description or parts.title
    metadata: dict[str, Any] = {
        "title": parts.title,
        "sourceURL": requested_url,
        "url": page.url,
        "statusCode": 200,
        "contentType": "text/html; charset=utf-8",
    }
    if page.description:
        metadata["description"] = page.description
    if parts.language:
        metadata["language"] = parts.language
    if parts.canonical:
        metadata["canonical"] = parts.canonical
    for key, value in parts.meta.items():
        if key.startswith("og:"):
            metadata["og" + key[3:].title().replace(":", "").replace("_", "")] = value
        metadata.setdefault(key, value)
    doc["metadata"] = metadata
    return doc


def missing_document(requested_url: str) -> dict[str, Any]:
    """What Firecrawl returns for a page whose site answered 404."""
    metadata = {"title": "Not Found", "sourceURL": requested_url, "url": requested_url, "statusCode": 404}
    return {"markdown": "# Not Found\n", "metadata": metadata}
