"""duban (督办): find the directives in work-safety documents and track their follow-up."""

__version__ = "0.1.0"
