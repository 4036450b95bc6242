"""The decision store: reviewers' decisions on proposed links, as an append-only log in SQLite.

Nothing is ever updated or deleted: a decision is a new row, and an undo is a new row that
retracts an earlier one. The log is therefore also the audit trail, and two reviewers who
disagree both stay on record (see :meth:`DecisionStore.conflicts`) instead of the later one
silently winning.

A ``no_counterpart`` decision names no target item, so it names the document it looked in
(``target_doc``): "nothing in xian-2024 serves this task" says nothing of another city's plan.
Stores written before that column (schema 1) are migrated on opening; their no-counterpart
rows keep no document and count for every target plan, as they did when they were made.

Durability: the database runs in WAL mode with ``synchronous=FULL`` and every write is its own
``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction, finished before the call returns, so a decision
whose id was returned survives the process being killed the next instant. Several processes
(the app, the CLI, a second reviewer) may write at once; the busy timeout makes them queue.
"""

from __future__ import annotations

import logging
import math
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import polars as pl

from align.exceptions import Problem, StoreError
from align.files import describe_free, disk_nearly_full
from align.items import Schema, doc_of, doc_of_column, plan_digest

logger = logging.getLogger(__name__)

Decision = Literal["confirmed", "rejected", "no_counterpart", "unsure"]
DECISIONS: tuple[str, ...] = ("confirmed", "rejected", "no_counterpart", "unsure")
UNDO = "undo"
#: Decisions that take a position; ``unsure`` never conflicts with anything.
DEFINITE: tuple[str, ...] = ("confirmed", "rejected", "no_counterpart")
SCHEMA_VERSION = 2

LOG_SCHEMA: Schema = {
    "id": pl.Int64,
    "reviewer": pl.String,
    "decided_at": pl.String,
    "source_id": pl.String,
    "target_id": pl.String,
    "decision": pl.String,
    "note": pl.String,
    "score": pl.Float64,
    "engine_version": pl.String,
    "retracts": pl.Int64,
    "target_doc": pl.String,
    "source_digest": pl.String,
    "target_digest": pl.String,
}
HISTORY_SCHEMA: Schema = {**LOG_SCHEMA, "retracted": pl.Boolean}
CURRENT_SCHEMA: Schema = {k: v for k, v in LOG_SCHEMA.items() if k != "retracts"}
OVERALL_SCHEMA: Schema = {
    "source_id": pl.String,
    "target_id": pl.String,
    "target_doc": pl.String,
    "decision": pl.String,
    "reviewer": pl.String,
    "decided_at": pl.String,
    "reviewers": pl.List(pl.String),
    "decisions": pl.List(pl.String),
    "conflict": pl.Boolean,
}
CONFLICT_SCHEMA: Schema = {
    "kind": pl.String,
    "source_id": pl.String,
    "target_id": pl.String,
    "target_doc": pl.String,
    "reviewers": pl.List(pl.String),
    "decisions": pl.List(pl.String),
    "summary": pl.String,
    "last_decided_at": pl.String,
}
LINK_SCHEMA: Schema = {
    "source_doc": pl.String,
    "target_doc": pl.String,
    "source_id": pl.String,
    "target_id": pl.String,
    "score": pl.Float64,
    "reviewer": pl.String,
    "decided_at": pl.String,
    "engine_version": pl.String,
    "note": pl.String,
    "source_digest": pl.String,
    "target_digest": pl.String,
}

_ITEM_ID = re.compile(r"^[^:\s]+:\S+$")
_ROW_KEYS = {"reviewer", "source_id", "target_id", "target_doc", "decision", "note", "score", "engine_version",
             "source_digest", "target_digest"}
_DOC_ID = re.compile(r"^[^:\s]+$")
_DIGEST = re.compile(r"^[0-9a-f]{8,64}$")
_COLUMNS = ", ".join(LOG_SCHEMA)
_ADDED_IN_2 = ("target_doc", "source_digest", "target_digest")
_SCHEMA_1_COLUMNS = [column for column in LOG_SCHEMA if column not in _ADDED_IN_2]

_DDL = f"""
CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    reviewer       TEXT NOT NULL CHECK (length(trim(reviewer)) > 0),
    decided_at     TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    target_id      TEXT,
    decision       TEXT NOT NULL CHECK (decision IN ({", ".join(repr(d) for d in (*DECISIONS, UNDO))})),
    note           TEXT,
    score          REAL,
    engine_version TEXT,
    retracts       INTEGER REFERENCES decisions (id),
    target_doc     TEXT,
    source_digest  TEXT,
    target_digest  TEXT,
    CHECK (target_id IS NULL OR target_doc IS NULL),
    CHECK (decision = 'undo' OR (decision = 'no_counterpart') = (target_id IS NULL)),
    CHECK ((decision = 'undo') = (retracts IS NOT NULL))
);
CREATE INDEX decisions_pair ON decisions (source_id, target_id, reviewer);
CREATE UNIQUE INDEX decisions_retracts ON decisions (retracts) WHERE retracts IS NOT NULL;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
PRAGMA user_version = {SCHEMA_VERSION};
"""

# A row is effective when it is a decision (not an undo) that no undo row retracts.
_EFFECTIVE = (
    "d.decision != 'undo' AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.retracts = d.id)"
)

# Log rows as written, each with ``retracted``: whether an undo row retracts it.
_LOG_SELECT = f"SELECT {_COLUMNS}, EXISTS (SELECT 1 FROM decisions u WHERE u.retracts = d.id) FROM decisions d"


def decisions_on(current: pl.DataFrame, doc_id: str) -> int:
    """How many decisions in effect (``DecisionStore.current``) name an item of ``doc_id``, either side.

    A document with any cannot leave the registry: the decisions would lose the text they judged.
    """
    return current.filter(
        (doc_of_column("source_id") == doc_id)
        | (doc_of_column("target_id") == doc_id)
        | (pl.col("target_doc") == doc_id)
    ).height


