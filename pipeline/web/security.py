"""What keeps an untrusted document and a stray form from doing harm on the staff page.

Documents come from the web, so the page treats their text as hostile:
Jinja autoescaping is on for every template, highlights are built from
escaped text (``search.highlight.to_html``), a strict Content-Security-Policy
forbids scripts altogether, and links leave the site only for http(s)
addresses. Every POST must come from a page of this site (its ``Origin``,
or its ``Referer`` when a browser sends no Origin, names the host being
served) and carry the session's CSRF token. Numbers in addresses are checked
before they reach SQLite, whose integers stop at 2**63 - 1.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import abort, request, session
from werkzeug.routing import BaseConverter, ValidationError

MAX_ID = 2 ** 63 - 1        # SQLite's largest INTEGER; a larger number would raise OverflowError (a 500)

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


def csrf_token() -> str:
    """The session's token, made on first use."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Refuse a POST whose token is missing or not this session's (400, explained on the page)."""
    if request.method != "POST":
        return
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not sent or not hmac.compare_digest(sent, expected):
        abort(400, description="表单已失效（安全校验未通过），请刷新页面后重试。")


def _host_of(url: str) -> str | None:
    """``host[:port]`` of an http(s) address, lower case, the scheme's default port left out; None if not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:            # a port that is not a number, a broken IPv6 literal
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if parts.scheme.lower() == "https" else 80
    return host if port in (None, default) else f"{host}:{port}"


def check_origin() -> None:
    """Refuse (403) a POST sent from a page of another site.

    The CSRF token already stops a forged form; this is the second lock, and
    the one that still holds if a token ever leaks. Browsers send ``Origin``
    with every POST (``Referer`` in older ones; our Referrer-Policy keeps it
    for same-site requests). "null" (a sandboxed frame, a file on disk) is
    refused. A request with neither header - a privacy tool strips both -
    is left to the token, as Django does over plain HTTP. The scheme is not
    compared, so a TLS-terminating proxy in front of ``duban serve`` works.
    """
    if request.method != "POST":
        return
    origin = request.headers.get("Origin")
    sent = origin if origin is not None else request.headers.get("Referer")
    if sent is None:
        return
    served = _host_of(request.host_url)
    if served is None or _host_of(sent) != served:
        abort(403, description="已拒绝：这个表单不是从本站页面提交的（请求来源与本站地址不符）。"
                               "请打开本站页面后重新提交。")


class IdConverter(BaseConverter):
    """``<id:name>``: a row id in an address, 0 to 2**63 - 1 in ASCII digits; anything else is a 404.

    Werkzeug's ``int`` takes any number of digits (and non-ASCII ones), which
    SQLite then refuses with an OverflowError: a 500 for a typo.
    """

    regex = r"[0-9]{1,19}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site (an open redirect)."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout"):
        return "/"
    return target


def add_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def safe_url(url: str | None) -> str | None:
    """An address a link may point to: http(s) only (never javascript: or data:)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None
