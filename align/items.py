"""The one plan-item schema shared by every kind of document."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

import polars as pl
from polars._typing import PolarsDataType

if TYPE_CHECKING:  # the registry reads item tables; the items need only the type
    from align.registry import DocumentMeta

# A column-name → dtype mapping (polars accepts both dtype classes and instances).
Schema: TypeAlias = dict[str, PolarsDataType]

TARGET_STRUCT = pl.Struct(
    {"indicator": pl.String, "value": pl.Float64, "unit": pl.String, "qualifier": pl.String, "raw": pl.String,
     "upper": pl.Float64}
)
QUOTA_STRUCT = pl.Struct({"jurisdiction": pl.String, "value": pl.Float64, "unit": pl.String, "raw": pl.String})
ATTACHMENT_STRUCT = pl.Struct({"heading": pl.String, "text": pl.String})

ITEM_SCHEMA: Schema = {
    "doc_id": pl.String,
    "item_id": pl.String,
    "number": pl.String,
    "section_path": pl.List(pl.String),
    "title": pl.String,
    "text": pl.String,
    "raw_text": pl.String,
    "units": pl.List(pl.String),
    "status": pl.String,
    "progress": pl.String,
    # When the task is due, as its table writes it (完成时限 2023年12月底前); null without one.
    "deadline": pl.String,
    "targets": pl.List(TARGET_STRUCT),
    "quotas": pl.List(QUOTA_STRUCT),
    # [first, last] line of the item in its file; an item with an attachment (附件) adds the
    # attachment's [first, last], which lies elsewhere in the file.
    "source_lines": pl.List(pl.Int64),
    # Not in the core schema of the issue but carried for city plans: the item's
    # attachment (implementation plan) as (heading, text) sections, and unit keys.
    "attachment": pl.List(ATTACHMENT_STRUCT),
    "unit_keys": pl.List(pl.String),
}

SCHEMA_FIELDS = [
    "doc_id", "item_id", "number", "section_path", "title", "text", "raw_text", "units",
    "status", "progress", "targets", "quotas", "source_lines",
]
#: How a task table's ``status`` codes read to a planner (screens and spreadsheets; Parquet keeps codes).
STATUS_LABELS = {"done": "已完成 done", "in_progress": "推进中 in progress"}


def doc_of(item_id: str) -> str:
    """The document id of an item id: the part before the first colon (``baqiao-2023:17``)."""
    return item_id.split(":", 1)[0]


def doc_of_column(column: str) -> pl.Expr:
    """:func:`doc_of` over a column of item ids."""
    return pl.col(column).str.split(":").list.first()


def shown_text() -> pl.Expr:
    """An item's text for display, or its title where the text is blank."""
    return pl.when(pl.col("text").str.strip_chars() != "").then("text").otherwise("title")


def text_digests(items: pl.DataFrame) -> dict[str, str]:
    """Each item's id → a fingerprint of its shown text. A decision keeps the fingerprints of
    the two texts it judged, so a plan re-issued in place, with other text under the same
    number, is noticed instead of carrying the old decision over to a new task."""
    texts = items.select("item_id", shown_text().fill_null("").alias("text")).rows()
    return {item_id: hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] for item_id, text in texts}


def plan_digest(digests: Mapping[str, str], doc_id: str) -> str | None:
    """A fingerprint of a whole plan from its items' (``text_digests``): what a 无对应 judged, since
    "nothing in xian-2024 serves it" holds for that edition of xian-2024 only. None for a plan the
    digests do not cover."""
    own = sorted((item_id, digest) for item_id, digest in digests.items() if doc_of(item_id) == doc_id)
    return hashlib.sha256(repr(own).encode("utf-8")).hexdigest()[:16] if own else None


def filled_columns(frame: pl.DataFrame, names: Sequence[str]) -> list[str]:
    """Those of ``names`` with a value in some row: a column most plans leave empty (a task
    table's deadline) is shown only for a plan that has it."""
    return [name for name in names if frame[name].null_count() < frame.height]


def written_phrases(phrases: Sequence[str | None]) -> str:
    """Target phrases as written, joined by ``；``, each once: in 实现剩余34户53人全部脱贫 the
    53人 is read from a phrase inside the 34户 one, and showing both would say it twice."""
    texts = [p or "" for p in phrases]
    kept = [p for i, p in enumerate(texts)
            if p and not any(p in q and (p != q or j < i) for j, q in enumerate(texts) if j != i)]
    return "；".join(kept)


def written_targets(targets: Sequence[dict] | None) -> str:
    """:func:`written_phrases` of an item's targets."""
    return written_phrases([t.get("raw") for t in targets or []])


def quota_label(quota: pl.Expr) -> pl.Expr:
    """A quota (a :data:`QUOTA_STRUCT`) as written (``灞桥区200个``), its jurisdiction put first only
    where the text lacks it."""
    raw, place = quota.struct.field("raw").fill_null(""), quota.struct.field("jurisdiction").fill_null("")
    return pl.when(raw.str.contains(place, literal=True)).then(raw).otherwise(
        pl.concat_str(place, pl.lit(" "), raw).str.strip_chars())


def written_quotas(column: str = "quotas") -> pl.Expr:
    """Each item's quotas as written (:func:`quota_label`), joined by ``；``."""
    return pl.col(column).list.eval(quota_label(pl.element())).list.join("；")


def quotas_renamed(items: pl.DataFrame, place: DocumentMeta, plan: DocumentMeta) -> pl.DataFrame:
    """``items`` (of ``plan``) with each quota that names ``place`` as its parent's plans do (高新区 for
    宝鸡高新区 under 宝鸡市) naming it as the registry does, so the quota is found by that name; only in
    its parent's plans (咸阳市's 高新区 is another zone)."""
    written, registered = place.short_name, place.jurisdiction
    if written == registered or plan.jurisdiction != place.parent or "quotas" not in items.columns:
        return items
    renamed = pl.when(pl.field("jurisdiction") == written).then(pl.lit(registered)).otherwise(pl.field("jurisdiction"))
    return items.with_columns(pl.col("quotas").list.eval(pl.element().struct.with_fields(renamed.alias("jurisdiction"))))


def joined_targets(column: str = "targets") -> pl.Expr:
    """:func:`written_phrases` over a list-of-targets column (for display tables, which are small)."""
    return pl.col(column).list.eval(pl.element().struct.field("raw")).map_elements(
        lambda phrases: written_phrases(phrases.to_list()), return_dtype=pl.String)


def empty_items() -> pl.DataFrame:
    return pl.DataFrame(schema=ITEM_SCHEMA)


def items_frame(rows: list[dict]) -> pl.DataFrame:
    """Build the item table from row dicts, with the schema enforced."""
    if not rows:
        return empty_items()
    return pl.DataFrame(rows, schema=ITEM_SCHEMA)
