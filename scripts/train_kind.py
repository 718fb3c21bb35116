#!/usr/bin/env python3
"""Train the document-kind model (``models/kind_clf.json``) on the annotated pages, and say how well it does.

usage: scripts/train_kind.py --pages DIR [--out models/kind_clf.json] [--folds 5] [--no-write]

The ``tune`` pages of every page set (``corpus/annotations/extract_*.jsonl``) whose text is in DIR
(``<id>.txt``; the texts are not ours to keep) are parsed as ``duban extract`` parses them, and their
adjudicated kind is the label. The ``test`` pages are never read. Before fitting, the pages are split
into folds by a hash of their host and each fold is predicted by a model fitted on the others: the
script prints the rules' accuracy, the model's, and the rules with the model asked only where they
give ``other`` (what the parser does). Then the model is fitted on every page and written, with its
card (``kind_clf.md``) beside it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import zlib
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.parse.kind_model import HEAD_CHARS, NGRAM_RANGE, KindModel, kind_text  # noqa: E402
from pipeline.parse.metadata import rule_kind  # noqa: E402
from pipeline.parse.textnorm import analysis_form  # noqa: E402

ANNOTATIONS = ROOT / "corpus" / "annotations"
MAX_FEATURES = 5000     # the 5,000 commonest n-grams; 20,000 placed the same pages in cross-validation
C = 4.0                 # as the directive classifier


def labelled_pages(pages: Path) -> list[dict]:
    """Every annotated tune page whose text is in ``pages``: its host, gold kind, the rules' kind and the
    text the model reads, as the parser hands them over (analysis form)."""
    from pipeline.track.follow import load

    rows, seen = [], set()
    for path in sorted(ANNOTATIONS.glob("extract_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            gold = json.loads(line)
            kind = (gold.get("meta") or {}).get("kind")
            if "page" not in gold or gold.get("split") != "tune" or not kind or gold["page"] in seen:
                continue
            text = pages / f"{gold['page']}.txt"
            if not text.exists():
                continue
            seen.add(gold["page"])
            doc = load(text).doc
            title = doc.meta.get("title")
            paragraphs = [analysis_form(p) for p in doc.body.split("\n")]
            rows.append({"page": gold["page"], "host": urlparse(gold.get("url") or "").netloc or gold["page"],
                         "gold": kind, "rules": rule_kind(title, paragraphs), "text": kind_text(title, paragraphs)})
    return rows


def fit(texts: list[str], kinds: list[str]) -> KindModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char", ngram_range=NGRAM_RANGE, sublinear_tf=True, min_df=2, lowercase=False,
                          max_features=MAX_FEATURES)
    x = vec.fit_transform(texts)
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, kinds)
    return KindModel(vocabulary={g: int(j) for g, j in vec.vocabulary_.items()},
                     idf=[round(float(v), 6) for v in vec.idf_], classes=[str(c) for c in clf.classes_],
                     coef=[[round(float(v), 6) for v in row] for row in clf.coef_],
                     intercept=[round(float(v), 6) for v in clf.intercept_], head_chars=HEAD_CHARS)


def cross_validate(rows: list[dict], folds: int) -> dict[str, float]:
    fold_of = [zlib.crc32(r["host"].encode()) % folds for r in rows]
    model_kind: list[str | None] = [None] * len(rows)
    for k in range(folds):
        train = [r for r, f in zip(rows, fold_of) if f != k]
        model = fit([r["text"] for r in train], [r["gold"] for r in train])
        for i, (r, f) in enumerate(zip(rows, fold_of)):
            if f == k:
                scores = model.scores(r["text"])
                model_kind[i] = max(scores, key=scores.__getitem__)
    n = len(rows)
    fallback = [m if r["rules"] == "other" else r["rules"] for r, m in zip(rows, model_kind)]
    others = [i for i, r in enumerate(rows) if r["rules"] == "other"]
    return {"pages": n, "rules": sum(r["rules"] == r["gold"] for r in rows) / n,
            "model": sum(m == r["gold"] for r, m in zip(rows, model_kind)) / n,
            "rules_then_model": sum(k == r["gold"] for r, k in zip(rows, fallback)) / n,
            "rules_other": len(others), "model_right_there": sum(model_kind[i] == rows[i]["gold"] for i in others)}


def never_said(kinds: Counter) -> str:
    """What the card says of the kinds no training page has (the model cannot give them) or has a few times."""
    absent = [k for k in ("other", "interview") if not kinds.get(k)]
    rare = [k for k in ("other", "interview") if 0 < kinds.get(k, 0) < 10]
    parts = []
    if absent:
        parts.append(f"No training page has the kind {' or '.join(f'`{k}`' for k in absent)}, so the model never says "
                     f"{'it' if len(absent) == 1 else 'them'}.")
    if rare:
        parts.append(f"{' and '.join(f'`{k}`' for k in rare)}: too few pages to learn from; the model seldom says "
                     f"{'it' if len(rare) == 1 else 'them'}.")
    return " ".join(parts)


def card(rows: list[dict], cv: dict[str, float], folds: int) -> str:
    kinds = Counter(r["gold"] for r in rows)
    return f"""# Model card: document kind (`kind_clf.json`)

