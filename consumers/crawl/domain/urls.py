"""URL identity: the canonical form used to dedupe results, and the site a URL belongs to."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Parameters that track the visit and never change the page shown.
TRACKING_PARAMS = frozenset(
    {"ref", "ref_src", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "srsltid", "_ga"}
)


def _is_tracking(name: str) -> bool:
    return name.lower().startswith("utm_") or name.lower() in TRACKING_PARAMS


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, no "www.", default port, fragment or tracking parameters; sorted query."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def canonical_url(page_url: str, declared: str | None) -> str:
    """The page's canonical URL: its declared rel=canonical (resolved against the page) if http(s), else itself."""
    if declared:
        resolved = urljoin(page_url, declared.strip())
        if urlsplit(resolved).scheme in ("http", "https"):
            return normalise_url(resolved)
    return normalise_url(page_url)


def site_of(url: str) -> str:
    """The host a URL belongs to, without "www."."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def domain_matches(host: str, domains: frozenset[str]) -> bool:
    """Whether host is one of domains or a subdomain of one."""
    return any(host == domain or host.endswith("." + domain) for domain in domains)
