"""How a jurisdiction's tasks evolve from one year's document to the next.

Two task lists of the same district a few years apart are mostly one-to-one: a task is
carried forward, rewritten, given a new number, finished and dropped, or new. The
matcher's one-to-one assignment (its ``assigned`` column) gives the backbone; a few
extra ``linked`` pairs are kept only where the scores say one task became two
(``split``) or two became one (``merged``). For every linked pair the structured fields
are compared: targets indicator by indicator, responsible units by department, status
then and now, and the wording as a character diff a planner can read.

Every item of both years gets one class:

``split``, ``merged``
    the old item has several successors / the new item has several predecessors;
``lowered``, ``raised``
    a paired target's number went down / up (a lowered target wins over a raised one in
    the same pair: it is what a reviewer must see first; every target change is listed);
``reworded``
    no number moved, but a target appeared or disappeared, or the wording changed
    (character similarity below ``same_wording``);
``continued``
    carried forward with the same numbers and nearly the same words;
``dropped``
    an old item with no successor (``old_done`` says whether it was marked done; empty where
    its plan reports no progress, which is not "unfinished");
``new``
    a new item with no predecessor.

The precedence is the order above: split/merged > lowered > raised > reworded > continued.

Target directions (``raised | lowered | unchanged | newly_quantified |
no_longer_quantified | restated``, and ``dropped_with_task | new_with_task`` on a dropped or new task's
row) describe the stated number, scaled to a common unit (万元 and 亿元, 公里 and 米). Where
the numbers are equal the qualifier decides: a floor (以上, 不少于) is a stronger commitment
than a plain number, which is stronger than an approximation (左右, 约), so ``7%以上 → 7%左右`` is lowered and ``7% → 7%以上`` raised.
Ceilings (以内, 控制在, 不超过) bound a quantity from above; an equal number with a
ceiling on one side and another qualifier on the other is ``unchanged``, because the
number alone cannot say which is more ambitious. For a ceiling a raised number is a
looser target: the direction is of the number, not of the ambition. A yearly addition against a
running total (新增高新技术企业4家 → 高新技术企业达到150家) is ``restated``: the two numbers count
different things, so neither raised nor lowered says anything.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz

from align.deadlines import deadline_shift, describe_shift
from align.exceptions import JurisdictionMismatchError, PlanAlignError
from align.items import STATUS_LABELS, Schema, filled_columns
from align.normalize import normalize_text
from align.registry import DocumentMeta
from align.settings import Settings
from align.store import DEFINITE
from align.targets import describe_quantity, extract_targets, unit_family
from align.units import department_key

RELATIONS: tuple[str, ...] = ("continued", "raised", "lowered", "reworded", "split", "merged", "dropped", "new")
DIRECTIONS: tuple[str, ...] = ("raised", "lowered", "unchanged", "newly_quantified", "no_longer_quantified",
                               "restated")

FLOOR_QUALIFIERS = frozenset({"以上", "不少于", "不低于", "至少", "超过", "超", "突破", "余", "多"})
APPROX_QUALIFIERS = frozenset({"左右", "约", "近"})
CEILING_QUALIFIERS = frozenset({"以内", "以下", "以里", "之内", "内", "不超过", "不高于", "控制在", "不到"})

# Units whose literal name carries a multiplier; values of one family are compared after scaling.
UNIT_SCALE: dict[str, float] = {
    "万元": 1e4, "亿元": 1e8, "万人": 1e4, "公里": 1e3, "千米": 1e3, "平方公里": 1e6, "公顷": 1e4, "亩": 666.67,
}

# A section heading that only names a status is not a policy area.
_STATUS_HEADING = re.compile(r"已完成|已经完成|持续推进|正在推进|推进中|未完成|完成情况")

TARGET_CHANGE_STRUCT = pl.Struct(
    {
        "indicator": pl.String, "old": pl.String, "new": pl.String, "old_value": pl.Float64,
        "new_value": pl.Float64, "unit_family": pl.String, "old_qualifier": pl.String,
        "new_qualifier": pl.String, "direction": pl.String,
    }
)
DIFF_OP_STRUCT = pl.Struct({"op": pl.String, "old": pl.String, "new": pl.String})
EVOLUTION_SCHEMA: Schema = {
    "old_id": pl.String,
    "new_id": pl.String,
    "relation": pl.String,
    "score": pl.Float64,
    "link": pl.String,
    "direction": pl.String,
    "area": pl.String,
    "old_status": pl.String,
    "new_status": pl.String,
    "old_deadline": pl.String,
    "new_deadline": pl.String,
    "deadline_shift_months": pl.Int32,
    "old_done": pl.Boolean,
    "target_changes": pl.List(TARGET_CHANGE_STRUCT),
    "units_added": pl.List(pl.String),
    "units_removed": pl.List(pl.String),
    "wording_similarity": pl.Float64,
    "diff_text": pl.String,
    "diff_ops": pl.List(DIFF_OP_STRUCT),
    "old_text": pl.String,
    "new_text": pl.String,
}


# ---------------------------------------------------------------- targets


def qualifier_strength(qualifier: str | None) -> int | None:
    """2 for a floor, 1 for a plain number, 0 for an approximation, ``None`` for a ceiling.

    Used only to break ties between equal numbers (see the module docstring).
    """
    qualifier = qualifier or ""
    if qualifier in CEILING_QUALIFIERS:
        return None
    if qualifier in FLOOR_QUALIFIERS:
        return 2
    if qualifier in APPROX_QUALIFIERS:
        return 0
    return 1


def _scaled(target: dict, bound: str = "value") -> float:
    """A target's value (or a range's upper bound; a single number is its own) in its family's base unit."""
    value = target[bound] if target.get(bound) is not None else target["value"]
    return float(value) * UNIT_SCALE.get(target.get("unit") or "", 1.0)


# What a count counts: an addition this year (新增, 新建, 引进…), or a running total (达到, 累计, 总数).
_ADDITION = re.compile(r"^(?:力争|确保|争取|全年|年内|今年|其中)*(?:新增|新建|增加(?!值)|净增|新培育|新认定|新引进|新落户|引进|培育)")
_STOCK = re.compile(r"总数|总量|保有量|总规模")  # a total even after 新增 (新增…使总数达到); 新增…累计 is the year's additions
_TOTAL = re.compile(rf"达到|累计|达\d|{_STOCK.pattern}")
_REMAINDER = re.compile(r"剩余|余下|剩下")


def count_basis(target: dict) -> str | None:
    """``"addition"`` for a count of what is added (新增高新技术企业4家, also 新增就业达到1.5万人),
    ``"total"`` for a running total (高新技术企业达到150家), ``"remainder"`` for what is left of an
    earlier commitment (完成剩余落后产能50万吨), ``None`` when the words do not say."""
    raw = target.get("raw") or ""
    if target.get("unit") == "%":  # a rate, not a count
        return None
    if _REMAINDER.search(raw):
        return "remainder"
    if _STOCK.search(raw):
        return "total"
    if _ADDITION.match(raw) or _ADDITION.match(target.get("indicator") or ""):
        return "addition"
    return "total" if _TOTAL.search(raw) else None


def target_direction(old: dict | None, new: dict | None) -> str:
    """The direction from ``old`` to ``new`` target; ``None`` on one side means absent."""
    if old is None and new is None:
        raise ValueError("target_direction needs at least one target.")
    if old is None:
        return "newly_quantified"
    if new is None:
        return "no_longer_quantified"
    bases = {count_basis(old), count_basis(new)}
    if bases == {"addition", "total"} or "remainder" in bases and len(bases) == 2:  # 200万吨 → 剩余50万吨: not cut
        return "restated"
    before, after = _scaled(old), _scaled(new)
    if not math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-9):
        return "raised" if after > before else "lowered"
    top_before, top_after = _scaled(old, "upper"), _scaled(new, "upper")  # 1-2个 → 1-4个: the range widened up
    if not math.isclose(top_before, top_after, rel_tol=1e-9, abs_tol=1e-9):
        return "raised" if top_after > top_before else "lowered"
    strength_before, strength_after = qualifier_strength(old.get("qualifier")), qualifier_strength(new.get("qualifier"))
    if strength_before is None or strength_after is None or strength_before == strength_after:
        return "unchanged"
    return "raised" if strength_after > strength_before else "lowered"


def indicator_similarity(a: str | None, b: str | None) -> float:
    """How alike two indicator names are, 0–100 (the better of full and partial ratio); empty gives 0."""
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b))


# The verbs a deliverable opens with (改造提升农贸市场, 新建学校), or ends with (老旧小区改造): what is
# delivered is between them.
_DELIVERY_VERB = (
    r"(?:新建|新增|新改建|改扩建|扩建|改建|建成|建设|投运|改造|提升|开展|举办|组织|引进|完成|实施|推进|推动|加快|打造|"
    r"创建|培育|落实|开工|启动|力争|确保|累计)"
)
_DELIVERY_VERBS = re.compile(rf"^{_DELIVERY_VERB}+")
_TRAILING_DELIVERY_VERBS = re.compile(rf"{_DELIVERY_VERB}+$")
_FRAMING_WORDS = re.compile(r"(?:项目|工程|面积|任务|行动|工作|计划|规模|数量|总量|试点|示范)$")
# Words that qualify many different things, so sharing one says nothing of sharing a thing.
_GENERIC_WORDS = frozenset({"公共", "城市", "农村", "社区", "全区", "全市", "重点", "新型", "综合", "标准化", "示范",
                            "提升", "改造", "建设", "项目", "工程", "服务", "设施", "高质量", "特色", "智慧"})