- **What it does**: reads the kind of a document (spec/directives.md §4: speech, notice, plan, report, news)
  from its title and the first {HEAD_CHARS} characters of its body, for the pages the kind rules of
  `models/metadata.toml` cannot place (they would say `other`). `pipeline/parse/kind_model.py` asks it only there.
- **Model**: logistic regression (scikit-learn, C={C:g}, balanced classes) over TF-IDF character
  {NGRAM_RANGE[0]}–{NGRAM_RANGE[1]}-grams (sublinear tf, min_df=2, the {MAX_FEATURES:,} commonest), kept as plain JSON.
- **Data**: the adjudicated kind of {len(rows)} annotated `tune` pages of every page set
  (`corpus/annotations/extract_*.jsonl`), read from a folder outside the repository
  ({", ".join(f"{k} {v}" for k, v in kinds.most_common())}). No `test` page and no dev document is in it.
  {never_said(kinds)}
- **Cross-validated** ({folds} folds grouped by host): the rules place {cv['rules']:.3f} of the pages right, the
  model alone {cv['model']:.3f}, the rules with the model where they say `other` {cv['rules_then_model']:.3f}
  (the rules said `other` on {cv['rules_other']} pages; the model placed {cv['model_right_there']} of them right).
  The rules were written reading these pages, so their own figure flatters them.
- **Trained**: {dt.date.today().isoformat()} by `python scripts/train_kind.py --pages DIR`.
- **Limits**: pages of six page sets and the fresh draws of local-government safety pages; a genre none
  of them holds (tables, minutes of a company) is read as the nearest of the five kinds.
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=Path, required=True, help="folder holding the annotated pages as <id>.txt")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "kind_clf.json")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="only cross-validate")
    args = ap.parse_args()
    rows = labelled_pages(args.pages)
    if not rows:
        sys.exit(f"{args.pages}: no annotated tune page found there")
    cv = cross_validate(rows, args.folds)
    print(f"{cv['pages']} tune pages; host-grouped {args.folds}-fold: rules {cv['rules']:.3f}, model {cv['model']:.3f}, "
          f"rules then model {cv['rules_then_model']:.3f} (rules say other on {cv['rules_other']}, "
          f"model right on {cv['model_right_there']})")
    if args.no_write:
        return
    model = fit([r["text"] for r in rows], [r["gold"] for r in rows])
    args.out.write_text(json.dumps(model.to_json(), ensure_ascii=False), encoding="utf-8")
    args.out.with_suffix(".md").write_text(card(rows, cv, args.folds), encoding="utf-8")
    print(f"written: {args.out} ({args.out.stat().st_size // 1024} KB) and its card")


if __name__ == "__main__":
    main()
