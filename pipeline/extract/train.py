"""Training and measuring the directive classifier on our own annotations.

``corpus/annotations/sentences.jsonl`` holds sentences written and labelled
for this project. The model is a logistic regression over TF-IDF character
1–3-grams plus the rule cues; its decision threshold is the middle of those
that give the best F1 under 5-fold cross-validation grouped by genre-and-batch
(no fold sees its own neighbours).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..parse.textnorm import analysis_form
from ..store.dialect import is_postgres
from .classifier import MODEL_PATH, NGRAM_RANGE, DirectiveClassifier, char_ngrams, rule_features
from .rules import rule_score

ANNOTATIONS = Path(__file__).resolve().parents[2] / "corpus" / "annotations" / "sentences.jsonl"
# Sentences of real documents labelled by two annotators (corpus/annotations/README.md). Only their
# `tune` split is trained on: the `test` documents stay held out for scripts/eval_extract_real.py.
REAL_ANNOTATIONS = ANNOTATIONS.with_name("sentences_real.jsonl")
TRAIN_SPLIT = "tune"
CARD_PATH = MODEL_PATH.with_name("directive_clf.md")


def load_annotations(path: Path = ANNOTATIONS) -> list[dict]:
    """The labelled sentences of one file; of the real sentences, only the training split."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if row.get("split", TRAIN_SPLIT) == TRAIN_SPLIT:
                    rows.append(row)
    return rows


def _kind(genre: str) -> str | None:
    return {"page": "other"}.get(genre, genre)


def _features(rows: list[dict]):
    texts, feats = [], []
    for r in rows:
        text = analysis_form(r["text"])
        # Sentences noted as the extractor asked about them (page_examples.py) carry all their headings
        # and the rule score they were asked with; written ones only their nearest heading.
        headings = (r["headings"] if "headings" in r
                    else [analysis_form(r.get("heading") or "")] if r.get("heading") else [])
        kind = _kind(r.get("genre", ""))
        score = r["rule_score"] if "rule_score" in r else rule_score(text, kind, headings)
        texts.append(text)
        feats.append(rule_features(text, kind, headings, score))
    return texts, feats


def _fit(texts, feats, labels, C: float = 4.0, weights=None):
    from scipy.sparse import hstack
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    tfidf = TfidfVectorizer(analyzer=lambda s: char_ngrams(s, *NGRAM_RANGE), sublinear_tf=True, min_df=2)
    dv = DictVectorizer()
    X = hstack([tfidf.fit_transform(texts), dv.fit_transform(feats)]).tocsr()
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    model.fit(X, labels, sample_weight=weights)
    return tfidf, dv, model


def _predict(tfidf, dv, model, texts, feats):
    from scipy.sparse import hstack

    X = hstack([tfidf.transform(texts), dv.transform(feats)]).tocsr()
    return model.predict_proba(X)[:, 1]


def _prf(labels, probs, threshold):
    tp = sum(1 for y, p in zip(labels, probs) if y and p >= threshold)
    fp = sum(1 for y, p in zip(labels, probs) if not y and p >= threshold)
    fn = sum(1 for y, p in zip(labels, probs) if y and p < threshold)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def cross_validate(rows: list[dict], folds: int = 5) -> tuple[list[int], list[float]]:
    """Out-of-fold probabilities, folds grouped by genre and position (neighbours stay together)."""
    from sklearn.model_selection import GroupKFold

    texts, feats = _features(rows)
    labels = [int(r["label"]) for r in rows]
    groups = [f"{r.get('genre')}:{i // 25}" for i, r in enumerate(rows)]
    probs = [0.0] * len(rows)
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(texts, labels, groups):
        tfidf, dv, model = _fit([texts[i] for i in train_idx], [feats[i] for i in train_idx],
                                [labels[i] for i in train_idx])
        for i, p in zip(test_idx, _predict(tfidf, dv, model, [texts[i] for i in test_idx],
                                           [feats[i] for i in test_idx])):
            probs[i] = float(p)
    return labels, probs


PLATEAU = 0.002   # out-of-fold F1s this close to the best are the same: take the middle of their span


