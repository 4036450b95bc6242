"""Candidate search: for each source item, the top-k target items by TF-IDF cosine.

The target side is fitted once into a :class:`TargetIndex` (vectorizers plus the target
matrices). :func:`candidate_search` is then a pure function of one block of source rows
and that index, table in and table out, with no global state: the same function can run
on each partition of a corpus on a distributed engine. Memory is bounded by the block
size: each block's product with the target matrix keeps only its top-k per row.

The retrieval score is one sparse product of blended vectors: char n-gram, word and
context TF-IDF vectors, each L2-normalised and scaled by the square root of its weight,
stacked side by side, so that their dot product is the weighted sum of the three
cosines.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import polars as pl
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.text import NO_SYNONYMS, Synonyms, char_text, clauses, general_idf, tokenize

try:  # optional fast kernel; plain SciPy is the reference and the fallback
    from sparse_dot_topn import sp_matmul_topn
except ImportError:  # pragma: no cover - exercised only without the package
    sp_matmul_topn = None

CANDIDATE_SCHEMA = {
    "source_id": pl.String,
    "target_id": pl.String,
    "rank": pl.Int32,
    "retrieval": pl.Float64,
    "char_cosine": pl.Float64,
    "word_cosine": pl.Float64,
    "context_cosine": pl.Float64,
    "containment": pl.Float64,
    "best_containment": pl.Float64,
}


CLAUSE_PAIRS_PER_BLOCK = 200_000  # clause pairs scored at once by clause_evidence
ROWWISE_PAIRS_PER_BLOCK = 2_048  # pairs whose rows paired_dot copies at once
# The targets a source clause is weighed against (own_clause_cosine): the source's best by
# retrieval, a fixed number whatever top-k the caller keeps.
CLAUSE_RIVALS = 10


@dataclass(frozen=True)
class RetrievalWeights:
    """How much each cosine counts in the retrieval score (they sum to 1)."""

    char: float = 0.45
    word: float = 0.35
    context: float = 0.20

    def __post_init__(self) -> None:
        values = (self.char, self.word, self.context)
        if any(v < 0 for v in values) or not np.isclose(sum(values), 1.0):
            raise ValueError(f"Retrieval weights must be >= 0 and sum to 1. Got {values} instead.")


@dataclass(frozen=True)
class TargetIndex:
    """Fitted vectorizers and the target side's matrices (attributes end in ``_``)."""

    target_ids_: tuple[str, ...]
    char_vectorizer_: TfidfVectorizer
    word_vectorizer_: TfidfVectorizer | None
    target_char_: sp.csr_matrix
    target_word_: sp.csr_matrix | None
    target_context_: sp.csr_matrix | None
    target_blend_: sp.csr_matrix
    target_blend_t_: sp.csr_matrix  # transposed once, for the per-block products
    weights_: RetrievalWeights
    target_presence_: sp.csr_matrix | None = None
    source_context_: bool = False  # the source side has attachments too (a city plan as source)
    # The presence matrix transposed once here rather than once per search block (on 100k
    # targets the per-block transposes took a tenth of the search), as target_blend_t_ is.
    target_presence_t_: sp.csr_matrix | None = None


def item_texts(items: pl.DataFrame) -> list[str]:
    """The text an item is matched on: its normalised task text (title included)."""
    return items["text"].fill_null("").to_list()


def context_texts(items: pl.DataFrame) -> list[str]:
    """An item's context: its attachment (implementation plan) where it has one."""
    if "attachment" not in items.columns:
        return [""] * items.height
    return [
        " ".join(section["text"] or "" for section in sections) if sections else ""
        for sections in items["attachment"].to_list()
    ]


def _word_analyzer(words: frozenset[str], synonyms: Synonyms) -> functools.partial:
    """The word vectorizer's analyzer: a partial of a module function, not a closure, so a fitted
    index pickles (to ship to the workers of a distributed engine)."""
    return functools.partial(tokenize, words=words, synonyms=synonyms)