_NAME_MARKS = re.compile(r"[“”\"《》()（）、，, ]")


def _head_words(name: str) -> str:
    """The nouns a target counts, the last word of each of its things once the verbs are taken off
    either end (新建公共充电桩 → 桩, 老旧小区改造 → 小区, 中小学和幼儿园 → 中小学 幼儿园): a Chinese noun
    phrase ends in its head. A word that only frames it (改造项目, 提升工程, 造林面积) is no head."""
    thing = _DELIVERY_VERBS.sub("", name)
    previous = None
    while thing != previous:  # 老旧小区改造项目: 项目, then 改造, come off
        previous, thing = thing, _TRAILING_DELIVERY_VERBS.sub("", _FRAMING_WORDS.sub("", thing))
    heads = []
    for part in re.split(r"[和及与、,，]", thing):
        words = [word for word in _words(_NAME_MARKS.sub("", part)) if word.strip()]
        heads.append(words[-1] if words else "")
    return "".join(heads)


def _words(text: str) -> list[str]:
    import jieba  # loading its dictionary takes a second: only when a comparison needs it

    jieba.setLogLevel(60)
    return jieba.lcut(text)


# Families whose names vary around one thing (惠及居民 ~ 惠及群众, 完成投资 ~ 完成年度投资计划).
_LOOSELY_NAMED = ("people", "money")


def _same_object_possible(old: str | None, new: str | None, *, family: str = "count") -> bool:
    """Whether two quantity targets can be one deliverable: the nouns they count share a character
    (新建学校 and 建成中小学 share 学; 改造提升农贸市场 4个 and 改造老旧小区 40个 do not, nor 公共充电桩
    and 公共停车位, nor 城市书房 and 城市公园, though each pair shares words before its noun). People and
    sums are named more loosely (惠及居民, 惠及群众): any character shared after the verbs will do."""
    if family in _LOOSELY_NAMED:
        named = [set(_NAME_MARKS.sub("", _DELIVERY_VERBS.sub("", name or ""))) for name in (old, new)]
        return not all(named) or bool(named[0] & named[1])
    head_words = [_head_words(name or "") for name in (old, new)]
    if not all(head_words) or set(head_words[0]) & set(head_words[1]):
        return True
    # the heads differ, but one head's pair of characters is in the other thing (植树造林 ~ 造林绿化), or a
    # telling word is shared (充电桩 ~ 充电设施)
    things = [_TRAILING_DELIVERY_VERBS.sub("", _DELIVERY_VERBS.sub("", name or "")) for name in (old, new)]
    for head, other in ((head_words[0], things[1]), (head_words[1], things[0])):
        if any(head[k:k + 2] in other and head[k:k + 2] not in _GENERIC_WORDS for k in range(len(head) - 1)):
            return True
    words = [{w for w in _words(_NAME_MARKS.sub("", name or ""))
              if len(w) >= 2 and not re.fullmatch(f"{_DELIVERY_VERB}+", w)} - _GENERIC_WORDS for name in (old, new)]
    return bool(words[0] & words[1])


# Units of one family that still count different things: households and persons, visits and
# persons, a rise in points and a rate.
_OWN_MEASURE = {"户": "households", "人次": "visits", "个百分点": "points"}
# 户 counts firms as well as households (规模以上工业企业10户, 个体工商户): then it is 家, and
# 新增规上企业10户 → 新培育规上企业12家 is a raised target, not one dropped and another set.
_FIRMS = re.compile(r"(?:企业|工商户|商户|市场主体|经营主体|公司)$")  # not 企业职工1200户 (households)


def _counted_unit(target: dict) -> str | None:
    """The target's measure word, 户 of firms read as 家."""
    unit = target.get("unit")
    return "家" if unit == "户" and _FIRMS.search(target.get("indicator") or "") else unit


def _measure(target: dict) -> str:
    unit = _counted_unit(target)
    return _OWN_MEASURE.get(unit or "", unit_family(unit))


def pair_targets(
    old_targets: Sequence[dict], new_targets: Sequence[dict], *, min_similarity: float = 50.0
) -> list[tuple[int | None, int | None]]:
    """Pair targets of two years by unit family and indicator similarity.

    Greedy on similarity (ties: closer position). A pair needs the same unit family and
    ``min_similarity``, except when the two are the only targets of their family on each
    side: one percent target then and one now in a linked task are the same indicator
    reworded far more often than two different ones. Two counts of things that share nothing
    after their verbs (农贸市场 and 老旧小区) are never paired. Unpaired targets come back with
    ``None`` on the other side, old ones first.
    """
    old_families = [unit_family(_counted_unit(t)) for t in old_targets]
    new_families = [unit_family(_counted_unit(t)) for t in new_targets]
    options = []
    for i, old in enumerate(old_targets):
        for j, new in enumerate(new_targets):
            if not old_families[i] or old_families[i] != new_families[j]:
                continue
            if _measure(old) != _measure(new):
                continue  # 1200户 and 3600人, 提高1个百分点 and 达到80%: one family, no one scale
            if old_families[i] != "percent" and not _same_object_possible(
                    old.get("indicator"), new.get("indicator"), family=old_families[i]):
                continue
            similarity = indicator_similarity(old.get("indicator"), new.get("indicator"))
            sole = old_families.count(old_families[i]) == 1 and new_families.count(new_families[j]) == 1
            # two bare counts (3所、900个 → 2所、600个) name no indicator: their measure word says what each counts,
            # and of several in one word the same number first (3个、5个 → 5个 is 5个 kept, not 3个 raised)
            if not old.get("indicator") and not new.get("indicator") and old.get("unit") == new.get("unit"):
                similarity = 100.0 if old.get("value") == new.get("value") else 99.0
            if similarity >= min_similarity or sole:
                options.append((-similarity, abs(i - j), i, j))
    pairs: list[tuple[int | None, int | None]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _, _, i, j in sorted(options):
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j))
    pairs.sort(key=lambda p: (p[0], p[1]))
    pairs += [(i, None) for i in range(len(old_targets)) if i not in used_old]
    pairs += [(None, j) for j in range(len(new_targets)) if j not in used_new]
    return pairs


def compare_targets(
    old_targets: Sequence[dict] | None, new_targets: Sequence[dict] | None, *, min_similarity: float = 50.0
) -> list[dict]:
    """One change record per paired or unpaired target (fields of :data:`TARGET_CHANGE_STRUCT`)."""
    old_targets, new_targets = list(old_targets or []), list(new_targets or [])
    changes = []
    for i, j in pair_targets(old_targets, new_targets, min_similarity=min_similarity):
        old = old_targets[i] if i is not None else None
        new = new_targets[j] if j is not None else None
        shown = old if old is not None else new
        assert shown is not None
        changes.append(
            {
                "indicator": (new or {}).get("indicator") or (old or {}).get("indicator") or "",
                "old": describe_quantity(old),
                "new": describe_quantity(new),
                "old_value": old["value"] if old else None,
                "new_value": new["value"] if new else None,
                "unit_family": unit_family(_counted_unit(shown)),
                "old_qualifier": (old or {}).get("qualifier"),
                "new_qualifier": (new or {}).get("qualifier"),
                "direction": target_direction(old, new),
            }
        )
    return changes


RELATION_LABELS = {
    "continued": "延续 continued", "raised": "提高 raised", "lowered": "降低 lowered", "reworded": "改写 reworded",
    "split": "拆分 split", "merged": "合并 merged", "dropped": "不再出现 dropped", "new": "新增 new",
}
DIRECTION_LABELS = {
    "raised": "提高 raised", "lowered": "降低 lowered", "unchanged": "不变 unchanged",
    "newly_quantified": "新设量化目标 newly quantified", "no_longer_quantified": "不再量化 no longer quantified",
    "dropped_with_task": "随任务不再出现 dropped with its task", "new_with_task": "随新任务提出 new with its task",
    "restated": "口径不同 restated (新增、剩余与总量 an addition or a remainder against a total)",
}


def format_target_changes(changes: Sequence[dict] | None) -> str:
    """``地区生产总值增长: 7.5%以上 → 7%左右 (降低 lowered)``, one change per line, for CSV, Excel and the app."""
    if isinstance(changes, pl.Series):
        changes = changes.to_list()
    lines = []
    for change in changes or []:
        name = f"{change['indicator']}: " if change.get("indicator") else ""
        direction = DIRECTION_LABELS.get(change["direction"], change["direction"])
        lines.append(f"{name}{change.get('old') or '—'} → {change.get('new') or '—'} ({direction})")
    return "\n".join(lines)


