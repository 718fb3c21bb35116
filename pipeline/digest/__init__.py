"""The weekly digest (督办周报): what the store learned about safety directives since a moment.

New safety directives, items that became overdue, new follow-up evidence
(done / in progress) and staff corrections, each grouped per responsible unit
and per sector, each item linked to its page on ``duban serve``.

- ``model``        the digest as data, and ``digest_counts`` for the nightly summary
- ``build``        ``build_digest`` from the store (which table says "when" for each section)
- ``text``         the sentences all renderers share
- ``render_md``    ``render_markdown``
- ``render_html``  ``render_html`` (everything escaped)
- ``render_docx``  ``write_docx`` (the notices' official layout)
"""

from .build import build_digest
from .model import COUNT_LABELS, DEFAULT_BASE_URL, Digest, DigestItem, Section, digest_counts
from .render_docx import write_docx
from .render_html import render_html
from .render_md import render_markdown

__all__ = ["COUNT_LABELS", "DEFAULT_BASE_URL", "Digest", "DigestItem", "Section", "build_digest", "digest_counts",
           "render_html", "render_markdown", "write_docx"]
