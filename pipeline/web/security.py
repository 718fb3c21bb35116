"""What keeps an untrusted document and a stray form from doing harm on the staff page.

Documents come from the web, so the page treats their text as hostile:
Jinja autoescaping is on for every template, highlights are built from
escaped text (``search.highlight.to_html``), a strict Content-Security-Policy
forbids scripts altogether, and links leave the site only for http(s)
addresses. Every POST carries the session's CSRF token.
"""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

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