def with_text_changes(frame: pl.DataFrame, digests: Mapping[str, str]) -> pl.DataFrame:
    """``frame`` (decisions or links, with ``source_id, target_id`` and their digests) with
    ``text_changed``: ``source``, ``target`` or ``both`` where the text decided on is no longer
    the item's text (``digests``: :func:`align.items.text_digests` of the documents now), or the
    item is no longer in its document, or, for a 无对应, the plan it looked in was re-issued
    (:func:`align.items.plan_digest`), else null; also null where it cannot be told (a decision
    from before fingerprints on an item still there, a document ``digests`` does not cover)."""
    changed = []
    covered = sorted({doc_of(item_id) for item_id in digests})
    plans = {doc: plan_digest(digests, doc) for doc in covered}  # what a 无对应 judged: the whole plan
    for side in ("source", "target"):
        now = pl.col(f"{side}_id").replace_strict(dict(digests), default=None, return_dtype=pl.String)
        if side == "target" and "target_doc" in frame.columns:
            now = pl.when(pl.col("target_id").is_null()).then(
                pl.col("target_doc").replace_strict(plans, default=None, return_dtype=pl.String)).otherwise(now)
        # a frame without fingerprints (decisions made by hand in code) tells only of items gone
        then = pl.col(f"{side}_digest") if f"{side}_digest" in frame.columns else pl.lit(None, dtype=pl.String)
        gone = pl.col(f"{side}_id").is_not_null() & now.is_null() & doc_of_column(f"{side}_id").is_in(covered)
        changed.append((then.is_not_null() & now.is_not_null() & (then != now) | gone).fill_null(False))
    return frame.with_columns(
        pl.when(changed[0] & changed[1]).then(pl.lit("both"))
        .when(changed[0]).then(pl.lit("source"))
        .when(changed[1]).then(pl.lit("target"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("text_changed")
    )


def on_current_text(decisions: pl.DataFrame, digests: Mapping[str, str]) -> pl.DataFrame:
    """The decisions made on the text the items hold now (``digests``: ``text_digests`` of the plans).

    A plan re-issued with other text under the same numbers keeps its decisions in the log, but a
    rejection or a 无对应 judged on the old text says nothing of the new: applied by number, it hid
    the task now under that number, and in a refit or on the Threshold page it labels a pair that is
    not there (the Review and Coverage pages mark them for a second look).
    """
    return with_text_changes(decisions, digests).filter(pl.col("text_changed").is_null()).drop("text_changed")


def judged_documents(decisions: pl.DataFrame) -> list[str]:
    """The documents whose current text :func:`standing` needs: those a rejection or 无对应 judged (its own
    item's and the other's, or the plan it looked in). None without such a decision, so a store of
    confirmations alone reads no plan."""
    against = decisions.filter(pl.col("decision").is_in(["rejected", "no_counterpart"]))
    return sorted(set(against.select(doc_of_column("source_id")).to_series().drop_nulls().to_list())
                  | set(against.select(doc_of_column("target_id")).to_series().drop_nulls().to_list())
                  | set(against["target_doc"].drop_nulls().to_list()))


def standing(decisions: pl.DataFrame, digests: Mapping[str, str] | None) -> pl.DataFrame:
    """The decisions that still take a position against a confirmation: a rejection or 无对应 judged on text
    a re-issued plan no longer holds (``digests``: ``text_digests`` of the plans now) says nothing of a
    confirmation made after it, on the new text. Against one made before (the two reviewers disagreed on
    one edition; another item of the plan changed since), it stands. All of them, without ``digests``."""
    if digests is None or decisions.is_empty():
        return decisions
    marked = with_text_changes(decisions, digests).with_row_index("row")
    stale = marked.filter(pl.col("text_changed").is_not_null()
                          & pl.col("decision").is_in(["rejected", "no_counterpart"]))
    if stale.is_empty():
        return decisions
    confirmed = decisions.filter((pl.col("decision") == "confirmed") & pl.col("target_id").is_not_null())
    ends = pl.concat([  # each confirmation from both its items
        confirmed.select(pl.col("source_id").alias("item"), pl.col("target_id").alias("other"), "decided_at"),
        confirmed.select(pl.col("target_id").alias("item"), pl.col("source_id").alias("other"), "decided_at"),
    ]).rename({"decided_at": "confirmed_at"})
    answered = stale.join(ends, left_on="source_id", right_on="item").filter(
        (pl.col("confirmed_at") > pl.col("decided_at"))
        & pl.when(pl.col("target_id").is_null()).then(doc_of_column("other") == pl.col("target_doc"))
        .otherwise(pl.col("other") == pl.col("target_id"))
    )["row"].unique()
    return marked.filter(~pl.col("row").is_in(answered.implode())).drop("row", "text_changed")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


#: How the store writes a decision's time (``2026-11-23T21:38:36.306614+00:00``), as polars reads it.
STORED_TIME = "%Y-%m-%dT%H:%M:%S%.f%:z"


def local_time(column: str, time_zone: str) -> pl.Expr:
    """A stored UTC time (``2026-11-23T21:38:36.306614+00:00``) as the reader's wall clock,
    ``2026-11-24 05:38:36``: what a planner reads in a table or an export. The store keeps UTC
    with microseconds, which orders decisions; this is only how they are shown."""
    return (
        pl.col(column)
        .str.to_datetime(STORED_TIME, time_zone="UTC", strict=False)
        .dt.convert_time_zone(time_zone)
        .dt.strftime("%Y-%m-%d %H:%M:%S")
        .fill_null(pl.col(column))
        .alias(column)
    )


def pair_label(source_id: str, target_id: str | None, target_doc: str | None = None) -> str:
    """A decision's pair as a message names it: ``a:1 → b:2``, or ``a:1 (no counterpart in b)``."""
    return f"{source_id} → {target_id}" if target_id else f"{source_id} (no counterpart in {target_doc})"


def link_key() -> list[pl.Expr]:
    """The two ends of a link in a fixed order: a link judged from either document is one link
    (baqiao-2023:54 → xian-2024:15 reviewed from the city side as xian-2024:15 → baqiao-2023:54)."""
    source, target = pl.col("source_id"), pl.col("target_id")
    return [pl.when(source <= target).then(source).otherwise(target).alias("low"),
            pl.when(source <= target).then(target).otherwise(source).alias("high")]


# A decision as a planner reads it in a summary or an export: Chinese first.
DECISION_WORDS = {"confirmed": "确认 confirmed", "rejected": "拒绝 rejected", "unsure": "不确定 unsure",
                  "no_counterpart": "无对应 no counterpart"}


def flipped(frame: pl.DataFrame) -> pl.DataFrame:
    """Link rows turned round: source and target (and their text digests and documents) swapped."""
    swaps = {"source_id": "target_id", "target_id": "source_id", "source_digest": "target_digest",
             "target_digest": "source_digest", "source_doc": "target_doc", "target_doc": "source_doc"}
    present = {a: b for a, b in swaps.items() if a in frame.columns and b in frame.columns}
    turned = frame.with_columns(pl.col(b).alias(a) for a, b in present.items())
    if "target_doc" in frame.columns and "source_doc" not in frame.columns:  # a decision's link keeps it empty
        turned = turned.with_columns(pl.when(pl.col("target_doc").is_not_null()).then(doc_of_column("target_id"))
                                     .alias("target_doc"))
    return turned


def reviewer_name(name: Any) -> str:
    """A reviewer's name as the log keeps it: NFKC, without invisible characters (a zero-width
    space pasted with the name), spaces collapsed. Two spellings that look the same are one
    reviewer, or their decisions would sit side by side as a conflict with themselves."""
    if not isinstance(name, str):
        return ""
    visible = "".join(ch for ch in unicodedata.normalize("NFKC", name) if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())


def _check_item_id(name: str, value: Any, problems: list[Problem]) -> None:
    if not isinstance(value, str) or not _ITEM_ID.match(value):
        problems.append((
            f"The '{name}' must be an item id like 'baqiao-2023:17' (document id, colon, number). "
            f"Got {value!r} instead.",
            f"条目编号应写作“文档:序号”，如 baqiao-2023:17，现为 {value!r}",
        ))


def validate_decision(
    reviewer: Any,
    source_id: Any,
    target_id: Any,
    decision: Any,
    *,
    target_doc: Any = None,
    note: Any = None,
    score: Any = None,
    engine_version: Any = None,
    source_digest: Any = None,
    target_digest: Any = None,
) -> list[Problem]:
    """Every problem with one decision (English, Chinese); empty when it can be recorded.

    ``target_doc`` is the document a ``no_counterpart`` decision looked in (required there);
    a link names its document through ``target_id``, so there it may only repeat it. The
    digests (:func:`align.items.text_digests`) fingerprint the two texts decided on.
    """
    problems: list[Problem] = []
    if not reviewer_name(reviewer):
        problems.append(_no_reviewer(reviewer))
    if decision not in DECISIONS:
        problems.append((
            f"The 'decision' must be one of {', '.join(DECISIONS)}. Got {decision!r} instead.",
            f"审核结论只能是 {'、'.join(DECISIONS)}，现为 {decision!r}",
        ))
    _check_item_id("source_id", source_id, problems)
    if decision == "no_counterpart":
        if target_id is not None:
            problems.append((
                f"A 'no_counterpart' decision has no target. Got target_id {target_id!r}; pass None "
                "or record 'confirmed' for that pair instead.",
                "“无对应”的结论不能带目标条目",
            ))
        if not isinstance(target_doc, str) or not _DOC_ID.match(target_doc):
            problems.append((
                "A 'no_counterpart' decision names the document that has no counterpart: pass target_doc, "
                f"a document id such as 'xian-2024'. Got {target_doc!r} instead.",
                "“无对应”的结论须写明在哪个文档里没有对应条目（target_doc，如 xian-2024）",
            ))
        elif isinstance(source_id, str) and _ITEM_ID.match(source_id) and doc_of(source_id) == target_doc:
            problems.append((
                f"{source_id} is itself in {target_doc}: name the other document, the one without a counterpart.",
                f"{source_id} 本身就在 {target_doc} 里，请写明另一个文档",
            ))
    elif target_id is None:
        if decision in DECISIONS:
            problems.append((
                f"A '{decision}' decision needs a target_id. Pass the target item id, "
                "or record 'no_counterpart' for a source item without any counterpart.",
                f"结论 {decision} 需要目标条目",
            ))
    else:
        _check_item_id("target_id", target_id, problems)
        if target_id == source_id:
            problems.append((
                f"An item cannot be linked to itself ({source_id!r}). Pick a target in another document.",
                "条目不能与自身关联",
            ))
        elif isinstance(source_id, str) and isinstance(target_id, str) and doc_of(source_id) == doc_of(target_id):
            problems.append((
                f"A link joins items of two documents: {source_id} and {target_id} are both in {doc_of(source_id)}.",
                f"链接须连接两个文档的条目：{source_id} 与 {target_id} 同属 {doc_of(source_id)}",
            ))
        if target_doc is not None and (not isinstance(target_id, str) or target_doc != doc_of(target_id)):
            problems.append((
                f"The target_doc {target_doc!r} is not the document of {target_id!r}; a link names its "
                "document through its target, so leave target_doc out.",
                f"目标文档 {target_doc!r} 与目标条目 {target_id!r} 不符",
            ))
    if note is not None and not isinstance(note, str):
        problems.append((f"The 'note' must be text or None. Got {type(note).__name__} instead.", "备注应为文字"))
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score)
        or not 0.0 <= score <= 1.0
    ):
        problems.append((
            f"The 'score' must be the matcher's score, a number from 0 to 1, or None. Got {score!r} instead.",
            "分数应为 0 到 1 之间的数",
        ))
    if engine_version is not None and not isinstance(engine_version, str):
        problems.append((
            f"The 'engine_version' must be text or None. Got {engine_version!r} instead.", "引擎版本应为文字"
        ))
    for name, digest in (("source_digest", source_digest), ("target_digest", target_digest)):
        if digest is not None and not (isinstance(digest, str) and _DIGEST.match(digest)):
            problems.append((
                f"The '{name}' must be a text fingerprint (hex digits) or None. Got {digest!r} instead.",
                "文本指纹应为十六进制字符",
            ))
    if target_id is None and target_doc is None and target_digest is not None:
        problems.append(("A decision without a target item or document has no target_digest.",
                         "没有目标条目或文档，就没有目标文本指纹"))
    return problems