# Column names a planner reads in the evolution's CSV and Excel (Parquet keeps the English ones).
READABLE_HEADERS: dict[str, str] = {
    "old_id": "上期条目", "new_id": "本期条目", "relation": "变化", "score": "得分", "direction": "目标方向",
    "area": "领域", "target_changes": "目标变化", "old_status": "上期状态", "new_status": "本期状态",
    "old_done": "上期已完成", "old_deadline": "上期完成时限", "new_deadline": "本期完成时限",
    "deadline_change": "时限变化",
    "units_added": "新增责任单位", "units_removed": "不再列出的责任单位",
    "wording_similarity": "文字相似度", "diff_text": "文字改动", "old_text": "上期任务", "new_text": "本期任务",
}
# Columns of long text, wrapped in Excel.
READABLE_WIDE = ("目标变化", "文字改动", "上期任务", "本期任务")


def for_planners(table: pl.DataFrame) -> pl.DataFrame:
    """:func:`readable` with Chinese column names and codes in words (降低 lowered, 推进中), for CSV and Excel."""
    labels = {**RELATION_LABELS, **DIRECTION_LABELS}
    shown = readable(table).with_columns(
        pl.col("relation", "direction").replace(labels), pl.col("old_status", "new_status").replace(STATUS_LABELS)
    )
    return shown.rename(READABLE_HEADERS, strict=False)  # not strict: readable leaves out empty deadlines


def readable(table: pl.DataFrame) -> pl.DataFrame:
    """The evolution table with nested columns as text (the terminal; :func:`for_planners` for files).

    The deadlines, and how far a carried-forward task's moved (推迟3个月), are shown only when
    a task table of either year has them (most plans do not).
    """
    deadlines = [pl.col(name) for name in filled_columns(table, ["old_deadline", "new_deadline"])]
    if deadlines:
        deadlines.append(_deadline_change())
    return table.select(
        "old_id", "new_id", "relation", pl.col("score").round(3), "direction", "area",
        pl.col("target_changes").map_elements(format_target_changes, return_dtype=pl.String, skip_nulls=False),
        "old_status", "new_status", *deadlines, "old_done",
        pl.col("units_added").list.join("、"),
        pl.col("units_removed").list.join("、"),
        pl.col("wording_similarity").round(1),
        "diff_text", "old_text", "new_text",
    )


def overall_direction(directions: Sequence[str]) -> str | None:
    """One direction for a pair: lowered > raised > no_longer > newly quantified > restated > unchanged; ``None`` if
    no target.

    Kept beside the class so a ``merged`` or ``split`` pair still shows a lowered target, and a task
    that keeps one target and drops another does not read 不变.
    """
    for direction in ("lowered", "raised", "no_longer_quantified", "newly_quantified", "restated", "unchanged"):
        if direction in directions:
            return direction
    return None


# ---------------------------------------------------------------- wording and units


def wording_diff(old: str | None, new: str | None) -> tuple[str, list[dict]]:
    """A character diff rendered as ``[-old-]{+new+}`` text, and its ops for the app.

    Ops are ``{"op": equal|delete|insert|replace, "old": …, "new": …}`` in reading order.
    """
    old, new = old or "", new or ""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[str] = []
    ops: list[dict] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = old[i1:i2], new[j1:j2]
        ops.append({"op": tag, "old": a, "new": b})
        if tag == "equal":
            pieces.append(a)
        else:
            pieces.append((f"[-{a}-]" if a else "") + (f"{{+{b}+}}" if b else ""))
    return "".join(pieces), ops


