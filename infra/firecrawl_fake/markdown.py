"""HTML to markdown and page metadata, as Firecrawl derives them from a fetched page (stdlib html.parser only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCK_BREAK = {"p", "div", "section", "article", "header", "footer", "main", "ul", "ol", "table", "tr", "br"}
_SKIPPED = {"script", "style", "noscript", "template", "head"}
_HEADINGS = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "h5": "##### ", "h6": "###### "}


@dataclass
class PageParts:
    """What one pass over a page yields: its markdown, cleaned HTML and metadata."""

    markdown: str = ""
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None
    language: str | None = None
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts = PageParts()
        self._out: list[str] = []
        self._skip = 0
        self._in_title = False
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.parts.language = a["lang"]
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = a.get("property") or a.get("name")
            if key and "content" in a:
                self.parts.meta[key.lower()] = a["content"]
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.parts.canonical = a.get("href") or None
        if tag in _SKIPPED:
            self._skip += 1
            return
        if self._skip:
            return
        if tag in _HEADINGS:
            self._out.append("\n\n" + _HEADINGS[tag])
        elif tag == "li":
            self._out.append("\n- ")
        elif tag in _BLOCK_BREAK:
            self._out.append("\n\n")
        elif tag == "img" and a.get("src"):
            self.parts.images.append(a["src"])
            self._out.append(f"![{a.get('alt', '')}]({a['src']})")
        elif tag == "a" and a.get("href"):
            self._href, self._link_text = a["href"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag == "a" and self._href is not None:
            self.parts.links.append(self._href)
            self._out.append(f"[{''.join(self._link_text).strip()}]({self._href})")
            self._href = None
        elif tag in _HEADINGS or tag in _BLOCK_BREAK:
            self._out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.parts.title += data
        if self._skip:
            return
        text = re.sub(r"\s+", " ", data)
        if self._href is not None:
            self._link_text.append(text)
        else:
            self._out.append(text)

    def result(self) -> PageParts:
        text = "".join(self._out)
        lines = [line.strip() for line in text.split("\n")]
        self.parts.markdown = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
        self.parts.title = self.parts.title.strip()
        return self.parts


def convert(html: str) -> PageParts:
    """Markdown, title, meta tags, canonical link, links and images of an HTML page."""
    parser = _Converter()
    parser.feed(html)
    parser.close()
    return parser.result()


def strip_scripts(html: str) -> str:
    """The page without scripts and styles: Firecrawl's cleaned `html` format."""
    return re.sub(r"<(script|style|noscript)\b.*?</\1\s*>", "", html, flags=re.DOTALL | re.IGNORECASE)