def _no_reviewer(reviewer: Any) -> Problem:
    return (
        f"The 'reviewer' must be a non-empty name. Got {reviewer!r} instead; pass who decided.",
        "审核人姓名不能为空",
    )


# The type a numeric log column holds, besides NULL; a row typed in by hand (DB Browser) may hold whatever
# SQLite's column affinity lets through, such as the text '0,83' in score. (A number out of range is read
# as written: stores from before scores were checked hold some.)
_READ_CHECKS = {"score": (int, float), "retracts": (int,)}
# Each column read as missing, in English and Chinese: the value expected, what reading it so means, the fix.
_UNREADABLE = {
    "score": ("a number written with a point (0.83)", "用小数点写的数（0.83）",
              "the link is exported without a score", "导出时这条链接没有分数",
              "record the decision again to give it a readable one", "重新记录这条结论即可更正"),
    "decided_at": ("a time with its time zone (2024-01-01T08:00:00+08:00)", "带时区的时间（2024-01-01T08:00:00+08:00）",
                   "the decision is shown and exported without a time", "显示和导出时这条结论没有时间",
                   "record the decision again to give it a readable one", "重新记录这条结论即可更正"),
    "retracts": ("the id of the decision it undoes", "所撤销结论的编号", "this undo retracts nothing",
                 "这条撤销不撤销任何结论", "undo the decision again if it is to be undone", "如需撤销，请再撤销一次"),
}


