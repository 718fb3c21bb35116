"""Staff corrections of directives, and their carrying to re-cut sentences and new versions.

A package of its own so that neither the store nor the web page owns it: the
web page records corrections, search and the sheet read them, and the stages
that write directives (ingest, re-extraction) pass :func:`carry.carry_forward`
to the store, which runs it in the same transaction as the write.

- ``schema``  the tables (schema steps 6 and 8)
- ``log``     recording a correction, its history, the labelled data for retraining
- ``carry``   taking a correction over to the sentence that replaces the one it was made on
"""
