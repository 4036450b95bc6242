"""plan-align matching: candidate search, features, scoring, assignment and evaluation."""

from matching.assignment import one_to_one
from matching.candidates import TargetIndex, candidate_search, fit_index, search_in_blocks
from matching.engine import match_documents, match_items
from matching.evaluate import cross_validate, load_gold, metrics
from matching.explain import reasons, shared_spans, waterfall
from matching.features import EVIDENCE, FEATURES, pair_features
from matching.scoring import LinkModel, default_model, fit_model

__all__ = [
    "EVIDENCE", "FEATURES", "LinkModel", "TargetIndex", "candidate_search", "cross_validate", "default_model",
    "fit_index", "fit_model", "load_gold", "match_documents", "match_items", "metrics", "one_to_one",
    "pair_features", "reasons", "search_in_blocks", "shared_spans", "waterfall",
]
