"""The trained directive classifier (filled in by ``duban train``)."""

from __future__ import annotations


def load_classifier():
    """The trained model, or None when none has been trained yet."""
    return None