def fit_index(
    source_items: pl.DataFrame,
    target_items: pl.DataFrame,
    *,
    words: frozenset[str] = frozenset(),
    synonyms: Synonyms = NO_SYNONYMS,
    weights: RetrievalWeights | None = None,
    use_words: bool = True,
    max_df: float = 1.0,
    min_df: int = 1,
) -> TargetIndex:
    """Fit TF-IDF on the union of both sides' texts and encode the targets.

    Both vectorizers read ``synonyms`` as one term (街角游园 as 口袋公园), and so every cosine and
    containment built on them. ``max_df`` below 1 drops the most common n-grams, which speeds up
    search on large corpora at a small cost in recall (measured in benchmarks/).
    """
    weights = weights or (RetrievalWeights() if use_words else RetrievalWeights(char=0.8, word=0.0, context=0.2))
    source_texts, target_texts = item_texts(source_items), item_texts(target_items)
    target_context = context_texts(target_items)
    source_context = [text for text in context_texts(source_items) if text]
    # Fit on the union and keep the target rows of the same pass: each text is analysed once.
    # Both sides' attachments are in the corpus, so swapping the documents fits the same vocabulary.
    with_context = [i for i, text in enumerate(target_context) if text]
    corpus = target_texts + [target_context[i] for i in with_context] + source_texts + source_context
    n_targets = len(target_texts)
    char_vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, max_df=max_df, min_df=min_df,
        dtype=np.float32, preprocessor=functools.partial(char_text, synonyms=synonyms),
    )
    encoded = char_vectorizer.fit_transform(corpus).tocsr()
    target_char = encoded[:n_targets]
    word_vectorizer = None
    target_word = None
    if use_words and weights.word > 0:
        # the vocabulary comes from both sides, the weights from Chinese at large (see general_idf)
        word_vectorizer = TfidfVectorizer(
            analyzer=_word_analyzer(words, synonyms), sublinear_tf=True, min_df=1, dtype=np.float32
        ).fit(corpus)
        word_vectorizer.idf_ = general_idf(word_vectorizer.get_feature_names_out())
        target_word = word_vectorizer.transform(target_texts).tocsr()
    target_ctx = None
    if with_context and weights.context > 0:
        placement = sp.csr_matrix(
            (np.ones(len(with_context), dtype=np.float32), (with_context, np.arange(len(with_context)))),
            shape=(n_targets, len(with_context)),
        )
        target_ctx = (placement @ encoded[n_targets : n_targets + len(with_context)]).tocsr()
    index = TargetIndex(
        target_ids_=tuple(target_items["item_id"].to_list()),
        char_vectorizer_=char_vectorizer,
        word_vectorizer_=word_vectorizer,
        target_char_=target_char,
        target_word_=target_word,
        target_context_=target_ctx,
        target_blend_=sp.csr_matrix((0, 0)),
        target_blend_t_=sp.csr_matrix((0, 0)),
        weights_=weights,
        source_context_=bool(source_context) and weights.context > 0,
    )
    blend = _blend(index, target_char, target_word, target_ctx, side="target")
    presence = target_char if target_ctx is None else target_char + target_ctx
    presence = (presence > 0).astype(np.float32).tocsr()
    return TargetIndex(**{
        **index.__dict__,
        "target_blend_": blend, "target_presence_": presence,
        "target_blend_t_": blend.T.tocsr(), "target_presence_t_": presence.T.tocsr(),
    })


def _weighted_presence(source_char: sp.csr_matrix, index: TargetIndex) -> sp.csr_matrix:
    """Each source row's n-grams, IDF-weighted and summing to 1 (0 rows for empty text)."""
    present = (source_char > 0).astype(np.float32)
    return normalize(present.multiply(index.char_vectorizer_.idf_.astype(np.float32)).tocsr(), norm="l1")