def _frame(rows: list[tuple] | list[dict], schema: Schema) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=schema)
    if isinstance(rows[0], dict):
        return pl.DataFrame(rows, schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


class DecisionStore:
    """Append-only log of link decisions in one SQLite file.

    Parameters
    ----------
    path : the database file (``Settings.db_path``); created with its folder when missing.
    timeout : seconds a write waits for another process's write before giving up.

    One instance may be shared between threads (the app caches it with ``st.cache_resource``);
    calls are serialised by a lock. Open one instance per process.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = float(timeout)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._read: tuple[tuple[int, int], pl.DataFrame] | None = None  # the decisions in effect, by log state
        self._file: tuple[int, int] | None = None  # (device, inode) of the file the connection holds
        self._warned: set[tuple[int, str]] = set()  # (row id, column) read as missing and said so
        self._read_only = False  # opened to read only: the store or its folder cannot be written
        if self.path.is_dir():
            raise StoreError(
                f"The decision store {self.path} is a folder. Set PLAN_ALIGN_DB to a file path.",
                zh="审核记录库的位置是一个文件夹，请用 PLAN_ALIGN_DB 指定一个文件",
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the folder of the decision store {self.path} ({exc.strerror}). "
                "Set PLAN_ALIGN_DB to a writable location.",
                zh="无法创建审核记录库所在的文件夹，请用 PLAN_ALIGN_DB 指定一个可写的位置",
            ) from None
        try:
            self._connect()
        except StoreError:
            self.close()
            raise
        except sqlite3.Error as exc:
            self.close()
            if "locked" in str(exc) or "busy" in str(exc):  # intact, and in use: not damaged
                raise StoreError(
                    f"The decision store {self.path} stayed busy for {self.timeout:.0f} s: another process is "
                    "writing to it. Try again when it has finished; nothing was changed.",
                    zh="审核记录库正被另一个程序写入，请稍后再试，什么也没有改动",
                ) from None
            if "readonly" in str(exc) or not self._writable():
                # intact, but not ours to write: moving it aside would hide its decisions
                raise StoreError(
                    f"The decision store {self.path} is read-only. Make it and its folder writable, or set "
                    "PLAN_ALIGN_DB to a writable file.",
                    zh="审核记录库是只读的，请让它和所在文件夹可写，或用 PLAN_ALIGN_DB 指定一个可写的文件",
                ) from None
            if disk_nearly_full(self.path.parent):  # moving an intact store aside would hide its decisions
                raise self._disk_full(f"Cannot open the decision store {self.path}",
                                      "nothing was changed; do not move the store aside, it is most likely intact",
                                      "什么也没有改动；请不要把记录库移走，它多半完好") from None
            raise StoreError(
                f"Cannot open the decision store {self.path}: {exc}. If the file is damaged or not a "
                "plan-align store, move it aside (keep it for recovery) or set PLAN_ALIGN_DB to another file.",
                zh="无法打开审核记录库，文件可能已损坏，请移到别处保存或用 PLAN_ALIGN_DB 指定另一个文件",
            ) from None

    def _disk_full(self, failed: str, kept: str, kept_zh: str) -> StoreError:
        """SQLite out of room says "disk I/O error" or "malformed", which read as a damaged store: a
        planner who then moved it aside would start an empty one and think the decisions lost."""
        return StoreError(f"{failed}: the disk is full ({describe_free(self.path.parent)}). Free some space and "
                          f"try again; {kept}.", zh=f"磁盘已满，请腾出空间后重试；{kept_zh}")

    # ------------------------------------------------------------ connection

    def _connect(self) -> None:
        # a store on a read-only mount (an auditor's copy) is opened to read: coverage, evolve and export work, and a
        # decision is refused as a write to a read-only store (every command was refused)
        self._read_only = self.path.is_file() and not self._writable()
        if self._read_only:
            self._conn = self._open_to_read()
        else:
            self._conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        self._file = self._file_id()  # connect has created the file when it was missing
        self._read = None
        self._setup()

    def _open_to_read(self) -> sqlite3.Connection:
        """A read-only connection, with the decisions still in the -wal file beside the store (immutable, SQLite would
        read the main file alone: decisions not yet checkpointed were silently missing). Where the -wal cannot be read
        without writing its index, a store whose -wal holds decisions is refused rather than read stale."""
        uri = self.path.resolve().as_uri()
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error:
            wal = self.path.with_name(self.path.name + "-wal")
            if wal.is_file() and wal.stat().st_size:
                raise StoreError(
                    f"The decision store {self.path} is read-only, and its latest decisions are still in "
                    f"{wal.name}, which a read-only copy cannot read. Open it once where it can be written (that "
                    "folds them in), or copy the store and its -wal file to a writable folder.",
                    zh="审核记录库是只读的，最新的决定还在 -wal 文件中，只读时无法读取；请先在可写的位置打开一次，"
                       "或把记录库连同 -wal 文件复制到可写的文件夹") from None
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=self.timeout,
                                   isolation_level=None, check_same_thread=False)

    def _writable(self) -> bool:
        """Whether the store and its folder can be written (SQLite's WAL needs files beside the store)."""
        return os.access(self.path.parent, os.W_OK) and (not self.path.exists() or os.access(self.path, os.W_OK))

    def _file_id(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

    def check_file(self) -> None:
        """Notice a store file deleted or replaced while this process runs (every read and write checks).

        An open connection keeps writing to a deleted file, and those decisions would vanish
        at the next start; so a deleted store is written back from the open connection (it
        holds every decision), and a file put in its place is opened instead, after telling
        the caller that the action in hand was not done.
        """
        with self._lock, self._errors("check the decision store's file"):
            found = self._file_id()
            if found != self._file:
                self._follow_file(found)

    def _follow_file(self, found: tuple[int, int] | None) -> None:
        conn = self._connection
        if found is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"The decision store {self.path} was deleted while plan-align was running, and its folder "
                    f"cannot be made again ({exc.strerror}); the decisions are still open in this process. "
                    "Make the folder writable and try again.",
                    zh="审核记录库文件在运行中被删除，且无法重建其文件夹；记录仍保存在本程序中，请让文件夹可写后重试",
                ) from None
            copy = sqlite3.connect(self.path)
            try:
                conn.backup(copy)
            finally:
                copy.close()
            conn.close()
            self._connect()
            logger.warning("The decision store %s was deleted while running; it was written back from the "
                           "open connection.", self.path)
            return
        conn.close()
        try:
            self._connect()
        except (StoreError, sqlite3.Error):
            self.close()
            raise
        raise StoreError(
            f"The decision store {self.path} was replaced by another file while plan-align was running. "
            "plan-align now reads the new file; a decision being made just now was not recorded: make it again.",
            zh="审核记录库文件在运行中被替换，现已改读新文件；刚才正在做的决定没有记录，请重新操作",
        )

    def _setup(self) -> None:
        conn = self._connection
        conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        if self._read_only:
            if self._state() != "current":  # an older or another program's store cannot be made current here
                raise sqlite3.OperationalError("attempt to write a readonly database")
            return
        self._check_ours()  # before anything is written: another program's database is left as it was
        # Switching to WAL needs a moment of exclusive access; the busy handler does not
        # always cover it, so several processes opening a new store at once retry here.
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if self._state() == "current":
            return  # an open store takes no write lock: reading waits for no writer
        with self._transaction():  # a new or schema-1 store, made current once (another process may be at it)
            state = self._state()
            if state == "empty":
                for statement in _DDL.split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
            elif state == "schema 1":
                # Schema 1 had no target_doc and no text digests; adding a column updates no row,
                # so the log stays as written.
                for column in _ADDED_IN_2:
                    conn.execute(f"ALTER TABLE decisions ADD COLUMN {column} TEXT")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _state(self) -> str:
        """``empty``, ``schema 1``, ``current``, or ``foreign`` (another program's, or a newer plan-align's)."""
        conn = self._connection
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and not tables - {"sqlite_sequence"}:
            return "empty"
        if version == 1 and self._columns() == _SCHEMA_1_COLUMNS:
            return "schema 1"
        if version == SCHEMA_VERSION and self._columns() == list(LOG_SCHEMA):
            return "current"
        return "foreign"

    def _check_ours(self) -> None:
        if self._state() != "foreign":
            return
        with self._transaction():  # another process may be creating or migrating it: look again once it is done
            if self._state() != "foreign":
                return
        version = self._connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The decision store {self.path} was written by a newer plan-align (schema {version}, "
                f"this one reads {SCHEMA_VERSION}). Upgrade plan-align to open it.",
                zh="审核记录库由更新版本的 plan-align 写入，请先升级",
            )
        raise StoreError(
            f"{self.path} is an SQLite file but not a plan-align decision store. "
            "Set PLAN_ALIGN_DB to another file, or move this one aside.",
            zh="这个文件不是 plan-align 的审核记录库，请用 PLAN_ALIGN_DB 指定另一个文件",
        )

    def _columns(self) -> list[str]:
        return [row[1] for row in self._connection.execute("PRAGMA table_info(decisions)")]

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(
                f"The decision store {self.path} is closed. Open a new DecisionStore.", zh="审核记录库已关闭"
            )
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` ... ``COMMIT``: the write lock is taken up front, so the
        busy timeout applies and no other writer can slip in between our read and our insert."""
        with self._lock:
            self.check_file()
            conn = self._connection
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"Could not {action}: the decision store {self.path} stayed busy for {self.timeout:.0f} s "
                    "(another process is writing). Try again.",
                    zh="审核记录库正被另一个程序写入，请稍后再试，刚才的操作没有记录",
                ) from None
            if disk_nearly_full(self.path.parent):
                raise self._disk_full(f"Could not {action}", "nothing was recorded", "刚才的操作没有记录") from None
            if "readonly" in str(exc):  # made read-only since it was opened (or immutable, which root's access() misses)
                raise StoreError(
                    f"Could not {action}: the decision store {self.path} is read-only. Make it and its folder "
                    "writable, or set PLAN_ALIGN_DB to a writable file; nothing was recorded.",
                    zh="审核记录库是只读的，刚才的操作没有记录；请让它和所在文件夹可写，或用 PLAN_ALIGN_DB 指定一个可写的文件",
                ) from None
            raise StoreError(
                f"Could not {action} in {self.path}: {exc}. Check the disk and try again.",
                zh="审核记录库读写失败，请检查磁盘后重试",
            ) from None
        except sqlite3.DatabaseError as exc:
            if disk_nearly_full(self.path.parent):
                raise self._disk_full(f"Could not {action}", "nothing was recorded", "刚才的操作没有记录") from None
            raise StoreError(
                f"Could not {action}: the decision store {self.path} is damaged ({exc}). "
                "Move it aside (keep it for recovery) and set PLAN_ALIGN_DB to a new file.",
                zh="审核记录库文件已损坏，请把它移到别处保存，并用 PLAN_ALIGN_DB 指定新文件",
            ) from None

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        """Close the connection; the data is already on disk."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> DecisionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DecisionStore({str(self.path)!r})"

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock, self._errors("read decisions"):
            self.check_file()
            return self._connection.execute(sql, params).fetchall()

    # ------------------------------------------------------------ writing

    def record(
        self,
        reviewer: str,
        source_id: str,
        target_id: str | None,
        decision: Decision,
        *,
        target_doc: str | None = None,
        note: str | None = None,
        score: float | None = None,
        engine_version: str | None = None,
        source_digest: str | None = None,
        target_digest: str | None = None,
    ) -> int:
        """Append one decision and return its id once it is committed to disk.

        ``target_id`` is None exactly for ``no_counterpart``, which names instead the document
        with no counterpart in ``target_doc``. The digests fingerprint the texts decided on
        (:func:`align.items.text_digests`), so a later change to either text can be shown.
        """
        problems = validate_decision(
            reviewer, source_id, target_id, decision, target_doc=target_doc, note=note, score=score,
            engine_version=engine_version, source_digest=source_digest, target_digest=target_digest,
        )
        if problems:
            raise StoreError.from_problems(problems)
        row = self._row(reviewer, source_id, target_id, target_doc, decision, note, score, engine_version,
                        source_digest, target_digest)
        with self._errors("record the decision"), self._transaction() as conn:
            if (same := self._in_effect_already(conn, row)) is not None:
                return same
            return self._insert(conn, row)

    def _in_effect_already(self, conn: sqlite3.Connection, row: tuple) -> int | None:
        """The id of this reviewer's decision in effect on the pair when it says what ``row`` says (decision, note,
        the texts judged): a key pressed three times wrote one confirmation twice, and one Undo then left it. Only
        while it is in effect: a later decision that replaced it (the link judged from the other document, a
        confirmation after a 无对应) makes saying it again a decision of its own."""
        reviewer, _, source_id, target_id, decision, note, _, _, _, target_doc, source_digest, target_digest = row
        found = conn.execute(
            "SELECT d.id, d.decision, d.note, d.source_digest, d.target_digest FROM decisions d "
            f"WHERE d.reviewer = ? AND d.source_id = ? AND d.target_id IS ? AND d.target_doc IS ? AND {_EFFECTIVE} "
            "ORDER BY d.id DESC LIMIT 1",
            (reviewer, source_id, target_id, target_doc),
        ).fetchone()
        if not found or found[1:] != (decision, note, source_digest, target_digest):
            return None
        # replaced since by this reviewer: the link judged from its other end, a 无对应 from either end of it, or,
        # for a 无对应, a link confirmed between the item and that plan (one query: reading every decision in
        # effect made a repeated press cost 0.3 s with 20,000 decisions)
        replaced = conn.execute(
            f"SELECT 1 FROM decisions d WHERE d.reviewer = ? AND d.id > ? AND {_EFFECTIVE} AND ("
            "(d.source_id = ? AND d.target_id = ?)"
            " OR (d.decision = 'no_counterpart' AND d.source_id IN (?, ?))"
            " OR (? IS NULL AND d.decision = 'confirmed' AND ((d.source_id = ? AND d.target_id LIKE ?)"
            " OR (d.target_id = ? AND d.source_id LIKE ?)))) LIMIT 1",
            (reviewer, found[0], target_id, source_id, source_id, target_id, target_id,
             source_id, f"{target_doc}:%", source_id, f"{target_doc}:%"),
        ).fetchone()
        return None if replaced else found[0]

    def bulk_record(self, rows: Iterable[Mapping[str, Any]] | pl.DataFrame) -> list[int]:
        """Append many decisions (bulk-confirm), one log row each, and return their ids.

        Each row is a mapping with the arguments of :meth:`record`. All rows are checked
        first and every problem is reported together; then they are written in one
        transaction, so a bulk action is recorded entirely or not at all.
        """
        if isinstance(rows, pl.DataFrame):
            rows = rows.to_dicts()
        checked: list[tuple] = []
        problems: list[Problem] = []
        for index, row in enumerate(rows, start=1):
            unknown = sorted(set(row) - _ROW_KEYS)
            if unknown:
                problems.append((
                    f"Row {index}: unknown field(s) {', '.join(unknown)}; use {', '.join(sorted(_ROW_KEYS))}.",
                    f"第 {index} 行有未知字段 {'、'.join(unknown)}",
                ))
                continue
            args = {key: row.get(key) for key in _ROW_KEYS}
            row_problems = validate_decision(
                args["reviewer"], args["source_id"], args["target_id"], args["decision"], target_doc=args["target_doc"],
                note=args["note"], score=args["score"], engine_version=args["engine_version"],
                source_digest=args["source_digest"], target_digest=args["target_digest"],
            )
            problems.extend((f"Row {index}: {en}", f"第 {index} 行{zh}") for en, zh in row_problems)
            if not row_problems:
                checked.append(self._row(**args))  # type: ignore[arg-type]  # validated just above
        if problems:
            raise StoreError.from_problems(problems, lead=("Nothing was recorded. ", "一条也没有记录："))
        if not checked:
            return []
        with self._errors("record the decisions"), self._transaction() as conn:
            return [self._insert(conn, row) for row in checked]

    def undo(
        self, reviewer: str, source_id: str, target_id: str | None = None, *, target_doc: str | None = None
    ) -> int:
        """Retract ``reviewer``'s latest effective decision on the pair; return the undo row's id.

        The rule: an undo appends an ``undo`` row whose ``retracts`` column holds the id of the
        most recent decision by the same reviewer on the link ``(source_id, target_id)``, judged
        from either document, that is not already retracted (``target_id=None`` with
        ``target_doc``: the no-counterpart decision on that document, or one from a schema-1
        store that names none). The
        reviewer's previous decision on the pair, if any, becomes current again; undoing again
        walks further back. Other reviewers' decisions are never touched, and undo rows
        themselves cannot be undone: record the decision again instead.
        """
        problems: list[Problem] = []
        if not reviewer_name(reviewer):
            problems.append(_no_reviewer(reviewer))
        _check_item_id("source_id", source_id, problems)
        if target_id is not None:
            _check_item_id("target_id", target_id, problems)
        elif not isinstance(target_doc, str) or not _DOC_ID.match(target_doc):
            problems.append((
                "Undoing a 'no_counterpart' decision needs the document it was about: pass target_doc, "
                f"a document id such as 'xian-2024'. Got {target_doc!r} instead.",
                "撤销“无对应”的结论须写明是哪个文档（target_doc）",
            ))
        if problems:
            raise StoreError.from_problems(problems)
        with self._errors("undo the decision"), self._transaction() as conn:
            found = conn.execute(
                f"SELECT id FROM decisions d WHERE reviewer = ? AND (source_id = ? AND target_id IS ? "
                "OR target_id IS NOT NULL AND source_id = ? AND target_id = ?) "
                f"AND (target_id IS NOT NULL OR target_doc IS NULL OR target_doc = ?) AND {_EFFECTIVE} "
                "ORDER BY id DESC LIMIT 1",
                (reviewer_name(reviewer), source_id, target_id, target_id, source_id, target_doc),
            ).fetchone()
            if found is None:
                raise StoreError(
                    f"Nothing to undo: {reviewer!r} has no decision in effect on "
                    f"{pair_label(source_id, target_id, target_doc)}. "
                    "Check the reviewer name and the item ids in the history.",
                    zh=f"{reviewer} 在这对条目上没有可撤销的结论",
                )
            current = self._current()
            if found[0] not in current["id"]:
                name = reviewer_name(reviewer)
                ends = [i for i in (source_id, target_id) if i]
                later = current.filter((pl.col("reviewer") == name) & (pl.col("id") > found[0])
                                       & (pl.col("source_id").is_in(ends) | pl.col("target_id").is_in(ends)))
                replaced_by = "; ".join(f"#{r['id']} {r['decision']} on {pair_label(r['source_id'], r['target_id'], r['target_doc'])}"
                                        for r in later.iter_rows(named=True)) or "a later decision"
                raise StoreError(
                    f"Nothing to undo on {pair_label(source_id, target_id, target_doc)}: {name}'s decision there "
                    f"(#{found[0]}) was already replaced by their later {replaced_by}. Undo that one instead.",
                    zh=f"{name} 在这对条目上的结论（#{found[0]}）已被其后来的结论取代（{replaced_by}），请撤销后来的那条",
                )
            row = self._row(reviewer, source_id, target_id, target_doc, UNDO, None, None, None, None, None,
                            retracts=found[0])
            return self._insert(conn, row)

    @staticmethod
    def _row(
        reviewer: str,
        source_id: str,
        target_id: str | None,
        target_doc: str | None,
        decision: str,
        note: str | None,
        score: float | None,
        engine_version: str | None,
        source_digest: str | None,
        target_digest: str | None,
        *,
        retracts: int | None = None,
    ) -> tuple:
        return (
            reviewer_name(reviewer), _now(), source_id, target_id, decision, note or None,
            None if score is None else float(score), engine_version, retracts,
            None if target_id is not None else target_doc,  # a link names its document by its target
            source_digest, target_digest,
        )

    @staticmethod
    def _insert(conn: sqlite3.Connection, row: tuple) -> int:
        cursor = conn.execute(
            "INSERT INTO decisions (reviewer, decided_at, source_id, target_id, decision, note, score, "
            "engine_version, retracts, target_doc, source_digest, target_digest) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        assert cursor.lastrowid is not None, "an INSERT always sets lastrowid"
        return cursor.lastrowid

    # ------------------------------------------------------------ reading

    def log(self) -> pl.DataFrame:
        """Every row ever written, oldest first, with ``retracted`` telling which were undone."""
        return self._readable(self._query(f"{_LOG_SELECT} ORDER BY id"), HISTORY_SCHEMA)

    def history(self, source_id: str, target_id: str | None = None) -> pl.DataFrame:
        """The log rows of one item (all its links, also those judged from the other document, as
        written), or of one pair, either way round, when ``target_id`` is given."""
        params: tuple[str, ...]
        if target_id is None:
            sql, params = f"{_LOG_SELECT} WHERE source_id = ? OR target_id = ?", (source_id, source_id)
        else:
            sql = f"{_LOG_SELECT} WHERE (source_id = ? AND target_id = ?) OR (source_id = ? AND target_id = ?)"
            params = (source_id, target_id, target_id, source_id)
        return self._readable(self._query(sql + " ORDER BY id", params), HISTORY_SCHEMA)

    def current(self, *, overall: bool = False, reviewer: str | None = None) -> pl.DataFrame:
        """The decisions in effect: each reviewer's latest non-retracted decision per pair.

        With ``overall=True``, one row per pair instead: the latest reviewer's decision, every
        reviewer's current decision in ``reviewers``/``decisions`` (same order), and
        ``conflict`` when they disagree (see :meth:`conflicts`).
        """
        current = self._current()
        if reviewer is not None:
            current = current.filter(pl.col("reviewer") == reviewer_name(reviewer))
        if not overall:
            return current
        # one row per link, whichever document it was judged from
        current = pl.concat([self._one_way(current.filter(pl.col("target_id").is_not_null())),
                             current.filter(pl.col("target_id").is_null())]).sort("id")
        keys = ["source_id", "target_id", "target_doc"]
        # Disputed links, and no-counterpart decisions that a confirmed link contradicts: flag both.
        conflicted = pl.concat([
            self._conflicts(current).select("source_id", "target_id", pl.lit(None, dtype=pl.String).alias("target_doc")),
            self._contradicted_nones(current).select(keys),
        ]).unique()
        grouped = (
            current.group_by(*keys, maintain_order=True)
            .agg(
                pl.col("decision").last(),
                pl.col("reviewer").last(),
                pl.col("decided_at").last(),
                pl.col("reviewer").alias("reviewers"),
                pl.col("decision").alias("decisions"),
            )
            .join(
                conflicted.with_columns(conflict=pl.lit(True)),
                on=keys,
                how="left",
                nulls_equal=True,
            )
            .with_columns(pl.col("conflict").fill_null(False))
        )
        return grouped.select(list(OVERALL_SCHEMA)).cast(pl.Schema(OVERALL_SCHEMA))

    def _current(self) -> pl.DataFrame:
        """Every reviewer's decisions in effect, read from disk once per state of the log.

        The log only grows (undo appends a row), so its last id and its row count name its
        state; a page run asks several times, and 40,000 decisions take 0.2 s to read.
        """
        with self._lock:
            state = self._query("SELECT coalesce(max(id), 0), count(*) FROM decisions")[0]
            if self._read is None or self._read[0] != state:
                columns = ", ".join(CURRENT_SCHEMA)
                rows = self._query(
                    f"SELECT {columns} FROM (SELECT d.*, ROW_NUMBER() OVER (PARTITION BY reviewer, source_id, "
                    f"target_id, target_doc ORDER BY id DESC) AS rank FROM decisions d WHERE {_EFFECTIVE}) WHERE rank = 1 "
                    "ORDER BY id"
                )
                confirmed = self._query(f"SELECT id, reviewer, source_id, target_id FROM decisions d "
                                        f"WHERE decision = 'confirmed' AND {_EFFECTIVE}")
                ever = pl.DataFrame(confirmed, schema={"id": pl.Int64, "reviewer": pl.String, "source_id": pl.String,
                                                       "target_id": pl.String}, orient="row")
                self._read = (state, self._without_superseded(self._readable(rows, CURRENT_SCHEMA), ever))
            return self._read[1]

    def _readable(self, rows: list[tuple], schema: Schema) -> pl.DataFrame:
        """Log rows (``schema``'s columns, id first) as a frame; a value of the wrong type (text in score)
        or a decided_at that is no time with a time zone is read as missing, with a warning naming its row,
        column and value (once per store).

        A row added or edited by hand (DB Browser) with the score '0,83' made export, coverage and decide
        fail on a polars error. Refusing to read it would stop them until the row is gone, and the log is
        append-only: it cannot be corrected in place. Read as missing, the decision still counts, the row
        stays in the log as written (nothing is lost) and recording the decision again gives it a readable
        row; the warning says so. Read as a guess (0.83), or a time of 'yesterday' shown as written, it
        would pass for what plan-align recorded.
        """
        checks = [(index, name, _READ_CHECKS[name]) for index, name in enumerate(schema) if name in _READ_CHECKS]
        unreadable: list[tuple[int, str, Any]] = []
        kept = []
        for row in rows:
            bad = [(index, name) for index, name, types in checks
                   if row[index] is not None and (not isinstance(row[index], types) or isinstance(row[index], bool))]
            if bad:
                unreadable += [(row[0], name, row[index]) for index, name in bad]
                missing = {index for index, _ in bad}
                row = tuple(None if index in missing else value for index, value in enumerate(row))
            kept.append(row)
        frame = _frame(kept, schema)
        if "decided_at" in schema:  # other ways to write an ISO time with its zone are the stored one
            frame = frame.with_columns(pl.col("decided_at").str.replace(r"^(\d{4}-\d{2}-\d{2}) ", "${1}T")
                                       .str.replace(r"Z$", "+00:00"))
            times = pl.col("decided_at").str.to_datetime(STORED_TIME, time_zone="UTC", strict=False)
            no_time = frame.filter(pl.col("decided_at").is_not_null() & times.is_null())
            if no_time.height:
                unreadable += [(row_id, "decided_at", value) for row_id, value in no_time.select("id", "decided_at").iter_rows()]
                frame = frame.with_columns(pl.when(times.is_null()).then(None).otherwise(pl.col("decided_at"))
                                           .alias("decided_at"))
        for row_id, name, value in sorted(unreadable, key=lambda found: found[:2]):
            if (row_id, name) not in self._warned:
                self._warned.add((row_id, name))
                logger.warning(self._unreadable_said(row_id, name, value))
        return frame

    def _unreadable_said(self, row_id: int, column: str, value: Any) -> str:
        """One line, English then Chinese, for a log value read as missing."""
        expected, expected_zh, meaning, meaning_zh, fix, fix_zh = _UNREADABLE[column]
        return (f"decision #{row_id} in {self.path}: its {column} {value!r} is not {expected}; it is read as missing "
                f"and {meaning}. The log keeps the row as written (nothing is lost); {fix}. （审核记录 #{row_id} 的 "
                f"{column}“{value}”不是{expected_zh}，按缺失读取，{meaning_zh}；记录库原样保留该行，没有丢失任何内容，"
                f"{fix_zh}）")

    @staticmethod
    def _without_superseded(current: pl.DataFrame, confirmed_ever: pl.DataFrame | None = None) -> pl.DataFrame:
        """A planner changing their mind is not a disagreement: one reviewer's later 无对应 on an item
        replaces their earlier confirmed links from it into that plan, and a later confirmed link
        replaces their earlier 无对应 (a schema-1 无对应, naming no plan, meets links into any plan);
        a link judged again from the other document replaces the earlier judgement.

        ``confirmed_ever``: every confirmation not undone, also those a later decision on the link
        replaced: 无对应, then confirmed, then rejected leaves the item reviewed with a rejection,
        not with the 无对应 the confirmation took back."""
        links = current.filter(pl.col("target_id").is_not_null()).with_columns(link_key())
        turned = (links.group_by("reviewer", "low", "high").agg(pl.col("id").sort().alias("ids"))
                  .filter(pl.col("ids").list.len() > 1))
        if turned.height:  # one reviewer judged one link from both documents: the later judgement stands
            older = turned.select(pl.col("ids").list.head(pl.col("ids").list.len() - 1)).explode("ids")["ids"]
            current = current.filter(~pl.col("id").is_in(older.implode()))
        nones = current.filter(pl.col("decision") == "no_counterpart").select(
            "reviewer", "source_id", pl.col("target_doc").alias("none_doc"), pl.col("id").alias("none_id")
        )
        links = DecisionStore._confirmed_either_way(current).select("id", "reviewer", "source_id", "link_doc")
        met = links.join(nones, on=["reviewer", "source_id"]).filter(
            pl.col("none_doc").is_null() | (pl.col("none_doc") == pl.col("link_doc"))
        )
        taken_back = pl.Series("none_id", [], dtype=pl.Int64)
        if confirmed_ever is not None and confirmed_ever.height:
            ever = DecisionStore._confirmed_either_way(confirmed_ever.with_columns(decision=pl.lit("confirmed")))
            taken_back = (ever.select("id", "reviewer", "source_id", "link_doc")
                          .join(nones, on=["reviewer", "source_id"])
                          .filter((pl.col("none_doc").is_null() | (pl.col("none_doc") == pl.col("link_doc")))
                                  & (pl.col("id") > pl.col("none_id")))["none_id"])
        if met.is_empty() and taken_back.is_empty():
            return current
        superseded = pl.concat([met.filter(pl.col("id") < pl.col("none_id"))["id"],
                                met.filter(pl.col("id") > pl.col("none_id"))["none_id"], taken_back])
        return current.filter(~pl.col("id").is_in(superseded.implode()))

    def conflicts(self, digests: Mapping[str, str] | None = None) -> pl.DataFrame:
        """Disagreements among current decisions, shown side by side and never resolved here.

        ``kind`` is ``pair`` when reviewers' current decisions on one link differ (one
        confirmed, another rejected), or ``no_counterpart_vs_link`` when a source item is
        marked as having no counterpart while a link from it is confirmed (one row per such
        link), by another reviewer: one reviewer's later decision replaces their own earlier one.
        ``unsure`` takes no position and never conflicts; given ``digests`` (``text_digests`` of the
        plans now), nor does a rejection or 无对应 judged on text a re-issued plan no longer holds,
        which rules nothing out (as on the Coverage, Evolution and Threshold pages).
        """
        return self._conflicts(standing(self.current(), digests))

    @staticmethod
    def _confirmed_either_way(current: pl.DataFrame) -> pl.DataFrame:
        """Every confirmed link read from both its ends (``id, reviewer, source_id, link_id,
        link_doc``): what a 无对应 on either item, into the other's document, meets."""
        confirmed = current.filter(pl.col("decision") == "confirmed").select("id", "reviewer", "source_id", "target_id")
        return pl.concat([confirmed, flipped(confirmed)]).select(
            "id", "reviewer", "source_id", pl.col("target_id").alias("link_id"),
            doc_of_column("target_id").alias("link_doc"),
        )

    @staticmethod
    def _contradicted_nones(current: pl.DataFrame) -> pl.DataFrame:
        """No-counterpart decisions in effect, each joined to every confirmed link (``link_id``)
        between its source and its document, judged from either side (into any document for a
        schema-1 row naming none)."""
        links = DecisionStore._confirmed_either_way(current).select("source_id", "link_id", "link_doc").unique()
        return (
            current.filter(pl.col("decision") == "no_counterpart")
            .join(links, on="source_id")
            .filter(pl.col("target_doc").is_null() | (pl.col("target_doc") == pl.col("link_doc")))
            .drop("link_doc")
        )

    @staticmethod
    def _one_way(links: pl.DataFrame) -> pl.DataFrame:
        """Link rows each turned to the way its link was first judged, so one link is one key."""
        if links.is_empty():
            return links
        keyed = links.with_columns(link_key())
        first = keyed.sort("id").group_by("low", "high").agg(pl.col("source_id").first().alias("first_source"))
        keyed = keyed.join(first, on=["low", "high"])
        backwards = keyed["source_id"] != keyed["first_source"]
        drop = ["low", "high", "first_source"]
        return pl.concat([keyed.filter(~backwards).drop(drop), flipped(keyed.filter(backwards)).drop(drop)]).sort("id")

    @staticmethod
    def _read_one_way(links: pl.DataFrame, source_doc: str | None, target_doc: str | None) -> pl.DataFrame:
        """Confirmed links (with ``source_doc``, ``target_doc``) turned to one direction per pair of
        documents: the one asked for, else the one most of the pair's links were judged in
        (on a tie, the first judged)."""
        if links.is_empty():
            return links
        backwards = pl.lit(False)
        if source_doc is not None:
            backwards = backwards | (pl.col("target_doc") == source_doc)
        if target_doc is not None:
            backwards = backwards | (pl.col("source_doc") == target_doc)
        if source_doc is None and target_doc is None:
            low_first = pl.col("source_doc") <= pl.col("target_doc")
            votes = (links.sort("id").group_by(
                pl.min_horizontal("source_doc", "target_doc").alias("doc_low"),
                pl.max_horizontal("source_doc", "target_doc").alias("doc_high"),
            ).agg(low_first.sum().alias("low_first"), (~low_first).sum().alias("high_first"),
                  low_first.first().alias("first_low_first")))
            votes = votes.with_columns(keep_low_first=pl.when(pl.col("low_first") != pl.col("high_first"))
                                       .then(pl.col("low_first") > pl.col("high_first"))
                                       .otherwise(pl.col("first_low_first")))
            links = links.with_columns(doc_low=pl.min_horizontal("source_doc", "target_doc"),
                                       doc_high=pl.max_horizontal("source_doc", "target_doc")).join(
                votes.select("doc_low", "doc_high", "keep_low_first"), on=["doc_low", "doc_high"])
            backwards = low_first != pl.col("keep_low_first")
            links = links.with_columns(backwards.alias("backwards")).drop("doc_low", "doc_high", "keep_low_first")
        else:
            links = links.with_columns(backwards.alias("backwards"))
        return pl.concat([links.filter(~pl.col("backwards")), flipped(links.filter(pl.col("backwards")))]).drop(
            "backwards")

    @classmethod
    def _conflicts(cls, current: pl.DataFrame) -> pl.DataFrame:
        keys = ["source_id", "target_id"]
        columns = ["id", "reviewer", "decided_at", "source_id", "target_id", "decision"]
        linked = cls._one_way(
            current.filter(pl.col("decision").is_in(DEFINITE) & pl.col("target_id").is_not_null()).select(columns)
        )
        disputed = (
            linked.group_by(keys).agg(pl.col("decision").n_unique().alias("positions"))
            .filter(pl.col("positions") > 1)
            .select(keys)
        )
        pair_rows = linked.join(disputed, on=keys, how="semi").with_columns(kind=pl.lit("pair"))
        # Each no-counterpart decision is shown against every confirmed link it contradicts.
        none_rows = cls._contradicted_nones(current).with_columns(target_id=pl.col("link_id")).select(columns)
        # the confirmations each no-counterpart contradicts, turned to read from the item marked 无对应
        marked = none_rows.select(pl.col("source_id").alias("marked"), *link_key()).unique()
        confirmed = linked.filter(pl.col("decision") == "confirmed").with_columns(link_key()).join(
            marked, on=["low", "high"]
        )
        confirmed = pl.concat([confirmed.filter(pl.col("source_id") == pl.col("marked")),
                               flipped(confirmed.filter(pl.col("source_id") != pl.col("marked")))]).select(columns)
        source_rows = pl.concat([none_rows, confirmed], how="vertical").with_columns(
            kind=pl.lit("no_counterpart_vs_link")
        )
        rows = pl.concat([pair_rows, source_rows], how="vertical").sort("id")
        grouped = rows.group_by("kind", *keys, maintain_order=True).agg(
            pl.col("reviewer").alias("reviewers"),
            pl.col("decision").alias("decisions"),
            pl.concat_str("reviewer", pl.lit(": "), pl.col("decision").replace(DECISION_WORDS)).str.join("; ").alias("summary"),
            pl.col("decided_at").max().alias("last_decided_at"),
        ).with_columns(doc_of_column("target_id").alias("target_doc"))
        return grouped.select(list(CONFLICT_SCHEMA)).cast(pl.Schema(CONFLICT_SCHEMA)).sort("source_id", "target_id", "kind")

    def confirmed_links(
        self,
        source_doc: str | None = None,
        target_doc: str | None = None,
        *,
        include_conflicts: bool = False,
        digests: Mapping[str, str] | None = None,
    ) -> pl.DataFrame:
        """Links some reviewer currently confirms, one row per pair, optionally for one document pair.

        A link listed by :meth:`conflicts` (given ``digests``, as it reads them) is left out unless
        ``include_conflicts``: an export should not present a disputed link as agreed. ``reviewer`` joins every confirming
        reviewer; ``decided_at`` is the latest confirmation's, ``score`` and ``engine_version`` the
        latest given (a colleague's "me too" from the CLI gives none), and ``note`` every reviewer's
        note, each named (王：…；李：…) when several reviewers confirmed. A link confirmed from the other document counts once, read the
        way asked for, or (with no pair given) the way most of its two documents' links were judged.
        """
        current = self.current()
        confirmed = current.filter(pl.col("decision") == "confirmed")
        if not include_conflicts:
            disputed = self._conflicts(standing(current, digests)).select(link_key()).unique()
            confirmed = confirmed.with_columns(link_key()).join(disputed, on=["low", "high"], how="anti").drop(
                "low", "high")
        confirmed = self._read_one_way(confirmed.with_columns(
            source_doc=doc_of_column("source_id"), target_doc=doc_of_column("target_id")), source_doc, target_doc)
        if source_doc is not None:
            confirmed = confirmed.filter(pl.col("source_doc") == source_doc)
        if target_doc is not None:
            confirmed = confirmed.filter(pl.col("target_doc") == target_doc)
        links = (
            confirmed.sort("id")
            .group_by("source_doc", "target_doc", "source_id", "target_id", maintain_order=True)
            .agg(
                pl.col("score").drop_nulls().last(),
                pl.col("reviewer").unique().sort().str.join(", "),
                pl.col("decided_at").last(),
                pl.col("engine_version").drop_nulls().last(),
                pl.when(pl.col("reviewer").n_unique() > 1)
                .then(pl.concat_str("reviewer", pl.lit("："), "note").filter(pl.col("note") != "").str.join("；"))
                .otherwise(pl.col("note").filter(pl.col("note") != "").last()).alias("note"),
                pl.col("source_digest").last(),
                pl.col("target_digest").last(),
            )
        )
        links = links.with_columns(pl.col("note").replace("", None))  # two reviewers, no note: none, as for one (was "")
        return links.select(list(LINK_SCHEMA)).cast(pl.Schema(LINK_SCHEMA)).sort("source_doc", "target_doc", "source_id", "target_id")
