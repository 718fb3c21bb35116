"""Tables of the crawl stage (filled in by the crawl work)."""


def migrate(db) -> None:
    """Schema step 3: nothing yet."""
