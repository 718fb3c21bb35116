"""Tables of the web stage (schema step 11): who may sign in to the staff page and change data.

The corrections those people make live in their own package (``pipeline/corrections``,
schema steps 6 and 8).
"""

from __future__ import annotations


def migrate_users(db) -> None:
    """Schema step 11: the people who may sign in to the staff page and change data.

    A correction names its author, and a name typed into a form proves
    nothing, so the page signs people in against this table. Only the
    werkzeug password hash is kept. Names are unique regardless of case
    (NOCASE folds ASCII letters: Wang and wang are one name).
    ``IF NOT EXISTS``: a store whose version was set back keeps its users.
    """
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_login_at TEXT
        )
        """
    )
