"""URLs as the crawler compares them: one spelling per page, one key per host.

Two spellings of one page (``HTTP://Host:80/a#top`` and ``http://host/a``) must
be one frontier row, or the page is fetched twice and the politeness budget is
spent on nothing; and the host rule ("only the hosts of the start URLs") must
compare hosts the same way everywhere.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

__all__ = ["HostKey", "host_key", "join", "normalise_url", "origin", "same_site_host"]

HostKey = tuple[str, int]          # (hostname, port)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, default port dropped, fragment dropped, empty path → '/'."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:                          # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def join(base: str, href: str) -> str | None:
    """``href`` resolved against ``base`` and normalised; None for mailto:, javascript: and the like."""
    href = href.strip()
    if not href or href.lower().startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    if urlsplit(url).scheme.lower() not in _DEFAULT_PORTS:
        return None
    return normalise_url(url)


def host_key(url: str) -> HostKey | None:
    """(hostname, port) with the scheme's default port filled in; None when not http(s)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    return parts.hostname.lower(), port


def same_site_host(a: HostKey, b: HostKey) -> bool:
    """One host: same name and port, or the same name on the default ports (an http→https move)."""
    if a == b:
        return True
    defaults = set(_DEFAULT_PORTS.values())
    return a[0] == b[0] and a[1] in defaults and b[1] in defaults


def origin(url: str) -> str:
    """scheme://netloc of ``url`` (where its robots.txt lives)."""
    parts = urlsplit(normalise_url(url))
    return f"{parts.scheme}://{parts.netloc}"
