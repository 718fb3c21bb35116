"""Tables of the web stage."""


def migrate(db) -> None:
    """Schema step for web: nothing yet."""
