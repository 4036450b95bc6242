"""Explanations a planner can read: reasons in words and the text two items share."""

from __future__ import annotations

import re

import polars as pl
from rapidfuzz.distance import Indel

from align.targets import describe_target
from matching.features import (
    FEATURE_LABELS,
    FEATURES,
    PAIR_PRIORS,
    RULES,
    STRUCTURED,
    amount_key,
    headline_rates,
    quota_counts,
    quota_met,
    shared_entities,
)
from matching.text import NO_SYNONYMS, Synonyms, tokenize

_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Below this contribution (log-odds) a feature is not worth a reason.
_MIN_CONTRIBUTION = 0.25


def shared_spans(source_text: str, target_text: str, *, min_chars: int = 2) -> list[str]:
    """Stretches of text that both items contain, longest first (for highlighting).

    Uses the matching blocks of an LCS alignment, aligned again on what is left so a phrase in
    another order is found too; spans shorter than ``min_chars``, and spans made only of the words every
    plan uses (推动, 确保, 建设: the matcher's stopwords, which it does not count), are
    dropped, so a highlight shows only what the score rests on. Empty text gives ``[]``.
    """
    if not source_text or not target_text:
        return []
    spans: list[str] = []
    source, target = source_text, target_text
    # One alignment keeps one reading order, so a phrase both texts hold in another order (充电桩建设，
    # 老旧小区改造 against 老旧小区改造，充电桩建设) is found by aligning again what is left unmatched.
    for _ in range(3):
        found = []
        for block in Indel.opcodes(source, target):
            if block.tag == "equal" and block.src_end - block.src_start >= min_chars:
                found.append((block.src_start, block.src_end, block.dest_start, block.dest_end))
        if not found:
            break
        for src_start, src_end, dest_start, dest_end in found:
            span = _whole(source_text, target_text, src_start, src_end).strip(" ,，。;；、\x00\x01")
            if len(span) >= min_chars and _has_content_word(span) and span not in spans:
                spans.append(span)
            source = source[:src_start] + "\x00" * (src_end - src_start) + source[src_end:]
            target = target[:dest_start] + "\x01" * (dest_end - dest_start) + target[dest_end:]
    return sorted(spans, key=len, reverse=True)


def _whole(source_text: str, target_text: str, start: int, end: int) -> str:
    """A shared stretch grown while both texts still hold it: an alignment that matched the 西 of
    西十高铁 elsewhere left 十高铁, which highlights half a name."""
    while start > 0 and source_text[start - 1 : end] in target_text:
        start -= 1
    while end < len(source_text) and source_text[start : end + 1] in target_text:
        end += 1
    return source_text[start:end]


def _has_content_word(span: str) -> bool:
    """Whether ``span`` holds a word of two or more characters that is not a stopword."""
    return _MEANINGFUL.search(span) is not None and any(len(word) >= 2 for word in tokenize(span))


def _targets_text(targets: list[dict] | None) -> str:
    return "、".join(describe_target(t) for t in (targets or [])[:2])


