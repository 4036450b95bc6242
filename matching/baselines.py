"""Single-signal baselines the learned scorer must beat, run on the same data.

Each gives a score for every (source, target) pair of two item tables: rapidfuzz
token-set ratio on words, char n-gram TF-IDF cosine, and BM25 (bm25s) with the target
items as the corpus. Scores are in [0, 1] (BM25 divided by each query's best score).
"""

from __future__ import annotations

import bm25s
import numpy as np
import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.candidates import item_texts
from matching.text import tokenize

BASELINES = ("rapidfuzz", "char_tfidf", "bm25")


def baseline_scores(source_items: pl.DataFrame, target_items: pl.DataFrame, *, words: frozenset[str]) -> pl.DataFrame:
    """All pairs with one column per baseline score (0–1)."""
    source_texts, target_texts = item_texts(source_items), item_texts(target_items)
    source_tokens = [tokenize(t, words) for t in source_texts]
    target_tokens = [tokenize(t, words) for t in target_texts]
    fuzzy = cdist([" ".join(t) for t in source_tokens], [" ".join(t) for t in target_tokens],
                  scorer=fuzz.token_set_ratio, workers=1) / 100.0
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    vectorizer.fit(source_texts + target_texts)
    cosine = (vectorizer.transform(source_texts) @ vectorizer.transform(target_texts).T).toarray()
    retriever = bm25s.BM25()
    retriever.index([t or ["∅"] for t in target_tokens], show_progress=False)
    bm25 = np.vstack([retriever.get_scores(t) if t else np.zeros(len(target_tokens)) for t in source_tokens])
    best = bm25.max(axis=1, keepdims=True)
    bm25 = np.divide(bm25, best, out=np.zeros_like(bm25), where=best > 0)
    n_s, n_t = len(source_texts), len(target_texts)
    return pl.DataFrame(
        {
            "source_id": np.repeat(source_items["item_id"].to_numpy(), n_t),
            "target_id": np.tile(target_items["item_id"].to_numpy(), n_s),
            "rapidfuzz": fuzzy.ravel().astype(np.float64),
            "char_tfidf": cosine.ravel().astype(np.float64),
            "bm25": bm25.ravel().astype(np.float64),
        }
    )