def best_threshold(labels: list[int], probs: list[float], plateau: float = PLATEAU) -> float:
    """The decision threshold of the best out-of-fold F1: the median of the thresholds whose F1 is within
    ``plateau`` of the best (the F1 curve is flat over a wide span, and its single highest point moves
    with any change in the data; its middle does not)."""
    grid = [t / 100 for t in range(20, 81, 2)]
    f1 = {t: _prf(labels, probs, t)[2] for t in grid}
    near = [t for t in grid if f1[t] >= max(f1.values()) - plateau]
    return near[len(near) // 2]


def fit_classifier(rows: list[dict], weights: list[float], threshold: float) -> DirectiveClassifier:
    """The classifier fitted on ``rows`` (each weighing its ``weights`` entry), as plain data."""
    texts, feats = _features(rows)
    tfidf, dv, model = _fit(texts, feats, [int(row["label"]) for row in rows], weights=weights)
    n_ngrams = len(tfidf.vocabulary_)
    coef = model.coef_[0]
    return DirectiveClassifier(
        vocabulary={k: int(v) for k, v in tfidf.vocabulary_.items()},
        idf=[float(x) for x in tfidf.idf_],
        ngram_coef=[float(x) for x in coef[:n_ngrams]],
        feature_coef={name: float(coef[n_ngrams + j]) for name, j in dv.vocabulary_.items()},
        intercept=float(model.intercept_[0]),
        threshold=threshold,
    )


def corrections_as_examples(db) -> list[dict]:
    """Staff verdicts in a store as training sentences: confirmed → directive, rejected → not.

    The sentence is read with its document's kind and nearest heading, as the extractor reads it.
    Edited fields (sectors, parties, deadline) are counted for the card; the classifier learns
    only whether a sentence is a task.
    """
    joins = ("FROM corrections_current cc JOIN documents doc ON doc.text_sha256 = cc.doc_sha256 "
             "JOIN directives d ON d.doc_id = doc.id AND d.text_sha256 = cc.text_sha256 WHERE cc.verdict IS NOT NULL")
    if is_postgres(db):
        # One row per key: SQLite's GROUP BY takes bare columns from any row, PostgreSQL needs DISTINCT ON.
        sql = (f"SELECT DISTINCT ON (cc.doc_sha256, cc.text_sha256) cc.verdict, d.text, doc.kind, d.heading_path "
               f"{joins} ORDER BY cc.doc_sha256, cc.text_sha256, d.id")
    else:
        sql = f"SELECT cc.verdict, d.text, doc.kind, d.heading_path {joins} GROUP BY cc.doc_sha256, cc.text_sha256"
    rows = db.execute(sql).fetchall()
    out = []
    for verdict, text, kind, heading_path in rows:
        path = json.loads(heading_path or "[]")
        out.append({"text": text, "label": int(verdict == "confirmed"), "genre": kind or "other",
                    "heading": path[-1] if path else "", "source": "correction"})
    return out


def edited_fields(db) -> dict[str, int]:
    """How many directives staff edited, per field."""
    return {f: db.execute(f"SELECT count(*) FROM corrections_current WHERE {f} IS NOT NULL").fetchone()[0]
            for f in ("sectors", "parties", "deadline")}


def train(path: Path = ANNOTATIONS, out: Path = MODEL_PATH, db=None, extra: list[Path] | None = None,
          card: Path = CARD_PATH, pages: Path | None = None) -> dict:
    """See below; ``extra`` defaults to the real sentences when they are there (``None``), ``[]`` trains
    on ``path`` alone."""
    if extra is None:
        extra = [REAL_ANNOTATIONS] if REAL_ANNOTATIONS.exists() and path == ANNOTATIONS else []
    return _train(path, out, db, extra, card, pages)


def _train(path: Path, out: Path, db, extra: list[Path], card: Path, pages: Path | None = None) -> dict:
    """Fit on all annotations with the cross-validated threshold; write the model and its card.

    ``extra`` are more annotation files (the real sentences); ``pages`` the folder of the annotated
    real pages whose sentences are learned too (``page_examples.py``), each weighing ``page_weight``
    written sentences; ``db`` a store whose staff corrections are learned too, each weighing
    ``correction_weight`` written sentences, and whose rejections give the model a veto over the
    rules (``models/directives.toml`` [threshold]).
    """
    from ..resources import load_toml
    from .page_examples import page_examples

    conf = load_toml("directives.toml")["threshold"]
    from_pages = page_examples(pages) if pages is not None else None
    rows = (load_annotations(path) + [r for p in (extra or []) for r in load_annotations(p)]
            + (from_pages.rows if from_pages else []))
    labels, probs = cross_validate(rows)
    best = best_threshold(labels, probs)
    p, r, f = _prf(labels, probs, best)
    taught = corrections_as_examples(db) if db is not None else []
    everything = rows + taught
    source_weight = {"correction": float(conf.get("correction_weight", 1.0)), "page": float(conf.get("page_weight", 1.0))}
    clf = fit_classifier(everything, [source_weight.get(row.get("source", ""), 1.0) for row in everything], best)
    clf.veto = float(conf["model_veto"]) if any(not t["label"] for t in taught) else None
    clf.taught = len(taught)
    n_ngrams = len(clf.vocabulary)
    out.write_text(json.dumps(clf.to_json(), ensure_ascii=False), encoding="utf-8")
    figures = {"sentences": len(rows), "positives": sum(labels), "cv_precision": round(p, 3),
               "cv_recall": round(r, 3), "cv_f1": round(f, 3), "threshold": best,
               "ngrams": n_ngrams, "trained": dt.date.today().isoformat(),
               "files": [str(x.relative_to(ANNOTATIONS.parents[2])) if x.is_relative_to(ANNOTATIONS.parents[2]) else str(x)
                         for x in [path] + list(extra or [])],
               "corrections": {"confirmed": sum(t["label"] for t in taught),
                               "rejected": sum(1 - t["label"] for t in taught),
                               "edited": edited_fields(db) if db is not None else {}},
               "veto": clf.veto,
               "pages": ({"folder": str(pages), "pages": from_pages.pages, "sentences": len(from_pages.rows),
                          "positives": sum(r["label"] for r in from_pages.rows), "missing": from_pages.missing}
                         if from_pages else None)}
    _write_card(figures, rows, card)
    from .classifier import _load

    _load.cache_clear()
    return figures


def _write_card(figures: dict, rows: list[dict], card: Path = CARD_PATH) -> None:
    genres: dict[str, int] = {}
    for r in rows:
        genres[r.get("genre", "?")] = genres.get(r.get("genre", "?"), 0) + 1
    card.write_text(
        "# Model card: directive classifier (`directive_clf.json`)\n\n"
        "- **What it does**: scores whether one sentence of a work-safety document is a directive "
        "(spec/directives.md §1), among the sentences the rule gate lets through.\n"
        "- **Model**: logistic regression (scikit-learn, C=4, balanced classes) over TF-IDF character "
        "1–3-grams (sublinear tf, min_df=2) plus the rule cues of `models/directives.toml` as features; "
        "stored as plain JSON (vocabulary, idf, coefficients), no pickle.\n"
        f"- **Data**: {', '.join(f'`{x}`' for x in figures['files'])}: {figures['sentences']} labelled "
        f"sentences ({figures['positives']} directives); genres: "
        + ", ".join(f"{g} {n}" for g, n in sorted(genres.items())) + ". No dev gold sentence is in it.\n"
        + _pages_line(figures)
        + _corrections_line(figures)
        + f"- **Trained**: {figures['trained']} by `duban train`.\n"
        f"- **Cross-validated (5 folds, grouped)**: precision {figures['cv_precision']}, recall "
        f"{figures['cv_recall']}, F1 {figures['cv_f1']} at threshold {figures['threshold']} "
        f"(the median of the thresholds whose out-of-fold F1 is within {PLATEAU} of the best).\n"
        "- **How it is used**: it decides the sentences whose rule score falls in "
        "`models/directives.toml` [threshold] `model_band`; outside it the rules decide, unless it has "
        "learned staff rejections (then it also vetoes below `model_veto`). Measured on real "
        "documents, the model of invented and real sentences deciding every gated sentence did best, "
        "and learning the annotated pages' sentences too did better on the held-out pages "
        "(figures in `docs/measurements.md` and `models/directives.toml`).\n"
        "- **Limits**: most sentences are written for the project; the real ones come from notices, plans "
        "and work reports (the `tune` split of `corpus/annotations/extract_real.jsonl`; its `test` documents "
        "are never trained on)"
        + (" and from the `tune` pages of the annotated page sets named above (their `test` pages are never "
           "trained on)" if figures.get("pages") else ", not from web pages (train with `--pages`)")
        + ". Genres absent from the data (tables, minutes) are untested. The figures of the whole extractor "
        "are in the README.\n",
        encoding="utf-8",
    )


def _pages_line(figures: dict) -> str:
    from .page_examples import PAGE_GOLD

    pages = figures.get("pages")
    if not pages:
        return ""
    missing = f"; {len(pages['missing'])} tune pages were not in the folder" if pages["missing"] else ""
    return (f"- **Real pages**: {pages['sentences']} of the sentences above ({pages['positives']} directives) are "
            f"every sentence the classifier is asked about on {pages['pages']} annotated `tune` pages of "
            f"`corpus/annotations/extract_{{{','.join(p.stem.removeprefix('extract_') for p in PAGE_GOLD)}}}.jsonl`, "
            "read from a folder outside the "
            f"repository (`duban train --pages DIR`; their texts are not ours to keep){missing}. Each weighs "
            "`page_weight` written sentences. Retrained without `--pages`, the model loses them.\n")


def _corrections_line(figures: dict) -> str:
    c = figures["corrections"]
    if not (c["confirmed"] or c["rejected"] or any(c["edited"].values())):
        return "- **Staff corrections**: none (trained without a store).\n"
    edited = ", ".join(f"{k} {v}" for k, v in c["edited"].items() if v) or "none"
    veto = (f"; having learned rejections, the model overrules the rules below probability {figures['veto']}"
            if figures["veto"] is not None else "")
    return (f"- **Staff corrections** learned from the store: {c['confirmed']} confirmed and {c['rejected']} "
            f"rejected sentences (each weighing as much as several written ones){veto}. Edited fields "
            f"({edited}) are kept as corrections; the model does not learn fields.\n")
