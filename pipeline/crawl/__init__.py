"""The crawl stage: configured government sites into ``pages``, politely and incrementally.

One job per module:

- ``config``   the sites file (TOML) → checked settings and site rules
- ``urls``     one spelling per URL, one key per host
- ``fetcher``  GET with a per-host delay, retries with backoff, redirects kept on the site (httpx)
- ``robots``   robots.txt per host, fetched conditionally, obeyed everywhere (protego)
- ``links``    links of a page and what the site's rules make of them (list / article / attachment)
- ``pager``    an article's continuation pages (art_1_2_1.html …, createPageHTML), from its bytes
- ``frontier`` the queue, in the store, so a killed run is finished by the next
- ``pages``    what each URL gave: raw bytes, validators, the last error
- ``crawler``  the workers (one per site, under a global cap), and why httpx + protego rather than Scrapy
- ``guard``    the one lock through which the workers share the store (one writer, one transaction a page)
- ``ingest``   stored pages into documents (idempotent, from the kept bytes; a split article as one)
- ``demo_site`` the demo corpus as a small local website (``duban demo``, the benchmark)
"""
