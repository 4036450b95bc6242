"""Evaluation metrics on a small example computed by hand, and cross-validation hygiene."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.evaluate import best_threshold, cross_validate, label_candidates, metrics
from matching.features import FEATURES

GOLD = pl.DataFrame(
    {
        "source_id": ["a:1", "a:1", "a:2", "a:3"],
        "target_id": ["b:1", "b:2", "b:3", None],
        "grade": [2, 1, 2, 0],
        "change": [None] * 4,
        "note": [None] * 4,
    }
)
CANDIDATES = pl.DataFrame(
    {
        #            a:1 → b:1 (rank 1, gold 2), b:2 (rank 2, gold 1), b:4 (rank 3)
        #            a:2 → b:5 (rank 1, wrong), b:3 (rank 2, gold 2); a:3 → b:1 (no counterpart)
        #            a:9 is not labelled and must be ignored
        "source_id": ["a:1", "a:1", "a:1", "a:2", "a:2", "a:3", "a:9"],
        "target_id": ["b:1", "b:2", "b:4", "b:5", "b:3", "b:1", "b:1"],
        "score": [0.9, 0.6, 0.1, 0.8, 0.7, 0.55, 0.99],
        "linked": [True, True, False, True, False, True, True],
    }
)


def test_metrics_by_hand():
    m = metrics(CANDIDATES, GOLD)
    # predicted links of labelled sources: (a:1,b:1) (a:1,b:2) (a:2,b:5) (a:3,b:1) → 4
    # grade-2 links: (a:1,b:1) (a:2,b:3) → 1 hit
    assert m.predicted == 4 and m.links == 2
    assert m.precision == pytest.approx(1 / 4)
    assert m.recall == pytest.approx(1 / 2)
    assert m.f1 == pytest.approx(2 * 0.25 * 0.5 / 0.75)
    # grade >= 1 links: also (a:1,b:2) → 2 hits of 3
    assert m.precision_related == pytest.approx(2 / 4)
    assert m.recall_related == pytest.approx(2 / 3)
    # ranks of grade-2 links: b:1 rank 1, b:3 rank 2
    assert m.recall_at_1 == pytest.approx(0.5)
    assert m.recall_at_5 == pytest.approx(1.0)
    assert m.mrr == pytest.approx((1 + 1 / 2) / 2)


def test_gold_link_missing_from_candidates_counts_as_not_found():
    m = metrics(CANDIDATES.filter(pl.col("target_id") != "b:3"), GOLD)
    assert m.recall_at_5 == pytest.approx(0.5)


def test_label_candidates_keeps_labelled_sources_only():
    labelled = label_candidates(CANDIDATES, GOLD)
    assert "a:9" not in labelled["source_id"].to_list()
    assert dict(zip(zip(labelled["source_id"], labelled["target_id"]), labelled["grade"]))[("a:1", "b:2")] == 1


def test_best_threshold_maximises_f1():
    import numpy as np

    assert best_threshold(np.array([0.9, 0.8, 0.3, 0.2]), np.array([1, 1, 0, 0])) == pytest.approx(0.8)


def _f1_at(scores, labels, cut):
    chosen = [label for score, label in zip(scores, labels) if score >= cut]
    hits, positives = sum(chosen), sum(labels)
    return 2 * hits / (len(chosen) + positives) if hits else 0.0


@given(
    st.lists(
        st.tuples(st.sampled_from([0.1, 0.2, 0.35, 0.5, 0.61, 0.8, 0.9, 1.0, float("nan")]), st.booleans()),
        min_size=1,
        max_size=30,
    ).filter(lambda rows: any(label for _, label in rows))
)
def test_best_threshold_is_the_lowest_cut_off_with_the_best_f1(rows):
    """Counted by sorting, the cut-off agrees with trying every score by hand (ties: the lowest); a nan
    score is never picked and never a cut-off."""
    import numpy as np

    scores, labels = [score for score, _ in rows], [int(label) for _, label in rows]
    cut = best_threshold(np.array(scores), np.array(labels))
    f1s = {candidate: _f1_at(scores, labels, candidate) for candidate in set(scores) if candidate == candidate}
    if not f1s:  # every score nan: nothing to cut at
        assert cut == 0.5
        return
    best = max(f1s.values())
    assert f1s[cut] == pytest.approx(best)
    assert cut == min(candidate for candidate, f1 in f1s.items() if f1 == pytest.approx(best))


def test_cross_validation_never_scores_a_source_with_a_model_that_saw_it():
    """Each held-out source item is scored by a model fitted without any of its rows."""
    import numpy as np

    rng = np.random.default_rng(0)
    rows = []
    for s in range(20):
        for t in range(5):
            positive = t == s % 5
            rows.append({"source_id": f"a:{s}", "target_id": f"b:{t}", "grade": 2 if positive else 0,
                         **{f: float(positive) * 0.5 + rng.random() * 0.5 for f in FEATURES}})
    labelled = pl.DataFrame(rows)
    results = cross_validate(labelled, folds=5, baselines={"cos": "char_cosine"})
    assert set(results) == {"model", "cos"}
    assert results["model"].height == labelled.height
    # each fold's scores are those of a model fitted on the other folds' source items alone (a fit
    # on every row, held-out sources included, passed the checks above)
    from matching.evaluate import group_folds
    from matching.scoring import fit_model

    fold_of = group_folds(labelled["source_id"].to_numpy(), 5, 0)
    y = (labelled["grade"].to_numpy() >= 2).astype(int)
    expected = np.zeros(labelled.height)
    for fold in range(5):
        held_out = fold_of == fold
        assert not set(labelled.filter(pl.Series(held_out))["source_id"]) & set(labelled.filter(pl.Series(~held_out))["source_id"])
        model = fit_model(labelled.filter(pl.Series(~held_out)), y[~held_out], c=1.0)
        expected[held_out] = model.score(labelled.filter(pl.Series(held_out)))["score"].to_numpy()
    assert np.allclose(results["model"]["score"].to_numpy(), expected)
    in_sample = fit_model(labelled, y, c=1.0).score(labelled)["score"].to_numpy()
    assert not np.allclose(expected, in_sample), "the example tells a leak from a held-out fit"


def test_repeated_splits_keep_each_source_in_one_fold_and_report_the_spread():
    import numpy as np

    from matching.evaluate import group_folds, metrics_table

    groups = np.array([f"a:{i // 3}" for i in range(60)])
    for seed in range(3):
        folds = group_folds(groups, 5, seed)
        assert all(len(set(folds[groups == g])) == 1 for g in np.unique(groups)), "a source never straddles folds"
        assert sorted(np.bincount(folds)) == [12] * 5
    assert not np.array_equal(group_folds(groups, 5, 0), group_folds(groups, 5, 1)), "repeats draw new splits"

    rng = np.random.default_rng(0)
    rows = [{"source_id": f"a:{s}", "target_id": f"b:{t}", "grade": 2 if t == s % 5 else 0,
             **{f: float(t == s % 5) * 0.3 + rng.random() * 0.7 for f in FEATURES}}
            for s in range(20) for t in range(5)]
    labelled = pl.DataFrame(rows)
    gold = labelled.filter(pl.col("grade") == 2).select("source_id", "target_id", "grade")
    results = cross_validate(labelled, folds=5, repeats=4, baselines={"cos": "char_cosine"})
    assert results["model"].height == 4 * labelled.height
    assert results["model"].group_by("repeat").len()["len"].to_list() == [labelled.height] * 4
    table = metrics_table(results, gold)
    assert (table["f1_sd"] >= 0).all() and (table["links"] == 20).all()


def test_a_gold_file_with_a_blank_line_above_its_header_is_read(tmp_path):
    """The check for stray columns took the blank line for a header of no columns and refused every row."""
    from matching.evaluate import load_gold

    gold = tmp_path / "g.csv"
    gold.write_text("\nsource_id,target_id,grade,change,note\na:1,b:1,2,,\n", encoding="utf-8")
    assert load_gold(gold).select("source_id", "target_id", "grade").rows() == [("a:1", "b:1", 2)]
