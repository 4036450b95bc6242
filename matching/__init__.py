"""plan-align matching: candidate search, features, scoring, assignment and evaluation.

Names load on first use, so the command line starts without scikit-learn or jieba.
"""

import importlib

_MODULES = {
    "one_to_one": "assignment",
    "TargetIndex": "candidates", "candidate_search": "candidates", "fit_index": "candidates",
    "search_in_blocks": "candidates",
    "match_documents": "engine", "match_items": "engine",
    "cross_validate": "evaluate", "load_gold": "evaluate", "metrics": "evaluate",
    "reasons": "explain", "shared_spans": "explain", "waterfall": "explain",
    "EVIDENCE": "features", "FEATURES": "features", "RULES": "features", "pair_features": "features",
    "LinkModel": "scoring", "default_model": "scoring", "fit_model": "scoring",
}


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(importlib.import_module(f"matching.{_MODULES[name]}"), name)
    raise AttributeError(f"module 'matching' has no attribute {name!r}")


__all__ = sorted(_MODULES)
