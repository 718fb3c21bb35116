"""The people who may change data on the staff page: names and password hashes in the store.

A correction is evidence in a 督办 file, so the page must know who made it
rather than take a name typed into a box. Users live in the store (table
``users``, schema step 11, ``schema.migrate_users``) so that the page, the
``duban users`` commands and a backup of the database all agree. Passwords
are kept only as werkzeug's salted scrypt hashes (Flask ships werkzeug, so no
hand-rolled hashing and no extra dependency). A signed-in session carries the
user's id and a fingerprint of the hash: removing the user or changing the
password ends every session that was signed in with the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
import unicodedata
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

NAME_MAX = 50
PASSWORD_MIN = 8
PASSWORD_MAX = 1024        # scrypt over a megabyte pasted into the form would be a cheap way to tie up a thread


class UserError(ValueError):
    """A user that cannot be added, removed or signed in (message in Chinese, shown to the person)."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    created_at: str
    last_login_at: str | None
    fingerprint: str


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def fingerprint(password_hash: str) -> str:
    """What a session keeps of the password hash: enough to notice it changed, nothing to attack."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


def clean_name(name: str) -> str:
    """The name as stored: NFC, trimmed, 1–50 characters, no control characters."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise UserError("用户名不能为空")
    if len(name) > NAME_MAX:
        raise UserError(f"用户名最长 {NAME_MAX} 个字")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise UserError("用户名不能包含控制字符")
    return name


def check_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise UserError(f"密码至少 {PASSWORD_MIN} 个字符")
    if len(password) > PASSWORD_MAX:
        raise UserError(f"密码最长 {PASSWORD_MAX} 个字符")
    return password


def _row_to_user(row) -> User:
    return User(id=row[0], name=row[1], created_at=row[3], last_login_at=row[4], fingerprint=fingerprint(row[2]))


_COLUMNS = "id, name, password_hash, created_at, last_login_at"


def add_user(db, name: str, password: str) -> User:
    """Store a new user with the hash of ``password``; a name already taken (ignoring case) is refused."""
    name = clean_name(name)
    password_hash = generate_password_hash(check_password(password))
    if find(db, name) is not None:
        raise UserError(f"用户“{name}”已存在")
    with db.conn:
        cur = db.conn.execute("INSERT INTO users (name, password_hash, created_at) VALUES (?,?,?)",
                              [name, password_hash, _now()])
    return get(db, cur.lastrowid)


def remove_user(db, name: str) -> bool:
    """Delete the user; their corrections stay, recorded under their name. False when there was none."""
    with db.conn:
        cur = db.conn.execute("DELETE FROM users WHERE name = ?", [clean_name(name)])
    return cur.rowcount > 0


def list_users(db) -> list[User]:
    return [_row_to_user(r) for r in db.execute(f"SELECT {_COLUMNS} FROM users ORDER BY name").fetchall()]


def count_users(db) -> int:
    return db.execute("SELECT count(*) FROM users").fetchone()[0]


def find(db, name: str) -> User | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchone()
    return _row_to_user(row) if row else None


def get(db, user_id: int) -> User | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?", [user_id]).fetchone()
    return _row_to_user(row) if row else None


_DUMMY: list[str] = []


def authenticate(db, name: str, password: str) -> User | None:
    """The user when ``password`` is theirs, else None.

    An unknown name is checked against a dummy hash, so the answer takes as
    long as for a wrong password and does not tell which names exist.
    """
    name = unicodedata.normalize("NFC", name or "").strip()
    row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchone() \
        if 0 < len(name) <= NAME_MAX else None
    if len(password) > PASSWORD_MAX:
        return None
    if row is None:
        if not _DUMMY:
            _DUMMY.append(generate_password_hash("duban-dummy-password"))
        check_password_hash(_DUMMY[0], password)
        return None
    if not check_password_hash(row[2], password):
        return None
    with db.conn:
        db.conn.execute("UPDATE users SET last_login_at = ? WHERE id = ?", [_now(), row[0]])
    return get(db, row[0])


class Throttle:
    """Failed sign-ins per client address: after ``limit`` within ``window`` seconds, refuse for a while.

    Kept in memory: ``duban serve`` is one process, and a restart forgetting
    the count is acceptable for a staff page on a local network.
    """

    def __init__(self, limit: int = 10, window: float = 600.0, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str) -> list[float]:
        now = self.clock()
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def wait(self, key: str) -> int:
        """Seconds until ``key`` may try again (0: now)."""
        with self._lock:
            recent = self._recent(key)
            if len(recent) < self.limit:
                return 0
            return max(1, int(self.window - (self.clock() - recent[-self.limit])) + 1)

    def fail(self, key: str) -> None:
        with self._lock:
            self._failures.setdefault(key, []).append(self.clock())
            if len(self._failures) > 10000:           # many addresses: forget the ones gone quiet
                for k in list(self._failures):
                    self._recent(k)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
