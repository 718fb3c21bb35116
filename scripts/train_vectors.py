#!/usr/bin/env python3
"""Train the follow-up matcher's word vectors on our own real corpus (gensim word2vec).

usage: scripts/train_vectors.py [--shared ../shared] [--dim 64]

Reads every text of ../shared (the report pairs, the corpus, the seeds) and the
demo corpus, segments them exactly as the matcher does (analysis form, jieba,
paraphrase groups: ``pipeline/track/terms.words``), trains skip-gram vectors
and writes ``models/track_vectors.npz`` (hashed word ids and float16 vectors)
with its card ``models/track_vectors.md``. Unsupervised: no label is read. The
vectors are trained once and kept; nothing is downloaded or trained at run time.
Needs gensim (``pip install -e '.[train]'``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.parse.textnorm import analysis_form  # noqa: E402
from pipeline.track.terms import CLAUSE_SPLIT, word_id, words  # noqa: E402


def texts(shared: Path) -> list[Path]:
    files = sorted(shared.glob("pairs/**/*.txt")) + sorted(shared.glob("pairs/**/*.md"))
    files += sorted(shared.glob("corpus/*.txt")) + sorted(shared.glob("seeds/*.txt"))
    files += sorted((ROOT / "corpus" / "demo").glob("*.txt"))
    return files


def sentences(files: list[Path]) -> list[list[str]]:
    out = []
    for f in files:
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            for part in CLAUSE_SPLIT.split(analysis_form(line)):
                toks = words(part)
                if len(toks) >= 2:
                    out.append(toks)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    from gensim.models import Word2Vec

    files = texts(Path(args.shared))
    sents = sentences(files)
    # Clause-level "sentences" with a window of 8: a clause is one task's words.
    model = Word2Vec(sents, vector_size=args.dim, window=8, min_count=args.min_count, sg=1, epochs=20,
                     workers=1, seed=7)
    vocab = model.wv.index_to_key
    ids = np.array([word_id(w) for w in vocab], dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    ids, first = np.unique(ids[order], return_index=True)   # a hash collision keeps the more frequent word
    keep = order[first]
    vecs = model.wv.vectors[keep].astype(np.float16)
    out = ROOT / "models" / "track_vectors.npz"
    np.savez_compressed(out, ids=ids, vecs=vecs)
    probe = [w for w in ("健全", "隐患", "防汛", "消防站", "治本攻坚", "生命线") if w in model.wv]
    near = {w: [x for x, _ in model.wv.most_similar(w, topn=5)] for w in probe}
    card = ROOT / "models" / "track_vectors.md"
    card.write_text(
        "# track_vectors.npz — word vectors of the follow-up matcher\n\n"
        f"- Trained {dt.date.today().isoformat()} by `scripts/train_vectors.py` (gensim {__import__('gensim').__version__} "
        f"word2vec, skip-gram, {args.dim} dimensions, window 8, min count {args.min_count}, 20 epochs, seed 7, one worker).\n"
        f"- Text: {len(files)} files of ../shared (report pairs, corpus, seeds) and corpus/demo, "
        f"{len(sents)} clauses, {sum(map(len, sents))} words, segmented as the matcher segments "
        "(analysis form, jieba, the paraphrase groups of `track_paraphrase.toml`). No labels are read.\n"
        f"- Kept: {len(ids)} words, stored as their hashed ids (`terms.word_id`) and float16 vectors.\n"
        "- Used by `pipeline/track/vectors.py` for the pair model's `vec` and `head_vec` features.\n"
        "- The labelled pairs' texts are among the training text (unsupervised); the held-out governments' "
        "texts are not, so the held-out figures are the honest ones.\n\n"
        "Nearest words (a sanity check):\n\n"
        + "".join(f"- {w}: {'、'.join(n)}\n" for w, n in near.items()), encoding="utf-8")
    print(f"{len(ids)} words, {out.stat().st_size / 1e6:.1f} MB")
    for w, n in near.items():
        print(w, n)


if __name__ == "__main__":
    main()