def unit_changes(old_units: Sequence[str] | None, new_units: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """Units added and removed, compared by department key so 区卫生健康局 and 区卫健局 are one; none where either task
    names no unit (a plan that names none read as every department dropping every task; a browser probe)."""
    old_units, new_units = list(old_units or []), list(new_units or [])
    if not old_units or not new_units:
        return [], []
    old_keys = {department_key(u) for u in old_units}
    new_keys = {department_key(u) for u in new_units}
    added = [u for u in new_units if department_key(u) not in old_keys]
    removed = [u for u in old_units if department_key(u) not in new_keys]
    return added, removed


def compare_pair(
    old: dict, new: dict, *, min_similarity: float = 50.0, old_year: int | None = None, new_year: int | None = None
) -> dict:
    """What changed between two linked item rows (dicts with the item schema's fields).

    The plans' years place a deadline written without one (年底前) for :func:`deadline_shift`.
    """
    diff_text, diff_ops = wording_diff(old.get("text"), new.get("text"))
    added, removed = unit_changes(old.get("units"), new.get("units"))
    return {
        "target_changes": compare_targets(old.get("targets"), new.get("targets"), min_similarity=min_similarity),
        "units_added": added,
        "units_removed": removed,
        "old_status": old.get("status"),
        "new_status": new.get("status"),
        "old_deadline": old.get("deadline"),
        "new_deadline": new.get("deadline"),
        "deadline_shift_months": deadline_shift(
            old.get("deadline"), new.get("deadline"), old_year=old_year, new_year=new_year,
            # a rate (GDP增长7.5%) is set for its year: still 推进中 at the report, it is not late next year
            unfinished=old.get("status") == "in_progress" and not _set_each_year(old, new),
            finished=old.get("status") == "done", reported=old.get("status") is not None,
        ),
        "wording_similarity": float(fuzz.ratio(old.get("text") or "", new.get("text") or "")),
        "diff_text": diff_text,
        "diff_ops": diff_ops,
    }


def _done(item: dict) -> bool | None:
    """Whether an old task was reported done; None where its plan reports no progress at all."""
    status = item.get("status")
    return None if status is None else status == "done"


def pair_relation(change: dict, *, same_wording: float = 80.0) -> str:
    """The class of a one-to-one pair from its :func:`compare_pair` record (precedence in the module doc)."""
    directions = {c["direction"] for c in change["target_changes"]}
    if "lowered" in directions:
        return "lowered"
    if "raised" in directions:
        return "raised"
    if directions & {"newly_quantified", "no_longer_quantified", "restated"} or change["wording_similarity"] < same_wording:
        return "reworded"
    return "continued"


# ---------------------------------------------------------------- alignment


def with_reviewed_links(links: pl.DataFrame, decisions: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """:func:`year_links` as reviewers left them: a link they confirmed is one however the matcher
    scored it (``link = "confirmed"``), one they rejected is none, and an old task they judged to
    have no successor (无对应) has none; where reviewers disagree, the matcher's reading stands.

    A planner who confirmed 城乡居民收入 → 城镇 and → 农村 still saw the task dropped and two new.
    ``unsure`` takes no position; one reviewer's 无对应 and another's confirmed link from the same
    old task disagree too (as the store's conflicts say), so neither is applied.
    """
    decisions = decisions.filter(pl.col("decision").is_in(DEFINITE))
    verdicts = decisions.group_by("source_id", "target_id").agg(pl.col("decision").unique().alias("said"))
    agreed = verdicts.filter(pl.col("said").list.len() == 1).with_columns(pl.col("said").list.first().alias("said"))
    judged_none = decisions.filter((pl.col("decision") == "no_counterpart") & pl.col("target_id").is_null())["source_id"]
    linked_by_someone = decisions.filter(pl.col("decision") == "confirmed")["source_id"]
    confirmed = agreed.filter((pl.col("said") == "confirmed") & ~pl.col("source_id").is_in(judged_none.implode())).select(
        pl.col("source_id").alias("old_id"), pl.col("target_id").alias("new_id"))
    rejected = agreed.filter(pl.col("said") == "rejected").select(
        pl.col("source_id").alias("old_id"), pl.col("target_id").alias("new_id"))
    no_successor = agreed.filter((pl.col("said") == "no_counterpart") & pl.col("target_id").is_null()
                                 & ~pl.col("source_id").is_in(linked_by_someone.implode()))["source_id"]
    kept = links.join(rejected, on=["old_id", "new_id"], how="anti").filter(
        ~pl.col("old_id").is_in(no_successor.to_list()))
    added = confirmed.join(kept, on=["old_id", "new_id"], how="anti").join(
        candidates.select(pl.col("source_id").alias("old_id"), pl.col("target_id").alias("new_id"), "score"),
        on=["old_id", "new_id"], how="left",
    ).with_columns(pl.lit("confirmed").alias("link"))
    return pl.concat([kept, added.select(links.columns).cast(links.schema)])


def year_links(candidates: pl.DataFrame, *, split_margin: float = 0.15) -> pl.DataFrame:
    """Year-to-year links from the matcher's candidates: ``old_id, new_id, score, link``.

    ``candidates`` is :func:`matching.engine.match_items` output with ``assigned``. The
    one-to-one pairs are the backbone (``link = "one_to_one"``). Extra ``linked`` pairs are
    added only where the scores support them and no one-to-one pair claims the item:

    * ``split``: an old item's second-best new item is linked, unassigned, and within
      ``split_margin`` of the best score; or a new item left unassigned whose best old item
      is linked to it and already has its one-to-one partner, however far below it scores;
    * ``merged``: an unassigned old item whose best new item is linked and is already the
      one-to-one partner of another old item.
    """
    if "assigned" not in candidates.columns:
        raise PlanAlignError(
            "Year-to-year links need the one-to-one assignment: match with one_to_one_pairs=True.",
            zh="逐年对比需要一对一匹配的结果",
        )
    ranked = candidates.select("source_id", "target_id", "score", "linked", "assigned").with_columns(
        pl.col("score").rank("ordinal", descending=True).over("source_id").alias("_rank")
    )
    backbone = ranked.filter(pl.col("assigned"))
    assigned_old = set(backbone["source_id"].to_list())
    assigned_new = set(backbone["target_id"].to_list())
    best = ranked.filter(pl.col("_rank") == 1).select("source_id", pl.col("score").alias("_best"), pl.col("target_id").alias("_best_target"))
    ranked = ranked.join(best, on="source_id", how="left")
    # A split old item's best new item must be its own one-to-one partner.
    split = ranked.filter(
        (pl.col("_rank") == 2)
        & pl.col("linked")
        & ~pl.col("target_id").is_in(list(assigned_new))
        & (pl.col("_best") - pl.col("score") <= split_margin)
    ).join(
        backbone.select("source_id", pl.col("target_id").alias("_best_target")),
        on=["source_id", "_best_target"],
        how="semi",
    )
    # A new item left without a predecessor whose best old item is linked to it and already has its
    # one-to-one partner is split off that old item too, however far below the partner it scores
    # (户厕3000户 + 12个村污水 → 户厕2000户 and 污水 12个村: the verbatim half scored 1.00, the other 0.53).
    split_off = ranked.filter(~pl.col("target_id").is_in(list(assigned_new))).filter(
        pl.col("score") == pl.col("score").max().over("target_id")
    ).filter(pl.col("linked") & pl.col("source_id").is_in(list(assigned_old)))
    split = pl.concat([split, split_off.select(split.columns)]).unique(["source_id", "target_id"], maintain_order=True)
    merged = ranked.filter(
        (pl.col("_rank") == 1)
        & pl.col("linked")
        & ~pl.col("source_id").is_in(list(assigned_old))
        & pl.col("target_id").is_in(list(assigned_new))
    )
    frames = [
        backbone.select("source_id", "target_id", "score", pl.lit("one_to_one").alias("link")),
        split.select("source_id", "target_id", "score", pl.lit("split").alias("link")),
        merged.select("source_id", "target_id", "score", pl.lit("merged").alias("link")),
    ]
    return pl.concat(frames).rename({"source_id": "old_id", "target_id": "new_id"})


def _without_targets_carried_by_siblings(
    old: dict, new: dict, siblings: list[dict], min_similarity: float, side: str
) -> list[dict]:
    """The target changes of one row of a split (``side`` "old") or merge ("new"), less the
    targets another row of it carries: 改造老旧小区30个、整治背街小巷15条 split into two tasks
    shows 背街小巷 15条 → 15条 on its own row, not 15条 → — (no longer quantified) on the other."""
    old_targets, new_targets = list(old.get("targets") or []), list(new.get("targets") or [])
    own = old_targets if side == "old" else new_targets
    carried: dict[int, list[dict]] = {}  # own target → the targets sibling rows pair it with
    for sibling in siblings:
        theirs = list(sibling.get("targets") or [])
        pairs = pair_targets(own, theirs, min_similarity=min_similarity) if side == "old" else \
            [(j, i) for i, j in pair_targets(theirs, own, min_similarity=min_similarity)]
        for i, j in pairs:
            if i is not None and j is not None:
                carried.setdefault(i, []).append(theirs[j])
    pairs = pair_targets(old_targets, new_targets, min_similarity=min_similarity)
    changes = compare_targets(old_targets, new_targets, min_similarity=min_similarity)
    kept = []
    for (i, j), change in zip(pairs, changes, strict=True):
        mine = i if side == "old" else j
        if mine not in carried:
            kept.append(change)
        elif i is not None and j is not None:
            parts = [new_targets[j] if side == "old" else old_targets[i], *carried[mine]]
            said = {(normalize_text(part.get("indicator")), _scaled(part)) for part in parts}
            shared_out = unit_family(parts[0].get("unit")) != "percent" and len(said) == len(parts)
            # one target shared out among rows (中小学 4所 and 幼儿园 2所, 学位 4000 and 1400): judged on
            # their sum; a rate, or one target said again on two rows (充电桩500个 twice), as it stands
            kept.append(_against_the_sum(old_targets[i], new_targets[j], carried[mine], side) if shared_out else change)
    return kept


def _against_the_sum(old: dict, new: dict, siblings: list[dict], side: str) -> dict:
    """A split's (or merge's) share of one target, its direction taken against the sum of all the
    shares: 中小学和幼儿园6所 split into 4所 and 2所 is not lowered twice."""
    parts = [new if side == "old" else old, *siblings]
    total = sum(_scaled(part) for part in parts)
    whole = old if side == "old" else new
    summed = {"value": total, "unit": "", "qualifier": whole.get("qualifier"), "upper": None}
    direction = target_direction(whole, summed) if side == "old" else target_direction(summed, whole)
    change = compare_targets([old], [new])[0]
    shown = describe_quantity({**summed, "value": total / UNIT_SCALE.get(whole.get("unit") or "", 1.0),
                               "unit": whole.get("unit")})
    side_shown = "new" if side == "old" else "old"
    return {**change, side_shown: f"{change[side_shown]}（合计{shown}）", "direction": direction}


def policy_area(item: dict, *, use_sections: bool, frames: frozenset[str] = frozenset()) -> str:
    """The policy area of an item: its top section, or its lead unit's department key.

    ``use_sections`` is decided per document by :func:`document_has_areas`. Under a top section
    that frames most of the plan (``frames``, :func:`framing_sections`) the subsection is the
    area, and a year is left out of the name (三、2024年重点工作 and 三、2025年重点工作 are one area).
    """
    sections = item.get("section_path") or []
    if use_sections and sections:
        area = sections[1] if sections[0] in frames and len(sections) > 1 else sections[0]
        return _SECTION_YEAR.sub("", area)
    units = item.get("units") or []
    return department_key(units[0]) if units else "(no unit)"


_SECTION_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")


def framing_sections(items: pl.DataFrame) -> frozenset[str]:
    """Top sections holding more than half of a plan's items under subsections of their own: a
    report's 三、2023年重点工作 over 30 of its 33 tasks says nothing of what each is about; its
    （一）实施扩大内需战略… does."""
    paths = [path for path in items["section_path"].to_list() if path]
    held = Counter(path[0] for path in paths)
    nested = {path[0] for path in paths if len(path) > 1}
    return frozenset(top for top, count in held.items() if count * 2 > items.height and top in nested)


def document_has_areas(items: pl.DataFrame) -> bool:
    """Whether a document's top sections are policy areas (not absent, not status headings such as 已完成)."""
    tops = {path[0] for path in items["section_path"].to_list() if path}
    return bool(tops) and not all(_STATUS_HEADING.search(top) for top in tops)


def evolve(
    old_items: pl.DataFrame,
    new_items: pl.DataFrame,
    candidates: pl.DataFrame,
    *,
    split_margin: float = 0.15,
    same_wording: float = 80.0,
    min_similarity: float = 50.0,
    old_year: int | None = None,
    new_year: int | None = None,
    decisions: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The evolution table: one row per link, per dropped old item and per new item.

    Every item of either year appears at least once (a split old item once per
    successor). ``decisions`` (old → new rows of the decision store) put the reviewers' word
    over the matcher's (:func:`with_reviewed_links`). Columns are :data:`EVOLUTION_SCHEMA`;
    ``area`` is the old item's policy area, or the new item's for a ``new`` row: top sections
    where both plans have them, else departments in both. The plans' years, where given, let a
    deadline without a year be compared with one that names it.
    """
    links = year_links(candidates, split_margin=split_margin)
    if decisions is not None:
        links = with_reviewed_links(links, decisions, candidates)
    old_rows = {row["item_id"]: row for row in old_items.to_dicts()}
    new_rows = {row["item_id"]: row for row in new_items.to_dicts()}
    links = links.filter(pl.col("old_id").is_in(list(old_rows)) & pl.col("new_id").is_in(list(new_rows)))
    links = _merges_that_add_something(links, old_rows, new_rows)
    successors = links.group_by("old_id").len()
    predecessors = links.group_by("new_id").len()
    many_new = set(successors.filter(pl.col("len") > 1)["old_id"].to_list())
    many_old = set(predecessors.filter(pl.col("len") > 1)["new_id"].to_list())
    # one basis for both years, or a new task's section (民生保障) and a dropped task's department (住建)
    # would be rows of one table that never meet
    old_areas = new_areas = document_has_areas(old_items) and document_has_areas(new_items)
    old_frames, new_frames = framing_sections(old_items), framing_sections(new_items)
    successors_of = dict(links.group_by("old_id").agg("new_id").rows())
    predecessors_of = dict(links.group_by("new_id").agg("old_id").rows())
    rows = []
    for old_id, new_id, score, link in links.sort("old_id", "new_id").iter_rows():
        old, new = old_rows[old_id], new_rows[new_id]
        change = compare_pair(old, new, min_similarity=min_similarity, old_year=old_year, new_year=new_year)
        if old_id in many_new:
            relation = "split"
            others = [new_rows[n] for n in successors_of[old_id] if n != new_id]
            change["target_changes"] = _without_targets_carried_by_siblings(old, new, others, min_similarity, "old")
        elif new_id in many_old:
            relation = "merged"
            others = [old_rows[o] for o in predecessors_of[new_id] if o != old_id]
            change["target_changes"] = _without_targets_carried_by_siblings(old, new, others, min_similarity, "new")
        else:
            relation = pair_relation(change, same_wording=same_wording)
        rows.append(
            {
                "old_id": old_id, "new_id": new_id, "relation": relation, "score": score, "link": link,
                "direction": overall_direction([c["direction"] for c in change["target_changes"]]),
                "area": policy_area(old, use_sections=old_areas, frames=old_frames), "old_done": _done(old),
                "old_text": old.get("text"), "new_text": new.get("text"), **change,
            }
        )
    linked_old = set(links["old_id"].to_list())
    linked_new = set(links["new_id"].to_list())
    for old_id, old in old_rows.items():
        if old_id not in linked_old:
            rows.append(_unlinked(old, "dropped", use_sections=old_areas, frames=old_frames))
    for new_id, new in new_rows.items():
        if new_id not in linked_new:
            rows.append(_unlinked(new, "new", use_sections=new_areas, frames=new_frames))
    table = pl.DataFrame(rows, schema=EVOLUTION_SCHEMA) if rows else pl.DataFrame(schema=EVOLUTION_SCHEMA)
    order_old = {item_id: i for i, item_id in enumerate(old_rows)}
    order_new = {item_id: i for i, item_id in enumerate(new_rows)}
    return (
        table.with_columns(
            pl.col("old_id").replace_strict(order_old, default=len(order_old), return_dtype=pl.Int64).alias("_o"),
            pl.col("new_id").replace_strict(order_new, default=len(order_new), return_dtype=pl.Int64).alias("_n"),
        )
        .sort("_o", "_n")
        .drop("_o", "_n")
    )


_CLAUSE_END = re.compile(r"[,，;；。:：!！?？、]|[和及并](?=\D)")  # 完成改造80个和背街小巷40条: two clauses
_ABOUT_AS_CLOSE = 0.8
_NOT_WORDS = re.compile(r"[\d.%]+")


def _merges_that_add_something(links: pl.DataFrame, old_rows: dict, new_rows: dict) -> pl.DataFrame:
    """Only the merges in which the merged old task is about as close as the new task's one-to-one
    partner to some clause of it (two districts' 充电桩 summed into one task are both as close): a
    new task its partner already says (新建公共充电桩500个, after 新建公共充电桩300个) merged no
    新建公共停车位 into it, however alike the matcher finds them."""
    partner = dict(links.filter(pl.col("link") == "one_to_one").select("new_id", "old_id").rows())

    def adds_something(old_id: str, new_id: str) -> bool:
        whole = new_rows[new_id].get("text") or ""
        mine, theirs = (_NOT_WORDS.sub("", old_rows[o].get("text") or "") for o in (old_id, partner[new_id]))
        return any(fuzz.partial_ratio(clause, mine) >= _ABOUT_AS_CLOSE * fuzz.partial_ratio(clause, theirs)
                   for clause in (_NOT_WORDS.sub("", c) for c in _CLAUSE_END.split(whole)) if clause)

    keep = [link != "merged" or new_id not in partner or adds_something(old_id, new_id)
            for old_id, new_id, link in links.select("old_id", "new_id", "link").iter_rows()]
    return links.filter(pl.Series(keep, dtype=pl.Boolean))


def _unlinked(item: dict, relation: str, *, use_sections: bool, frames: frozenset[str]) -> dict:
    side = "old" if relation == "dropped" else "new"
    return {
        "old_id": item["item_id"] if side == "old" else None,
        "new_id": item["item_id"] if side == "new" else None,
        "relation": relation,
        "score": None,
        "link": None,
        "direction": None,
        "area": policy_area(item, use_sections=use_sections, frames=frames),
        "old_status": item.get("status") if side == "old" else None,
        "new_status": item.get("status") if side == "new" else None,
        "old_deadline": item.get("deadline") if side == "old" else None,
        "new_deadline": item.get("deadline") if side == "new" else None,
        "deadline_shift_months": None,
        "old_done": _done(item) if side == "old" else None,
        # every target goes or comes with its task: not "no longer quantified", which reads as a
        # task carried on without its number
        "target_changes": [{**change, "direction": "dropped_with_task" if side == "old" else "new_with_task"}
                           for change in (compare_targets(item.get("targets"), None) if side == "old"
                                          else compare_targets(None, item.get("targets")))],
        "units_added": [],
        "units_removed": [],
        "wording_similarity": None,
        "diff_text": None,
        "diff_ops": [],
        "old_text": item.get("text") if side == "old" else None,
        "new_text": item.get("text") if side == "new" else None,
    }


def item_classes(table: pl.DataFrame) -> pl.DataFrame:
    """One row per item of either year: ``side (old|new), item_id, relation, area``.

    An item in several rows (a split old item, a merged new item) has one class: the
    rows' relations agree by construction, the first row is kept.
    """
    old = table.filter(pl.col("old_id").is_not_null()).select(
        pl.lit("old").alias("side"), pl.col("old_id").alias("item_id"), "relation", "area"
    )
    new = table.filter(pl.col("new_id").is_not_null()).select(
        pl.lit("new").alias("side"), pl.col("new_id").alias("item_id"), "relation", "area"
    )
    return pl.concat([old, new]).unique(["side", "item_id"], keep="first", maintain_order=True)


def relation_counts(table: pl.DataFrame) -> pl.DataFrame:
    """Items per class and year side (``relation, old_items, new_items``), every class listed."""
    classes = item_classes(table)
    counts = classes.group_by("relation", "side").len().pivot(on="side", index="relation", values="len")
    for side in ("old", "new"):
        if side not in counts.columns:
            counts = counts.with_columns(pl.lit(0, dtype=pl.UInt32).alias(side))
    base = pl.DataFrame({"relation": list(RELATIONS)})
    return base.join(counts, on="relation", how="left").select(
        "relation",
        pl.col("old").fill_null(0).cast(pl.Int64).alias("old_items"),
        pl.col("new").fill_null(0).cast(pl.Int64).alias("new_items"),
    )


# A rate of change over the year (增长7.5%, 下降3%), set anew each year; not a share reached (完成率100%).
def _set_each_year(old: dict, new: dict) -> bool:
    """Whether the later task sets the earlier one's commitment again for its own year rather than carrying
    it unfinished: rates of change (增长7.5%以上 → 增长7%左右, 一般性支出压减5%以上 again), the year's additions
    and wholes (新增“四上”企业30家 → 40家, 全年实施项目120个 → 100个; the later year may add a project beside
    them), shares and running totals set anew (一网通办率达到95% → 98%, 亿元楼宇达到28座 → 30座), ceilings and yearly
    averages (PM2.5年均浓度控制在35以内) and work that goes on without a figure (深化平安建设, 推进…保护)
    and is not finished the next year. Still under way at the first year's end, such a task is set again for the
    next, not 12 months late; a project to finish (建成…学校, 推进…建设 → 建成投运) is, and so is a figure set
    again unchanged (完成率100%, 普及率提高至90%)."""
    def of_its_year(target: dict) -> bool:
        raw, indicator = target.get("raw") or "", target.get("indicator") or ""
        return bool(_YEARS_ADDITION.search(raw or indicator)
                    or unit_family(target.get("unit")) == "percent" and _YEARLY_CHANGE.search(indicator)
                    and not _TO_A_LEVEL.search(raw)
                    # a ceiling kept, or a yearly average (PM2.5年均浓度控制在35以内): met or missed in each year
                    or target.get("qualifier") in _CEILINGS or "年均" in indicator)

    # a project finishing, said outside any target (区人民医院新院区建成投用，床位达到600张) or before its figure
    # (城东水厂建成投运后日供水能力达到10万吨; not 累计建成5G基站达到3000个)
    outside = normalize_text(f"{old.get('text') or ''} {new.get('text') or ''}")
    for target in (old.get("targets") or []) + (new.get("targets") or []):
        outside = outside.replace(target.get("raw") or "\0", " ")
    finishing = bool(_FINISHED_WORK.search(outside))

    def a_project(target: dict) -> bool:
        """A named project's figure (地铁14号线里程, 新院区床位, 供热工程管网长度, 体育公园完成投资, 水厂建成投运后日供水
        能力), not a count or a measure of what there is (企业技术中心达到55家, 建成区面积, 污水管网长度, 藏书量)."""
        indicator, raw = target.get("indicator") or "", target.get("raw") or ""
        return bool(_A_PROJECT.search(indicator)) or bool(_BUILT.search(indicator)) \
            and target.get("unit") not in _COUNTS_OF_THINGS and not _CITY_WIDE.match(indicator) \
            or unit_family(target.get("unit")) == "money" and "投资" in indicator and bool(_A_FACILITY.search(indicator)) \
            or bool(_BUILT_BEFORE.search(raw))

    def a_level(target: dict) -> bool:  # a share to reach (达到95%), not a rate of change, or a running total
        # (税收过亿元楼宇达到30座, 地区生产总值达到1080亿元: the figure there is, not what the year builds)
        return unit_family(target.get("unit")) == "percent" and not of_its_year(target) \
            or target.get("qualifier") == "达到" and unit_family(target.get("unit")) != "percent" \
            and not finishing and not a_project(target)

    def levels(targets: list[dict]) -> set[tuple[str, float]]:
        return {(unit_family(t.get("unit")), t["value"]) for t in targets if a_level(t)}

    old_targets, new_targets = old.get("targets") or [], new.get("targets") or []
    if not old_targets:
        old_text = normalize_text(old.get("text") or "")
        project = _PUSHED_PROJECT.match(old_text)
        policy = project and project.group("kind") == "建设" and _POLICY_WORK.search(project.group("what")) \
            and not _FACILITY_END.search(project.group("what"))
        new_text = normalize_text(new.get("text") or "")
        pushed = re.sub(rf"^(?:要|将)?{_PUSHED_ON}", "", old_text)
        # 推进东街口地下空间提升改造 → 完成东街口…: the work pushed on the year before finishes now (read 提前7个月),
        # also beside a deliverable (…，新增停车位200个); not the next year's batch (完成老旧小区改造30个, …，惠及居民
        # 1.2万户, …年度任务)
        finished = re.split(r"[,，;；。]", new_text)[0]
        finishes = finished.startswith("完成") and len(pushed) >= 4 and pushed[:4] in finished \
            and not re.search(r"\d", finished) and not re.search(r"年度|任务|目标|惠及|涉及|受益|覆盖", new_text)
        return bool(_ONGOING_WORK.match(old_text)) and not (project and not policy) and not finishes \
            and not _FINISHED_WORK.search(old_text) and not _FINISHED_WORK.search(new_text)
    # a share set anew (95% → 98%) is the next year's; one set again unchanged (完成率100%) is the same task late
    reset = levels(old_targets) != levels(new_targets)

    def yearly(target: dict) -> bool:
        return of_its_year(target) or a_level(target) and reset

    return all(yearly(t) for t in old_targets) and any(yearly(t) for t in new_targets)


_A_PROJECT = re.compile(r"号线|院区")  # one named project's figure
# … or a built thing's, unless it counts such things (城东污水处理厂日处理能力; not 全区污水处理厂's)
_BUILT = re.compile(r"项目|工程|污水处理厂|水厂|水库|会展中心")
_CITY_WIDE = re.compile(r"全区|全市|全县|全镇|全省|城市|各|县城|乡镇")  # 全区城镇污水处理厂处理能力: all there is
# a facility built, then its figure (城东水厂建成投运日供水能力达到; not 累计建成投运充电桩达到3000个)
_BUILT_BEFORE = re.compile(r"[厂馆库站院场桥路](?:建成|竣工)(?:投运|投用)|(?:建成|投运|投用|通车|竣工)后")
# a facility's investment (体育公园完成投资), not a city's (全社会固定资产投资, 工业投资)
_A_FACILITY = re.compile(r"项目|工程|公园|场|馆|学校|中学|小学|医院|大道|道路|桥|站|厂|中心(?!城区)")
_COUNTS_OF_THINGS = {"个", "家", "座", "条", "所", "项", "处", "场", "次", "人次", "人"}  # (or of its yearly activity)
_YEARLY_CHANGE = re.compile(r"增长|增速|增幅|下降|降幅|提高|降低|减少|压减|压降")
_TO_A_LEVEL = re.compile(r"(?:提高|提升|降低|下降|增长|增加|减少|压减|压降)(?:至|到)")  # 提高至90%: a level, not a change
# Work that goes on from year to year, with no figure to reach: 深化平安建设, 持续优化营商环境, 推进东湖绿心生态保护;
# not a project pushed on (推进…污水处理厂建设, still building a year later, is a year late), nor work either year
# says it finishes (力争年底建成, 建成投运).
_PUSHED_ON = r"(?:持续|有序|稳步|加快|扎实|全力)?推进"
_ONGOING_WORK = re.compile(rf"^(?:要|将|坚持|始终)?(?:{_PUSHED_ON}|深化|深入|持续|加强|巩固|常态化|健全"
                           r"|完善|优化|强化|做好|抓好|落实)")
_FINISHED_WORK = re.compile(r"建成|投运|投用|投入使用|投入运行|投入运营|完工|竣工|开通|通车|交付")
# a project built (推进城东污水处理厂建设, 水库建设, 综合管廊建设), not policy work named 建设 (法治政府建设, 平安莲湖建设)
_PUSHED_PROJECT = re.compile(rf"^(?:要|将)?{_PUSHED_ON}(?P<what>[^,，;；。]{{0,30}}?)(?P<kind>建设|工程|项目)")
# … is policy work when it names a policy and no facility (法治政府建设, 平安校园建设, 健康灞桥建设; not 文明实践中心建设,
# 智慧停车场建设, 投资项目)
_POLICY_WORK = re.compile(r"法治|平安|文明|智慧|数字|信用|诚信|廉洁|廉政|作风|党风|队伍|体系|机制|制度|能力|营商环境|品牌|政府"
                          r"|健康|书香|美丽|和美|宜居")
# (a campus or a place is no facility: 平安校园, 健康灞桥; a bridge is named so: 灞河大桥, 立交桥, 人行天桥; 健康步道,
# 健康小屋, 宜居住房, 美丽河道, 大数据平台 are built)
_FACILITY_END = re.compile(r"(?:中心|(?<![校家田])园|场|站|厂|馆|院|楼|路|道|(?:大|立交|天|跨线)桥|线|库|廊|网|基地|设施|学校"
                           r"|医院|工程|项目|综合体|屋|房|平台|河|湖|渠)$")


_YEARS_ADDITION = re.compile(r"新增|新培育|新引进|新认定|全年")
_CEILINGS = ("以内", "以下", "不超过", "不高于", "之内")


def later_deadlines(table: pl.DataFrame) -> pl.DataFrame:
    """Carried-forward tasks now due later than the earlier plan said, the longest slip first:
    what a 督查办 asks about (``old_id, new_id, old_deadline, new_deadline, deadline_change, new_text``)."""
    return (
        table.filter(pl.col("deadline_shift_months") > 0)
        .sort("deadline_shift_months", "old_id", descending=[True, False])
        .select("old_id", "new_id", "old_deadline", "new_deadline", _deadline_change(), "new_text")
    )


def _deadline_change() -> pl.Expr:
    """``deadline_shift_months`` in words (推迟3个月), as ``deadline_change``."""
    return (
        pl.col("deadline_shift_months")
        .map_elements(describe_shift, return_dtype=pl.String, skip_nulls=False)
        .alias("deadline_change")
    )


def area_counts(table: pl.DataFrame) -> pl.DataFrame:
    """Items per policy area and class (area of the row: old item's, or new item's for ``new``).

    Columns: ``area`` then one count column per class present; an item counts once per
    side, so a continued pair counts two (its old and its new item).
    """
    classes = item_classes(table)
    if classes.is_empty():
        return pl.DataFrame(schema={"area": pl.String, "total": pl.Int64})
    wide = classes.group_by("area", "relation").len().pivot(on="relation", index="area", values="len")
    present = [r for r in RELATIONS if r in wide.columns]
    return (
        wide.select("area", *[pl.col(r).fill_null(0).cast(pl.Int64) for r in present])
        .with_columns(pl.sum_horizontal(present).alias("total"))
        .sort(["total", "area"], descending=[True, False])
    )


# ---------------------------------------------------------------- chains


def chains(steps: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """A task's line through three or more years, from consecutive evolution tables.

    ``steps[k]`` is :func:`evolve` of document k → k+1 (documents sorted by year). Each
    chain starts at an item of the first document or at a ``new`` item, and follows its
    links forward; a split branches into one chain per successor (a merge therefore
    appears in the chains of both predecessors). Returns ``chain_id, step, old_id,
    new_id, relation``, one row per step the chain takes, ending at a ``dropped`` row or
    at the last document.
    """
    forward: list[dict[str, list[tuple[str | None, str]]]] = []
    for table in steps:
        step_map: dict[str, list[tuple[str | None, str]]] = {}
        for old_id, new_id, relation in table.filter(pl.col("old_id").is_not_null()).select(
            "old_id", "new_id", "relation"
        ).iter_rows():
            step_map.setdefault(old_id, []).append((new_id, relation))
        forward.append(step_map)
    rows: list[dict] = []
    chain_id = 0

    def walk(step: int, item_id: str, trail: list[dict]) -> None:
        nonlocal chain_id
        if step == len(steps):
            chain_id += 1
            rows.extend({**r, "chain_id": chain_id} for r in trail)
            return
        for new_id, relation in forward[step].get(item_id, [(None, "dropped")]):
            here = trail + [{"step": step, "old_id": item_id, "new_id": new_id, "relation": relation}]
            if new_id is None:
                chain_id += 1
                rows.extend({**r, "chain_id": chain_id} for r in here)
            else:
                walk(step + 1, new_id, here)

    if steps:
        for old_id in steps[0].filter(pl.col("old_id").is_not_null())["old_id"].unique(maintain_order=True):
            walk(0, old_id, [])
    for step, table in enumerate(steps):
        for new_id in table.filter(pl.col("relation") == "new")["new_id"].to_list():
            walk(step + 1, new_id, [{"step": step, "old_id": None, "new_id": new_id, "relation": "new"}])
    schema = {"chain_id": pl.Int64, "step": pl.Int64, "old_id": pl.String, "new_id": pl.String, "relation": pl.String}
    return pl.DataFrame(rows, schema=schema).select(list(schema))


def describe_chains(chain_table: pl.DataFrame) -> pl.DataFrame:
    """One readable line per chain: ``a:1 →lowered→ b:1 →continued→ c:3``."""
    step = pl.format(" →{}→ {}", pl.col("relation"), pl.col("new_id").fill_null("∅"))
    return (
        chain_table.group_by("chain_id", maintain_order=True)
        .agg(pl.col("old_id").sort_by("step").first().fill_null("∅").alias("start"),
             step.sort_by("step").str.join("").alias("steps"))
        .select(pl.col("chain_id").cast(pl.Int64), (pl.col("start") + pl.col("steps")).alias("line"))
    )


def chain_overview(chain_table: pl.DataFrame, tasks: pl.DataFrame,
                   steps: Sequence[pl.DataFrame] = ()) -> pl.DataFrame:
    """One row per chain for a planner: its line in words (→不再出现→, not →dropped→), the relations on
    it, the task it starts from (``tasks``: ``item_id`` and ``task`` of every document of the series) and,
    given the ``steps`` (:func:`evolve` tables, one per pair of years), how its targets changed on the way
    (``changes``: 增长: 8%以上 → 7%左右 (降低 lowered), one per line), so a planner reads the raised and lowered
    in the list, not one line at a time."""
    lines = describe_chains(chain_table).with_columns(
        pl.col("line").str.replace_many([f"→{code}→" for code in RELATION_LABELS],
                                        [f"→{label.split()[0]}→" for label in RELATION_LABELS.values()])
    )
    overview = (
        chain_table.group_by("chain_id", maintain_order=True)
        .agg(pl.col("old_id").first().fill_null(pl.col("new_id").first()).alias("start"),
             pl.col("relation").alias("relations"))
        .with_columns(pl.col("chain_id").cast(pl.Int64))
        .join(lines, on="chain_id", how="left", maintain_order="left")
        .join(tasks, left_on="start", right_on="item_id", how="left", maintain_order="left")
    )
    if not steps:
        return overview
    changed = pl.concat([
        step.select(pl.lit(i, dtype=chain_table.schema["step"]).alias("step"), "old_id", "new_id",
                    pl.col("target_changes").map_elements(
                        lambda changes: format_target_changes(
                            # what the line itself does not say: not a target gone or come with its task
                            [c for c in changes if c["direction"] not in ("unchanged", "dropped_with_task",
                                                                          "new_with_task", None)]),
                        return_dtype=pl.String).alias("changes"))
        for i, step in enumerate(steps)
    ])
    per_chain = (chain_table.join(changed, on=["step", "old_id", "new_id"], how="left", nulls_equal=True)
                 .sort("step").group_by("chain_id", maintain_order=True)
                 .agg(pl.col("changes").filter(pl.col("changes") != "").str.join("\n"))
                 .with_columns(pl.col("chain_id").cast(pl.Int64)))
    return overview.join(per_chain, on="chain_id", how="left", maintain_order="left")


# ---------------------------------------------------------------- documents


def places_with_series(registry: pl.DataFrame) -> list[str]:
    """The jurisdictions with plans of two or more years (``registry``: ``registry_frame``), sorted:
    those whose tasks can be followed across years."""
    return (registry.group_by("jurisdiction").agg(pl.col("year"))
            .filter(pl.col("year").list.n_unique() >= 2).sort("jurisdiction")["jurisdiction"].to_list())


def one_per_year(registry: pl.DataFrame, place: str) -> list[str]:
    """The first registered document of each year of ``place``, oldest first: a year with a report and its
    task table compares one of them, which the planner may change."""
    docs = registry.filter(pl.col("jurisdiction") == place).sort("year", maintain_order=True)
    return docs.unique("year", keep="first", maintain_order=True)["id"].to_list()


def check_same_jurisdiction(metas: Sequence[DocumentMeta]) -> None:
    """Raise :class:`JurisdictionMismatchError` unless every document is of one jurisdiction."""
    places = {meta.jurisdiction for meta in metas}
    if len(places) > 1:
        shown = ", ".join(f"{m.id} ({m.jurisdiction})" for m in metas)
        raise JurisdictionMismatchError(
            f"Year-to-year evolution compares documents of one jurisdiction. Got {shown} instead. "
            "Pick two documents of the same jurisdiction ('plan-align docs' lists them).",
            zh="逐年对比只比较同一辖区的文档，现为" + "、".join(f"{m.id}（{m.jurisdiction}）" for m in metas),
        )


def check_distinct_years(metas: Sequence[DocumentMeta]) -> None:
    """Refuse two documents of one year: carried forward, raised or new mean nothing within a year
    (a report and its own task table of one year are two documents to match, not two years)."""
    by_year: dict[int, list[str]] = {}
    for meta in {meta.id: meta for meta in metas}.values():  # one document twice: the matcher says so
        by_year.setdefault(meta.year, []).append(meta.id)
    if shared := {year: ids for year, ids in by_year.items() if len(ids) > 1}:
        year, ids = min(shared.items())
        raise PlanAlignError(
            f"Evolution compares one jurisdiction's plans of different years, but {' and '.join(ids)} "
            f"are both of {year}. "
            "Choose one document per year; to align two documents of one year, match them "
            "(the Review page, or 'plan-align match').",
            zh=f"逐年对比需要不同年份的文档，{'、'.join(ids)} 都是 {year} 年的；"
               "每年选一份，同一年的两份文档请在审核页或用 plan-align match 对齐",
        )


def evolve_documents(
    settings: Settings, old_id: str, new_id: str, *, min_score: float | None = None, **options: float
) -> pl.DataFrame:
    """:func:`evolve` on two registered documents of one jurisdiction, matched one-to-one.

    A one-to-one pair needs ``min_score`` (default ``settings.one_to_one_threshold``, 0.3,
    below the link model's 0.42: an assignment pairs each task once, so it can afford a lower
    floor than links that may be many). On Baqiao 2020 → 2023 (the model's own training labels)
    a floor of 0.3 gives links P 0.839 R 0.703, the model's threshold P 0.889 R 0.649, and 0.15
    P 0.743 R 0.703: the same-jurisdiction prior already lifts carried-forward tasks.
    """
    from align.ingest import load_items
    from align.registry import get_document
    from matching.engine import match_documents

    metas = [get_document(settings.data_dir, old_id), get_document(settings.data_dir, new_id)]
    check_same_jurisdiction(metas)
    check_distinct_years(metas)
    if metas[0].year > metas[1].year:  # backwards, every carried-forward task would read as new
        raise PlanAlignError(
            f"Evolution runs forward in time: {old_id} ({metas[0].year}) is later than {new_id} "
            f"({metas[1].year}). Give the earlier document first.",
            zh=f"逐年对比按时间先后：{old_id}（{metas[0].year} 年）晚于 {new_id}（{metas[1].year} 年），请先给较早的文档",
        )
    candidates = match_documents(
        settings if min_score is None else settings.with_changes(one_to_one_threshold=min_score),
        old_id, new_id, one_to_one_pairs=True,
    )
    old_items, new_items = load_items(settings, old_id), load_items(settings, new_id)
    return evolve(
        old_items, new_items, candidates, old_year=metas[0].year, new_year=metas[1].year,
        decisions=reviewed_links(settings, (old_id, new_id), old_items, new_items), **options,
    )


def reviewed_links(
    settings: Settings, pair: tuple[str, str], old_items: pl.DataFrame, new_items: pl.DataFrame
) -> pl.DataFrame | None:
    """The decisions in effect between two years' plans, as old → new rows, made on the text the
    items hold now; None without a decision store."""
    from align.items import text_digests
    from align.store import DecisionStore, on_current_text
    from matching.review import pair_decisions

    if not Path(settings.db_path).is_file():
        return None
    with DecisionStore(settings.db_path) as store:
        decided = pair_decisions(store.current(), *pair)
    return on_current_text(decided, text_digests(old_items) | text_digests(new_items))


def evolve_series(
    settings: Settings, doc_ids: Sequence[str], **options: float
) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """Evolution tables of consecutive years and their chains, documents sorted by year."""
    from align.registry import get_document

    metas = sorted((get_document(settings.data_dir, d) for d in doc_ids), key=lambda m: m.year)
    check_same_jurisdiction(metas)
    check_distinct_years(metas)
    steps = [evolve_documents(settings, a.id, b.id, **options) for a, b in zip(metas, metas[1:])]
    return steps, chains(steps)


HEADLINE_SCHEMA: Schema = {"old_doc": pl.String(), "new_doc": pl.String(), "indicator": pl.String(),
                           "old": pl.String(), "new": pl.String(), "direction": pl.String()}


def headline_changes(old_indicators: Sequence[dict], new_indicators: Sequence[dict], *, old_doc: str = "",
                     new_doc: str = "") -> pl.DataFrame:
    """How two plans' headline targets (主要预期目标) changed: 地区生产总值增长 7.5%以上 → 7%左右, lowered.

    A report's headline targets are no task of it, so the task table never compared them; they are
    paired as a task's targets are (:func:`compare_targets`: the same kind of measure, the closest
    name), one row per indicator of either year. Empty unless both plans state some: a task table
    beside a report would make every headline target "newly quantified"."""
    if not old_indicators or not new_indicators:  # a task table states none: every target is not "new"
        return pl.DataFrame(schema=HEADLINE_SCHEMA)
    rows = [{"old_doc": old_doc, "new_doc": new_doc, "indicator": change["indicator"], "old": change["old"] or None,
             "new": change["new"] or None, "direction": change["direction"]}
            for change in compare_targets(old_indicators, new_indicators)]
    return pl.DataFrame(rows, schema=HEADLINE_SCHEMA)


def headline_series(settings: Settings, doc_ids: Sequence[str]) -> list[pl.DataFrame]:
    """:func:`headline_changes` of consecutive years, documents sorted by year as :func:`evolve_series`
    sorts them; a table is empty where neither plan states headline targets (a task table)."""
    from align.ingest import load_indicators
    from align.registry import get_document

    metas = sorted((get_document(settings.data_dir, d) for d in doc_ids), key=lambda m: m.year)
    stated = [load_indicators(settings, meta.id) for meta in metas]  # each plan's once, though most are in two pairs
    return [headline_changes(old, new, old_doc=a.id, new_doc=b.id)
            for a, b, old, new in zip(metas, metas[1:], stated, stated[1:])]


def headlines_for_planners(table: pl.DataFrame) -> pl.DataFrame:
    """The headline changes with Chinese headers and the direction in words, for screens and spreadsheets."""
    return table.select(
        pl.concat_str("old_doc", pl.lit(" → "), "new_doc").alias("文档 documents"),
        pl.col("indicator").alias("指标 indicator"),
        pl.col("old").fill_null("—").alias("上期 before"), pl.col("new").fill_null("—").alias("本期 after"),
        pl.col("direction").replace_strict(DIRECTION_LABELS, default=pl.col("direction")).alias("变化 change"),
    )


# ---------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class EvolutionEvaluation:
    """Links against the gold (labelled old items only) and target-change direction accuracy."""

    precision: float
    recall: float
    precision_related: float
    recall_related: float
    predicted: int
    direct_links: int
    related_links: int
    direction_accuracy: float
    direction_pairs: int
    direction_pairs_linked: int
    details: pl.DataFrame

    def lines(self) -> list[str]:
        return [
            f"links (grade 2):  precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"({self.predicted} predicted on labelled items, {self.direct_links} gold)",
            f"links (grade ≥1): precision {self.precision_related:.3f}  recall {self.recall_related:.3f}  "
            f"({self.related_links} gold)",
            f"target-change direction: accuracy {self.direction_accuracy:.3f} on {self.direction_pairs} gold pairs "
            f"stating a change ({self.direction_pairs_linked} of them linked by the alignment)",
        ]




_SHARE_OF_TOTAL = re.compile(r"[(（]合计([^()（）]+)[)）]")


def gold_direction(change: str) -> tuple[str, list[dict], list[dict]]:
    """The direction a gold ``change`` text (``7.5%以上 → 8%以上``) states, with both sides' targets; a side
    written as the table writes a split's share, ``6所（合计9所）``, is judged on its total, as the table is;
    several changes, ``6所 → 8所；6000个 → 7500个``, are judged together, each side by side (the two were one
    change, 6所 → 8所 6000个, read no longer quantified)."""
    if len(parts := [part for part in re.split(r"[；;\n]", change) if "→" in part]) > 1:
        each = [gold_direction(part) for part in parts]
        return (overall_direction([direction for direction, _, _ in each]) or "missing",
                [t for _, before, _ in each for t in before], [t for _, _, after in each for t in after])
    left, _, right = (total.group(1) if (total := _SHARE_OF_TOTAL.search(side)) else side
                      for side in change.partition("→"))
    before, after = extract_targets(left), extract_targets(right)
    if {"家", "户"} <= {t.get("unit") for t in before + after}:  # 15家 → 18户: bare counts of the same firms
        before, after = ([{**t, "unit": "家"} if t.get("unit") == "户" and not t.get("indicator") else t for t in side]
                         for side in (before, after))
    return overall_direction([c["direction"] for c in compare_targets(before, after)]) or "missing", before, after


def _same_target(a: dict, b: dict) -> bool:
    return unit_family(a.get("unit")) == unit_family(b.get("unit")) and math.isclose(_scaled(a), _scaled(b))


def evaluate_evolution(
    table: pl.DataFrame, gold: pl.DataFrame, old_items: pl.DataFrame, new_items: pl.DataFrame
) -> EvolutionEvaluation:
    """Precision and recall of the links, and direction accuracy on gold pairs with a ``change``.

    Only old items the gold labels count (an unlabelled item is neither right nor wrong).
    The direction of a gold pair the table links is the table's (a split's share judged on its total), else it is
    read from the items' own targets; either way restricted to the targets the gold change names.
    """
    labelled = set(gold["source_id"].to_list())
    links = gold.filter(pl.col("target_id").is_not_null())
    direct = {(s, t) for s, t, g in links.select("source_id", "target_id", "grade").iter_rows() if g >= 2}
    related = {(s, t) for s, t, g in links.select("source_id", "target_id", "grade").iter_rows() if g >= 1}
    linked = table.filter(pl.col("old_id").is_not_null() & pl.col("new_id").is_not_null())
    predicted = {(s, t) for s, t in linked.select("old_id", "new_id").iter_rows() if s in labelled}

    def prf(truth: set) -> tuple[float, float]:
        hits = len(predicted & truth)
        return (hits / len(predicted) if predicted else 0.0, hits / len(truth) if truth else 0.0)

    precision, recall = prf(direct)
    precision_related, recall_related = prf(related)
    targets_of = {
        row["item_id"]: row["targets"] or [] for row in pl.concat([old_items, new_items]).select("item_id", "targets").to_dicts()
    }
    # a pair the table holds is judged as the table judged it (a split's share on its total); any other on the two
    # items' own targets
    judged = {(o, n): changes or [] for o, n, changes in linked.select("old_id", "new_id", "target_changes").iter_rows()}
    details = []
    changes = gold.filter(pl.col("change").is_not_null() & (pl.col("change").str.strip_chars() != ""))
    for source, target, change in changes.select("source_id", "target_id", "change").iter_rows():
        expected, before, after = gold_direction(change)
        old_targets, new_targets = targets_of.get(source, []), targets_of.get(target, [])
        chosen = []
        if (source, target) in judged:
            chosen = [record["direction"] for record in judged[(source, target)]
                      if any(record["old_value"] is not None and math.isclose(record["old_value"], b["value"]) for b in before)
                      or any(record["new_value"] is not None and math.isclose(record["new_value"], a["value"]) for a in after)]
        else:
            for record, (i, j) in zip(compare_targets(old_targets, new_targets), pair_targets(old_targets, new_targets)):
                old = old_targets[i] if i is not None else None
                new = new_targets[j] if j is not None else None
                if (old and any(_same_target(old, b) for b in before)) or (new and any(_same_target(new, a) for a in after)):
                    chosen.append(record["direction"])
        found = overall_direction(chosen) or "missing"
        details.append(
            {
                "old_id": source, "new_id": target, "change": change, "gold_direction": expected,
                "direction": found, "correct": found == expected, "linked": (source, target) in predicted,
            }
        )
    detail_frame = pl.DataFrame(
        details,
        schema={"old_id": pl.String, "new_id": pl.String, "change": pl.String, "gold_direction": pl.String,
                "direction": pl.String, "correct": pl.Boolean, "linked": pl.Boolean},
    )
    return EvolutionEvaluation(
        precision=precision, recall=recall, precision_related=precision_related, recall_related=recall_related,
        predicted=len(predicted), direct_links=len(direct), related_links=len(related),
        direction_accuracy=float(detail_frame["correct"].sum()) / detail_frame.height if detail_frame.height else 0.0,
        direction_pairs=detail_frame.height,
        direction_pairs_linked=int(detail_frame["linked"].sum()) if detail_frame.height else 0,
        details=detail_frame,
    )


__all__ = [
    "DIRECTIONS", "EVOLUTION_SCHEMA", "EvolutionEvaluation", "JurisdictionMismatchError", "RELATIONS", "area_counts",
    "chains", "compare_pair", "compare_targets", "describe_chains", "evaluate_evolution", "evolve",
    "evolve_documents", "evolve_series", "format_target_changes", "gold_direction", "item_classes", "overall_direction",
    "pair_relation", "pair_targets", "policy_area", "relation_counts", "target_direction", "unit_changes",
    "wording_diff", "year_links",
]
