"""Tables of the search stage."""


def migrate(db) -> None:
    """Schema step for search: nothing yet."""