def reasons(
    scored: pl.DataFrame,
    source_items: pl.DataFrame,
    target_items: pl.DataFrame,
    *,
    words: frozenset[str],
    synonyms: Synonyms = NO_SYNONYMS,
    source_jurisdiction: str = "",
) -> list[str]:
    """One line per candidate naming its strongest evidence, e.g. ``责任部门一致: 住建; 共同专名: 保交楼``,
    and the synonyms its text evidence read as one term (``同义词: 街角游园 = 口袋公园``), which no
    highlighted span shows."""
    if scored.height == 0:
        return []
    source = {r["item_id"]: r for r in source_items.select("item_id", "text", "unit_keys", "targets").to_dicts()}
    target_cols = ["item_id", "text", "unit_keys", "targets"] + (["quotas"] if "quotas" in target_items.columns else [])
    target = {r["item_id"]: r for r in target_items.select(target_cols).to_dicts()}
    out = []
    for row in scored.iter_rows(named=True):
        s, t = source.get(row["source_id"], {}), target.get(row["target_id"], {})
        parts = []
        if row.get("indicator_conflict", 0.0) > 0:
            rates = (headline_rates(s.get("text"), s.get("targets")), headline_rates(t.get("text"), t.get("targets")))
            parts.append(f"{FEATURE_LABELS['indicator_conflict']}: {'、'.join(rates[0])} ≠ {'、'.join(rates[1])}")
        if row.get("quota_matches_task", 0.0) > 0:
            met = _quota_met(s, t, source_jurisdiction)
            parts.append(f"{FEATURE_LABELS['quota_matches_task']}: {met}" if met else FEATURE_LABELS["quota_matches_task"])
        ruled = len(parts)  # a rule's reason comes first and leaves the three weighed ones their room
        ranked = sorted(FEATURES, key=lambda f: row.get(f"contrib_{f}", 0.0), reverse=True)
        for feature in ranked:
            if row.get(f"contrib_{feature}", 0.0) < _MIN_CONTRIBUTION:
                break
            if feature in PAIR_PRIORS:
                continue
            if feature == "structured_evidence":
                parts.extend(_structured_reasons(row, s, t, words, source_jurisdiction))
            elif feature == "top_candidate":  # yes or no: a 1.00 beside it read as certainty (a tester)
                parts.append(FEATURE_LABELS[feature])
            elif feature == "unit_agreement":
                shared = sorted(set(s.get("unit_keys") or []) & set(t.get("unit_keys") or []))
                parts.append(f"{FEATURE_LABELS[feature]}: {'、'.join(shared)}")
            else:
                parts.append(f"{FEATURE_LABELS[feature]} {row.get(feature, 0.0):.2f}")
            if len(parts) >= ruled + 3:
                break
        if same := synonyms.between(s.get("text") or "", t.get("text") or ""):
            parts.append("同义词: " + "、".join(f"{one} = {other}" for one, other in same[:3]))
        out.append("; ".join(parts) if parts else "证据不足 (weak evidence)")
    return out


def _quota_met(s: dict, t: dict, jurisdiction: str) -> str:
    """``历下区25个 = 改造老旧小区25个``: the quota and the amount that meets it, as written."""
    raw = {amount_key(a): a["raw"] for a in s.get("targets") or []}
    met = quota_met(quota_counts(t.get("quotas"), t.get("targets")), list(raw), jurisdiction)
    if met is None:
        return ""
    place, value, unit, _ = met[0].split("|", 3)
    written = next((q["raw"] for q in t.get("quotas") or [] if q["jurisdiction"] == place and q["unit"] == unit
                    and amount_key(q).split("|")[0] == value), f"{place}{value}{unit}")
    return f"{written} = {raw[met[1]]}"


def _structured_reasons(row: dict, s: dict, t: dict, words: frozenset[str], jurisdiction: str) -> list[str]:
    """Name each structured signal that fired: quota, shared names, indicators, quantities."""
    parts = []
    for feature in STRUCTURED:
        if row.get(feature, 0.0) <= 0:
            continue
        label = FEATURE_LABELS[feature]
        if feature == "quota_for_source":
            shown = next((q["raw"] for q in t.get("quotas") or [] if q["jurisdiction"] == jurisdiction), "")
            parts.append(f"{label}: {shown}" if shown else label)
        elif feature == "shared_entities":
            shared = shared_entities(s.get("text", ""), t.get("text", ""), words)
            parts.append(f"{label}: {'、'.join(shared[:3])}")
        else:
            parts.append(f"{label}: {_targets_text(s.get('targets'))} ~ {_targets_text(t.get('targets'))}")
    return parts


def waterfall(row: dict, intercept: float) -> pl.DataFrame:
    """One candidate's score as steps: intercept, each feature's contribution (log-odds), then any rule that fired."""
    steps = [("intercept", FEATURE_LABELS["intercept"], intercept)]
    steps += [(f, FEATURE_LABELS[f], float(row.get(f"contrib_{f}", 0.0))) for f in FEATURES]
    steps += [(f, FEATURE_LABELS[f], float(row[f"contrib_{f}"])) for f in RULES if row.get(f"contrib_{f}")]
    frame = pl.DataFrame(steps, schema=["feature", "label", "contribution"], orient="row")
    return frame.with_columns(pl.col("contribution").cum_sum().alias("cumulative"))
