"""Tables of the track stage."""


def migrate(db) -> None:
    """Schema step for track: nothing yet."""
