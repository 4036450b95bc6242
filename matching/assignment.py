"""Optional one-to-one assignment between two years of one jurisdiction.

Year-to-year task lists are mostly one-to-one; the Hungarian algorithm picks the set of
pairs with the largest total score so that each item is used at most once, and a
threshold drops the weak pairs it would otherwise force.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.optimize import linear_sum_assignment


def one_to_one(scored: pl.DataFrame, *, threshold: float) -> pl.DataFrame:
    """Add a boolean ``assigned``: the best one-to-one pairing among the candidates."""
    if scored.height == 0:
        return scored.with_columns(pl.lit(False).alias("assigned"))
    sources = scored["source_id"].unique(maintain_order=True).to_list()
    targets = scored["target_id"].unique(maintain_order=True).to_list()
    s_pos = {s: i for i, s in enumerate(sources)}
    t_pos = {t: i for i, t in enumerate(targets)}
    cost = np.zeros((len(sources), len(targets)))
    rows = np.array([s_pos[s] for s in scored["source_id"].to_list()])
    cols = np.array([t_pos[t] for t in scored["target_id"].to_list()])
    cost[rows, cols] = -scored["score"].to_numpy()
    chosen_rows, chosen_cols = linear_sum_assignment(cost)
    chosen = {
        (sources[r], targets[c]) for r, c in zip(chosen_rows, chosen_cols) if -cost[r, c] >= threshold
    }
    assigned = [(s, t) in chosen for s, t in zip(scored["source_id"].to_list(), scored["target_id"].to_list())]
    return scored.with_columns(pl.Series("assigned", assigned, dtype=pl.Boolean))
