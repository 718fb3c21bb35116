"""What a worker loads once, before its first task: jieba's dictionary, the extraction rules and
model, the tracking lexicons, gazetteer, scorer and word vectors.

The stages keep all of these in module-level caches (``lru_cache``), which live as long as
the worker process: a worker loads them once, not per task. Loading them here, when the
worker joins (``dask_backend.WarmUp``), keeps that cost out of the first task's time and
out of the measured per-task cost, and a worker that is restarted after a crash warms up
again the same way.
"""

from __future__ import annotations

import time

SAMPLE = ("某某区安全生产委员会关于开展燃气安全专项整治的通知\n2025年3月1日\n"
          "一、各街道要在6月底前完成餐饮场所燃气报警器安装。\n二、老旧燃气管网改造已全部完成。\n")


def warm_up() -> float:
    """Load every model a task may need; the seconds it took."""
    t0 = time.perf_counter()
    from ..extract.extractor import extract_directives
    from ..parse.document import parse_text
    from ..parse.textnorm import analysis_form
    from ..places import locate
    from ..track.scoring import default_scorer
    from ..track.terms import sentence_terms, weak_ids
    from ..track.vectors import word_vectors

    doc = parse_text(SAMPLE, "txt", "warm-up", "0" * 64)
    extract_directives(doc)
    sentence_terms(analysis_form(doc.body))
    weak_ids()
    locate("山东省")
    default_scorer().score
    word_vectors()
    return time.perf_counter() - t0
