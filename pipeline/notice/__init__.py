"""督办通知单: a formal notice per responsible unit of its overdue and unanswered safety directives.

The office sends each unit (a normalised party type of the store) the safety
directives that are past their deadline or have had no follow-up, laid out
as official documents are (GB/T 9704-2012), with staff corrections honoured.

- ``settings``  issuer, wording, fonts, sizes, page (``models/notice.toml``)
- ``items``     which items each unit is sent (the search read path, corrected units)
- ``wording``   how an item's fields read (shared with the weekly digest)
- ``layout``    the page, fonts and page numbers of an official document in python-docx
- ``compose``   one notice as a document
- ``writer``    notices to files: ``write_notice``, ``write_all_notices``
"""

from .items import NO_UNIT, OPEN_STATUSES, effective_units, open_items
from .settings import NoticeSettings, load_settings
from .writer import NoticeResult, resolve_unit, safe_filename, write_all_notices, write_notice

__all__ = ["NO_UNIT", "OPEN_STATUSES", "NoticeResult", "NoticeSettings", "effective_units", "load_settings",
           "open_items", "resolve_unit", "safe_filename", "write_all_notices", "write_notice"]
