"""Who is signed in, and the rule that nobody else changes data.

Reading stays open: search, a directive, a document and the sheet need no
account, so a colleague can be sent a link. Every POST except signing in and
out needs a signed-in user, because each one records a decision under a
name. The session (Flask's signed cookie) holds the user's id and a
fingerprint of their password hash; both are checked against the store on
each request that asks, so ``duban users remove`` or a new password ends a
session at once, not when the cookie expires.
"""

from __future__ import annotations

import hmac

from flask import g, redirect, request, session, url_for

from . import users

OPEN_POSTS = ("login", "logout")      # endpoints a signed-out person may POST to


def current_user() -> users.User | None:
    """The signed-in user of this request, or None. Anonymous requests never touch the store."""
    if "user" in g:
        return g.user
    found = None
    uid = session.get("uid")
    if isinstance(uid, int):
        from .app import get_db

        found = users.get(get_db(), uid)
        if found is not None and not hmac.compare_digest(found.fingerprint, str(session.get("auth", ""))):
            found = None
    if found is None and "uid" in session:
        session.pop("uid", None)
        session.pop("auth", None)
    g.user = found
    return found


def sign_in(user: users.User) -> None:
    """A fresh session for ``user``: nothing of the signed-out one (its CSRF token included) is kept."""
    session.clear()
    session["uid"] = user.id
    session["auth"] = user.fingerprint
    g.user = user


def sign_out() -> None:
    session.clear()
    g.user = None


def require_user():
    """Before each request: a POST that changes data, sent signed out, goes to the sign-in page.

    303, so the browser follows with a GET; ``next`` brings the person back
    to the page they were on (every page that posts is also a GET page).
    """
    if request.method != "POST" or request.endpoint is None or request.endpoint in OPEN_POSTS:
        return None
    if current_user() is not None:
        return None
    session["login_message"] = "核实和更正需要先登录；登录后请重新提交。"
    return redirect(url_for("login", next=request.path), code=303)