def containment(source_char: sp.csr_matrix, index: TargetIndex, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Share of a source item's n-grams, weighted by IDF, that occur in the target or its attachment.

    Asymmetric on purpose: a short district task is covered by a long city item (and
    its implementation plan) even where their cosine is low. 0–1; 0 for empty text.
    """
    if len(rows) == 0 or index.target_presence_ is None:
        return np.zeros(len(rows))
    return paired_dot(_weighted_presence(source_char, index), index.target_presence_, rows, cols)


def best_containment(source_char: sp.csr_matrix, index: TargetIndex, *, n_threads: int = 1) -> np.ndarray:
    """Per source row, its highest :func:`containment` over every target (one sparse top-1 product).

    Long implementation plans contain many n-grams, so containment alone favours them;
    relative to a source's best-covering target it says "this target covers the task
    about as well as any", which is what separates a link from a long neighbour.
    """
    best = np.zeros(source_char.shape[0])
    if source_char.shape[0] == 0 or index.target_presence_t_ is None:
        return best
    rows, _, values = _top_k(_weighted_presence(source_char, index), index.target_presence_t_, 1, n_threads=n_threads)
    best[rows] = values
    return best


def _text_blocks(index: TargetIndex, char, word) -> list[sp.csr_matrix]:
    """The char and word blocks of a blended vector: L2-normalised, scaled by sqrt(weight)."""
    w = index.weights_
    blocks = [normalize(char) * np.sqrt(w.char)]
    if index.word_vectorizer_ is not None:
        blocks.append(normalize(word) * np.sqrt(w.word))
    return blocks


def _blend(index: TargetIndex, char, word, context, *, side: str) -> sp.csr_matrix:
    """Stack weighted, L2-normalised blocks so one dot product gives the weighted cosine sum.

    A context block compares one side's task text with the other side's attachment (a
    district task with a city item's implementation plan, whichever document is the
    source); with attachments on both sides the context weight is shared by two blocks.
    ``context`` is the side's own attachment vectors (None where it has none).
    """
    w = index.weights_
    blocks = _text_blocks(index, char, word)
    context_blocks = (index.target_context_ is not None) + index.source_context_
    share = np.sqrt(w.context / max(context_blocks, 1))
    if index.target_context_ is not None:  # source text · target attachment
        blocks.append(normalize(context if side == "target" else char) * share)
    if index.source_context_:  # source attachment · target text
        blocks.append(normalize(char if side == "target" else context) * share)
    return sp.hstack(blocks, format="csr", dtype=np.float32)


def _source_context(source_block: pl.DataFrame, index: TargetIndex) -> sp.csr_matrix | None:
    """The source rows' attachments as char vectors, where the index expects them."""
    if not index.source_context_:
        return None
    return index.char_vectorizer_.transform(context_texts(source_block)).tocsr()


def _encode(source_block: pl.DataFrame, index: TargetIndex) -> tuple:
    """Char, word, attachment (or None) and blended vectors of a block of source rows."""
    texts = item_texts(source_block)
    char = index.char_vectorizer_.transform(texts).tocsr()
    word = index.word_vectorizer_.transform(texts).tocsr() if index.word_vectorizer_ is not None else None
    context = _source_context(source_block, index)
    return char, word, context, _blend(index, char, word, context, side="source")


def encode_sources(source_block: pl.DataFrame, index: TargetIndex) -> tuple[sp.csr_matrix, ...]:
    """Char, word and blended vectors of a block of source rows under the fitted index."""
    char, word, _, blend = _encode(source_block, index)
    return char, word, blend


def _pair_columns(char, word, context, index: TargetIndex, rows: np.ndarray, cols: np.ndarray, *, n_threads: int = 1) -> dict:
    """The component cosines and containment of (source row, target column) pairs, by column name.

    One place for what :func:`candidate_search` and :func:`pair_cosines` both report.
    """
    return {
        "char_cosine": rowwise_cosine(char, index.target_char_, rows, cols),
        "word_cosine": rowwise_cosine(word, index.target_word_, rows, cols) if word is not None else np.zeros(len(rows)),
        "context_cosine": context_cosine(char, context, index, rows, cols),
        "containment": containment(char, index, rows, cols),
        "best_containment": best_containment(char, index, n_threads=n_threads)[rows],
    }


def context_cosine(
    char: sp.csr_matrix, source_context: sp.csr_matrix | None, index: TargetIndex, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Each pair's cosine of one side's task text with the other side's attachment (the larger of the two)."""
    found = np.zeros(len(rows))
    if len(rows) == 0:
        return found
    if index.target_context_ is not None:
        found = rowwise_cosine(char, index.target_context_, rows, cols)
    if source_context is not None:
        found = np.maximum(found, rowwise_cosine(source_context, index.target_char_, rows, cols))
    return found


def _top_k(query: sp.csr_matrix, targets_t: sp.csr_matrix, k: int, *, n_threads: int = 1) -> tuple[np.ndarray, ...]:
    """Row, column and value arrays of the k largest entries of each row of ``query @ targets_t``.

    ``targets_t`` is the target matrix already transposed (features × targets).
    """
    k = min(k, targets_t.shape[1])
    if k == 0 or query.shape[0] == 0:
        empty = np.array([], dtype=np.int64)
        return empty, empty, np.array([], dtype=np.float32)
    if sp_matmul_topn is not None:
        product = sp_matmul_topn(query, targets_t, top_n=k, n_threads=n_threads, sort=True)
        product = product.tocoo()
        return product.row.astype(np.int64), product.col.astype(np.int64), product.data
    dense = (query @ targets_t).toarray()
    return top_k_dense(dense, k)


def top_k_dense(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference top-k of a dense score block (rows, cols, values), zeros dropped."""
    k = min(k, scores.shape[1])
    cols = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(scores.shape[0]), k)
    cols = cols.ravel()
    values = scores[rows, cols]
    keep = values > 0
    return rows[keep], cols[keep], values[keep]


def rowwise_cosine(a: sp.csr_matrix, b: sp.csr_matrix, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Cosine of row ``rows_a[i]`` of ``a`` with row ``rows_b[i]`` of ``b``, for every i (vectorised)."""
    return paired_dot(a, b, rows_a, rows_b, unit=True)


def paired_dot(
    a: sp.csr_matrix, b: sp.csr_matrix, rows_a: np.ndarray, rows_b: np.ndarray, *, unit: bool = False
) -> np.ndarray:
    """Dot product of row ``rows_a[i]`` of ``a`` with row ``rows_b[i]`` of ``b`` (each row made unit
    length first with ``unit``), for every i.

    The picked rows are copies, so the pairs go in blocks: 20,000 pairs against a city plan's
    long attachments once copied 340 MB at a time.
    """
    found = np.zeros(len(rows_a), dtype=np.float64)
    for start in range(0, len(rows_a), ROWWISE_PAIRS_PER_BLOCK):
        block = slice(start, start + ROWWISE_PAIRS_PER_BLOCK)
        left, right = a[rows_a[block]], b[rows_b[block]]
        if unit:  # rows picked first: normalising is per row, and the whole target matrix is far larger
            left, right = normalize(left), normalize(right)
        found[block] = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    return found


def candidate_search(
    source_block: pl.DataFrame, index: TargetIndex, *, top_k: int = 10, n_threads: int = 1
) -> pl.DataFrame:
    """Top-k targets for each row of ``source_block`` (table in, table out).

    Returns one row per candidate with ``source_id, target_id, rank`` (1 = best),
    ``retrieval`` (the blended cosine, 0–1), the three component cosines (each 0–1,
    0 for empty text), ``containment`` and the source's ``best_containment`` over all
    targets.
    """
    if source_block.height == 0 or not index.target_ids_:
        return pl.DataFrame(schema=CANDIDATE_SCHEMA)
    char, word, context, blend = _encode(source_block, index)
    rows, cols, values = _top_k(blend, index.target_blend_t_, top_k, n_threads=n_threads)
    source_ids = np.asarray(source_block["item_id"].to_list(), dtype=object)
    target_ids = np.asarray(index.target_ids_, dtype=object)
    frame = pl.DataFrame(
        {
            "source_id": source_ids[rows].tolist() if len(rows) else [],
            "target_id": target_ids[cols].tolist() if len(cols) else [],
            "retrieval": np.asarray(values, dtype=np.float64),
            **_pair_columns(char, word, context, index, rows, cols, n_threads=n_threads),
        },
        schema={k: v for k, v in CANDIDATE_SCHEMA.items() if k != "rank"},
    )
    ranked = frame.sort(["source_id", "retrieval"], descending=[False, True]).with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("source_id").alias("rank")
    )
    return ranked.select(list(CANDIDATE_SCHEMA))


def search_in_blocks(
    source_items: pl.DataFrame, index: TargetIndex, *, top_k: int, block_size: int, n_threads: int = 1
) -> pl.DataFrame:
    """Run :func:`candidate_search` over row blocks of the source table and stack the results."""
    parts = [
        candidate_search(source_items.slice(offset, block_size), index, top_k=top_k, n_threads=n_threads)
        for offset in range(0, source_items.height, block_size)
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=CANDIDATE_SCHEMA)


def _clause_vectors(items: pl.DataFrame, index: TargetIndex) -> tuple[pl.DataFrame, sp.csr_matrix]:
    """One row per clause (``item_id, clause_row``) and the clauses' blended char+word vectors."""
    table = (
        items.select("item_id", pl.col("text").fill_null("").map_elements(clauses, return_dtype=pl.List(pl.String)).alias("clause"))
        .explode("clause")
        .with_row_index("clause_row")
    )
    texts = table["clause"].to_list()
    char = index.char_vectorizer_.transform(texts)
    word = index.word_vectorizer_.transform(texts) if index.word_vectorizer_ is not None else None
    return table.select("item_id", "clause_row"), sp.hstack(_text_blocks(index, char, word), format="csr", dtype=np.float32)


def _clause_matches(
    pairs: pl.DataFrame, source_items: pl.DataFrame, target_items: pl.DataFrame, index: TargetIndex
) -> pl.DataFrame:
    """For each pair and each clause of its source item, the best cosine with a clause of its target.

    One row per (``source_id, target_id, s_row``) with ``match`` (0–1). Uses the index's
    fitted vectorizers (no second fit); every clause pair is one row of a join, scored
    in vectorised blocks (bounded memory on large tables) and reduced by max.
    """
    keys = pairs.select("source_id", "target_id").unique(maintain_order=True)
    source_clauses, source_vectors = _clause_vectors(
        source_items.filter(pl.col("item_id").is_in(keys["source_id"].unique().implode())), index
    )
    target_clauses, target_vectors = _clause_vectors(
        target_items.filter(pl.col("item_id").is_in(keys["target_id"].unique().implode())), index
    )
    pair_clauses = keys.join(
        source_clauses.rename({"item_id": "source_id", "clause_row": "s_row"}), on="source_id"
    ).with_row_index("pair_clause")
    rows = pair_clauses.select("pair_clause", "s_row", "target_id").join(
        target_clauses.rename({"item_id": "target_id", "clause_row": "t_row"}), on="target_id"
    )
    best = np.zeros(pair_clauses.height)
    for offset in range(0, rows.height, CLAUSE_PAIRS_PER_BLOCK):
        block = rows.slice(offset, CLAUSE_PAIRS_PER_BLOCK)
        similarity = rowwise_cosine(
            source_vectors, target_vectors,
            block["s_row"].to_numpy().astype(np.int64), block["t_row"].to_numpy().astype(np.int64),
        )
        np.maximum.at(best, block["pair_clause"].to_numpy().astype(np.int64), similarity)
    return pair_clauses.select("source_id", "target_id", "s_row", pl.Series("match", best, dtype=pl.Float64))


def clause_evidence(
    candidates: pl.DataFrame,
    rivals: pl.DataFrame,
    source_items: pl.DataFrame,
    target_items: pl.DataFrame,
    index: TargetIndex,
) -> pl.DataFrame:
    """``clause_cosine`` and ``own_clause_cosine`` of each candidate (0–1), in its row order.

    ``clause_cosine`` is the best pair of a source clause and a target clause.
    ``own_clause_cosine`` is the best among the source clauses no rival matches better:
    ``rivals`` (``source_id, target_id, retrieval``) are each source's best targets by
    retrieval, and a source clause is evidence for the target it matches best. When
    新增学位1080个 matches 幼儿园建设 and 中小学建设 alike it counts for the one whose whole
    text is closer (retrieval breaks a tie), not for both, while an omnibus task keeps one
    clause per target it serves. Rivals are a fixed number per source, so a candidate's
    value depends neither on how many candidates are kept nor on the direction of search.
    """
    if candidates.height == 0:
        return pl.DataFrame(schema={"clause_cosine": pl.Float64, "own_clause_cosine": pl.Float64})
    scored = pl.concat([candidates.select("source_id", "target_id", "retrieval"),
                        rivals.select("source_id", "target_id", "retrieval")]).unique(["source_id", "target_id"])
    matches = _clause_matches(scored, source_items, target_items, index).join(
        scored, on=["source_id", "target_id"]
    )
    # the two strongest rivals on each source clause (the second stands in when the first is the candidate)
    strongest = (
        matches.join(rivals.select("source_id", "target_id"), on=["source_id", "target_id"])
        .sort(["match", "retrieval"], descending=True)
        .group_by("source_id", "s_row", maintain_order=True)
        .agg(pl.col("target_id").head(2).alias("rival"), pl.col("match").head(2).alias("rival_match"),
             pl.col("retrieval").head(2).alias("rival_retrieval"))
    )
    at = pl.when(pl.col("rival").list.get(0, null_on_oob=True) != pl.col("target_id")).then(0).otherwise(1)
    rival_match = pl.col("rival_match").list.get(at, null_on_oob=True).fill_null(-1.0)
    rival_retrieval = pl.col("rival_retrieval").list.get(at, null_on_oob=True).fill_null(-1.0)
    beaten = (rival_match > pl.col("match")) | ((rival_match == pl.col("match")) & (rival_retrieval > pl.col("retrieval")))
    per_pair = (
        matches.join(candidates.select("source_id", "target_id"), on=["source_id", "target_id"])
        .join(strongest, on=["source_id", "s_row"], how="left")
        .group_by("source_id", "target_id")
        .agg(pl.col("match").max().alias("clause_cosine"),
             pl.when(beaten.fill_null(False)).then(0.0).otherwise(pl.col("match")).max().alias("own_clause_cosine"))
    )
    return candidates.select("source_id", "target_id").join(
        per_pair, on=["source_id", "target_id"], how="left", maintain_order="left"
    ).select(pl.col("clause_cosine", "own_clause_cosine").cast(pl.Float64).fill_null(0.0))


def pair_cosines(pairs: pl.DataFrame, source_items: pl.DataFrame, index: TargetIndex) -> pl.DataFrame:
    """The retrieval cosines of given (source_id, target_id) pairs under ``index``.

    Used when candidates were found the other way round (target → source), so that a
    pair's features do not depend on the direction of search.
    """
    source_pos = {item_id: i for i, item_id in enumerate(source_items["item_id"].to_list())}
    target_pos = {item_id: i for i, item_id in enumerate(index.target_ids_)}
    rows = np.array([source_pos[s] for s in pairs["source_id"].to_list()], dtype=np.int64)
    cols = np.array([target_pos[t] for t in pairs["target_id"].to_list()], dtype=np.int64)
    char, word, context, blend = _encode(source_items, index)
    # the blended dot product, as candidate_search scores it: normalising the blend again read an
    # item without a 附件 (blend length √0.8) 1.25× closer the other way round
    columns = {"retrieval": paired_dot(blend, index.target_blend_, rows, cols),
               **_pair_columns(char, word, context, index, rows, cols)}
    return pairs.with_columns(pl.Series(name, values, dtype=pl.Float64) for name, values in columns.items())
