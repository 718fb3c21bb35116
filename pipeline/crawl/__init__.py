"""The crawl stage."""
