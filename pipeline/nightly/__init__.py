"""The nightly run over the stages: crawl → ingest → extract → track → index.

- ``orchestrate``  the run: stages in order under the lock, each recorded in ``runs``
- ``lock``         one crawl or nightly run per store at a time (flock beside the store)
"""
