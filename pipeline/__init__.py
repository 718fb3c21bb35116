"""duban (督办): find the directives in work-safety documents and track their follow-up."""

__version__ = "0.1.0"

import logging as _logging

# jieba announces its dictionary loading at INFO on standard error; a nightly log needs none of it.
_logging.getLogger("jieba").setLevel(_logging.WARNING)
