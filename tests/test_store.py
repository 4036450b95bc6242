"""The decision store: append-only log, undo, current decisions, conflicts, confirmed links."""

from __future__ import annotations

import sqlite3

import polars as pl
import pytest

from align.exceptions import PlanAlignError, StoreError
from align.store import DecisionStore, local_time, with_text_changes
from matching.review import pair_decisions


@pytest.fixture()
def store(tmp_path):
    with DecisionStore(tmp_path / "decisions.sqlite") as opened:
        yield opened


def test_record_returns_increasing_ids_and_logs_every_field(store):
    first = store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed", note="同一指标", score=0.82,
                         engine_version="match/1")
    second = store.record("王", "baqiao-2023:2", None, "no_counterpart", target_doc="xian-2024")
    assert second > first
    log = store.log()
    assert log["id"].to_list() == [first, second]
    row = log.row(0, named=True)
    assert row["reviewer"] == "王"
    assert row["source_id"] == "baqiao-2023:1" and row["target_id"] == "xian-2024:3"
    assert row["decision"] == "confirmed" and row["note"] == "同一指标"
    assert row["score"] == pytest.approx(0.82) and row["engine_version"] == "match/1"
    assert row["decided_at"].endswith("+00:00"), "decided_at must be UTC ISO"
    assert log.row(1, named=True)["target_id"] is None and log.row(1, named=True)["target_doc"] == "xian-2024"
    assert log.row(0, named=True)["target_doc"] is None, "a link names its document by its target"


def test_later_decision_by_same_reviewer_becomes_current_and_earlier_stays_in_history(store):
    store.record("王", "baqiao-2023:1", "xian-2024:3", "unsure")
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    current = store.current()
    assert current.select("reviewer", "decision").rows() == [("王", "confirmed")]
    assert store.history("baqiao-2023:1", "xian-2024:3")["decision"].to_list() == ["unsure", "confirmed"]


def test_an_items_history_holds_the_decisions_made_from_the_other_document(store):
    """李 confirmed the link from the city item's side: the district task's history left it out, while the
    Review page counted it among the task's decisions and conflicts."""
    store.record("王", "baqiao-2023:54", "xian-2024:15", "confirmed")
    store.record("李", "xian-2024:15", "baqiao-2023:54", "rejected")
    assert store.history("baqiao-2023:54")["reviewer"].to_list() == ["王", "李"]
    assert store.history("xian-2024:15", "baqiao-2023:54")["decision"].to_list() == ["confirmed", "rejected"]
    turned = pair_decisions(store.history("baqiao-2023:54"), "baqiao-2023", "xian-2024")
    assert turned.select("source_id", "target_id").unique().rows() == [("baqiao-2023:54", "xian-2024:15")]


def test_undo_retracts_only_the_latest_decision_of_that_reviewer(store):
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    store.record("李", "baqiao-2023:1", "xian-2024:3", "confirmed")
    rejected = store.record("王", "baqiao-2023:1", "xian-2024:3", "rejected")
    store.undo("王", "baqiao-2023:1", "xian-2024:3")
    current = dict(store.current().select("reviewer", "decision").rows())
    assert current == {"王": "confirmed", "李": "confirmed"}
    history = store.history("baqiao-2023:1")
    assert history["decision"].to_list() == ["confirmed", "confirmed", "rejected", "undo"]
    assert history.filter(pl.col("id") == rejected)["retracted"].item() is True
    assert history["retracts"].to_list()[-1] == rejected
    # Undo walks back; once nothing is in effect it says so.
    store.undo("王", "baqiao-2023:1", "xian-2024:3")
    assert store.current(reviewer="王").is_empty()
    with pytest.raises(StoreError, match="Nothing to undo"):
        store.undo("王", "baqiao-2023:1", "xian-2024:3")
    assert store.current(reviewer="李")["decision"].to_list() == ["confirmed"]


def test_undo_of_no_counterpart_names_its_document_and_leaves_the_other_documents(store):
    store.record("李", "baqiao-2023:5", None, "no_counterpart", target_doc="xian-2024")
    store.record("李", "baqiao-2023:5", None, "no_counterpart", target_doc="xianyang-2023")
    with pytest.raises(StoreError, match="needs the document"):
        store.undo("李", "baqiao-2023:5")
    store.undo("李", "baqiao-2023:5", target_doc="xianyang-2023")
    assert store.current().select("decision", "target_doc").rows() == [("no_counterpart", "xian-2024")]
    assert store.log()["decision"].to_list() == ["no_counterpart", "no_counterpart", "undo"]
    with pytest.raises(StoreError, match=r"no counterpart in xianyang-2023"):
        store.undo("李", "baqiao-2023:5", target_doc="xianyang-2023")


def test_two_reviewers_confirm_and_reject_is_a_conflict_and_neither_is_overwritten(store):
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    store.record("李", "baqiao-2023:1", "xian-2024:3", "rejected")
    store.record("李", "baqiao-2023:2", "xian-2024:1", "confirmed")
    store.record("王", "baqiao-2023:2", "xian-2024:1", "unsure")  # unsure takes no position
    conflicts = store.conflicts()
    assert conflicts.select("kind", "source_id", "target_id").rows() == [("pair", "baqiao-2023:1", "xian-2024:3")]
    assert conflicts["summary"].item() == "王: 确认 confirmed; 李: 拒绝 rejected"
    assert sorted(store.current()["decision"].to_list()) == ["confirmed", "confirmed", "rejected", "unsure"]
    overall = store.current(overall=True)
    flags = dict(zip(overall["source_id"], overall["conflict"], strict=True))
    assert flags == {"baqiao-2023:1": True, "baqiao-2023:2": False}
    # The disputed link is not exported as agreed unless asked for.
    assert store.confirmed_links()["source_id"].to_list() == ["baqiao-2023:2"]
    assert store.confirmed_links(include_conflicts=True).height == 2


def test_no_counterpart_against_a_confirmed_link_is_a_conflict(store):
    store.record("李", "baqiao-2023:5", None, "no_counterpart", target_doc="xian-2024")
    store.record("王", "baqiao-2023:5", "xian-2024:2", "confirmed")
    conflicts = store.conflicts()
    assert conflicts.select("kind", "target_id", "target_doc").rows() == [
        ("no_counterpart_vs_link", "xian-2024:2", "xian-2024")
    ]
    assert conflicts["reviewers"].to_list() == [["李", "王"]]
    assert store.current(overall=True)["conflict"].to_list() == [True, True]


def test_no_counterpart_in_one_plan_says_nothing_of_a_link_into_another(store):
    # Nothing in xianyang-2023 serves the task; its link into xian-2024 stands, undisputed.
    store.record("李", "baqiao-2023:5", None, "no_counterpart", target_doc="xianyang-2023")
    store.record("李", "baqiao-2023:5", "xian-2024:2", "confirmed")
    assert store.conflicts().is_empty()
    assert store.current(overall=True)["conflict"].to_list() == [False, False]
    assert store.confirmed_links()["target_id"].to_list() == ["xian-2024:2"]


def test_confirmed_links_filter_by_document_pair_and_join_reviewers(store):
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed", score=0.5)
    store.record("李", "baqiao-2023:1", "xian-2024:3", "confirmed", score=0.9, engine_version="m/2")
    store.record("李", "baqiao-2020:1", "baqiao-2023:97", "confirmed")
    store.record("李", "baqiao-2023:2", "xian-2024:1", "rejected")
    links = store.confirmed_links("baqiao-2023", "xian-2024")
    assert links.select("source_id", "target_id", "reviewer", "score", "engine_version").rows() == [
        ("baqiao-2023:1", "xian-2024:3", "李, 王", 0.9, "m/2")
    ]
    assert store.confirmed_links(source_doc="baqiao-2020")["target_doc"].to_list() == ["baqiao-2023"]
    assert store.confirmed_links().height == 2


def test_a_second_confirmation_keeps_the_first_reviewers_note_and_score(store):
    """李's bare "me too" emptied 王's note, score and engine version in every export."""
    store.record("王", "baqiao-2023:75", "xian-2024:4", "confirmed", score=0.83, engine_version="m/1",
                 note="需与市发改委核对充电桩数量")
    store.record("李", "xian-2024:4", "baqiao-2023:75", "confirmed")  # from the other side, no note
    link = store.confirmed_links("baqiao-2023", "xian-2024").row(0, named=True)
    assert (link["score"], link["engine_version"], link["reviewer"]) == (0.83, "m/1", "李, 王")
    assert link["note"] == "王：需与市发改委核对充电桩数量"
    store.record("李", "baqiao-2023:75", "xian-2024:4", "confirmed", note="数量已核对")
    assert store.confirmed_links()["note"].to_list() == ["王：需与市发改委核对充电桩数量；李：数量已核对"]
    # two reviewers without a note leave none, as one does (an empty text in CSV and Parquet, null elsewhere)
    store.record("王", "baqiao-2023:93", "xian-2024:14", "confirmed")
    store.record("李", "baqiao-2023:93", "xian-2024:14", "confirmed")
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    notes = dict(store.confirmed_links().select("source_id", "note").rows())
    assert notes["baqiao-2023:93"] is None and notes["baqiao-2023:1"] is None


def test_decision_survives_reopen(tmp_path):
    path = tmp_path / "decisions.sqlite"
    with DecisionStore(path) as first:
        decision_id = first.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    with DecisionStore(path) as again:
        assert again.log()["id"].to_list() == [decision_id]
        assert again.confirmed_links().height == 1
        assert again._connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert again._connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_bulk_record_writes_one_log_row_per_decision(store):
    rows = [
        {"reviewer": "王", "source_id": f"baqiao-2023:{n}", "target_id": f"xian-2024:{n}", "decision": "confirmed",
         "score": 0.7}
        for n in range(1, 6)
    ]
    ids = store.bulk_record(rows)
    assert len(ids) == 5 and len(set(ids)) == 5
    assert store.log().height == 5 and store.confirmed_links().height == 5


def test_bulk_record_reports_every_bad_row_and_writes_nothing(store):
    rows = [
        {"reviewer": "王", "source_id": "baqiao-2023:1", "target_id": "xian-2024:1", "decision": "confirmed"},
        {"reviewer": "", "source_id": "baqiao-2023:2", "target_id": "xian-2024:2", "decision": "confirmed"},
        {"reviewer": "王", "source_id": "baqiao-2023:3", "target_id": "xian-2024:3", "decision": "maybe"},
    ]
    with pytest.raises(StoreError, match=r"Row 2: .*reviewer.* Row 3: .*decision"):
        store.bulk_record(rows)
    assert store.log().is_empty()


def test_thousands_of_bad_rows_give_a_short_message_that_counts_them(store):
    """Non-regression: 40,000 bad rows made a 4 MB error message, every row listed."""
    rows = [{"reviewer": "王", "source_id": f"baqiao-2023:{n}", "target_id": "xian-2024:1", "decision": "maybe"}
            for n in range(1, 5001)]
    with pytest.raises(StoreError) as caught:
        store.bulk_record(rows)
    message = str(caught.value)
    assert "Row 10: " in message and "Row 11: " not in message
    assert message.endswith("… and 4990 more (5000 problems in all).") and len(message) < 2000
    assert caught.value.zh.endswith("另有 4990 处（共 5000 处）")
    assert store.log().is_empty()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("王", "baqiao-2023:1", "xian-2024:3", "approved"), "'decision' must be one of confirmed"),
        (("", "baqiao-2023:1", "xian-2024:3", "confirmed"), "'reviewer' must be a non-empty name"),
        (("   ", "baqiao-2023:1", "xian-2024:3", "confirmed"), "'reviewer' must be a non-empty name"),
        (("王", "baqiao-2023", "xian-2024:3", "confirmed"), "'source_id' must be an item id"),
        (("王", "baqiao-2023:1", None, "confirmed"), "needs a target_id"),
        (("王", "baqiao-2023:1", "xian-2024:3", "no_counterpart"), "has no target"),
        (("王", "baqiao-2023:1", None, "no_counterpart"), "names the document that has no counterpart"),
        (("王", "baqiao-2023:1", "baqiao-2023:1", "confirmed"), "cannot be linked to itself"),
        (("王", "baqiao-2023:1", "baqiao-2023:2", "confirmed"), "A link joins items of two documents"),
    ],
)
def test_invalid_decision_is_refused_with_a_clear_message(store, args, message):
    with pytest.raises(StoreError, match=message):
        store.record(*args)
    assert store.log().is_empty()


def test_a_reviewer_name_with_an_invisible_character_is_the_same_reviewer(store):
    store.record("王\u200b", "baqiao-2023:1", "xian-2024:3", "confirmed")
    store.record(" 王 ", "baqiao-2023:1", "xian-2024:3", "rejected")
    assert store.current().select("reviewer", "decision").rows() == [("王", "rejected")], "no conflict with oneself"
    assert store.conflicts().is_empty()
    store.undo("王\ufeff", "baqiao-2023:1", "xian-2024:3")
    assert store.current(reviewer="\u200b王").select("decision").rows() == [("confirmed",)]
    with pytest.raises(StoreError, match="non-empty name"):
        store.record("\u200b\u200d", "baqiao-2023:1", "xian-2024:3", "confirmed")


@pytest.mark.parametrize("score", [float("nan"), float("inf"), 5.0, -0.1, True])
def test_a_score_that_is_no_matcher_score_is_refused(store, score):
    with pytest.raises(PlanAlignError, match="a number from 0 to 1"):
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed", score=score)
    assert store.log().is_empty()


def test_log_cannot_be_edited_in_place(tmp_path):
    path = tmp_path / "decisions.sqlite"
    with DecisionStore(path) as store:
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE decisions SET decision = 'rejected'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM decisions")
    conn.close()


def test_not_a_database_gives_one_line_store_error(tmp_path):
    path = tmp_path / "decisions.sqlite"
    path.write_bytes(b"this is a spreadsheet, not a database\n" * 100)
    with pytest.raises(StoreError) as caught:
        DecisionStore(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and "PLAN_ALIGN_DB" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert caught.value.for_planner().startswith("审核记录库出错：无法打开审核记录库"), "the app says it in Chinese first"


def test_foreign_sqlite_file_is_not_taken_over(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a plan-align decision store"):
        DecisionStore(path)
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert tables == [("accounts",)]
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("delete",), "left in WAL mode"


def test_a_store_another_process_is_writing_to_opens_and_reads(tmp_path):
    """Every open took a write lock, so a reader (export, coverage) waited 30 s behind a writer and was then
    told the store might be damaged and should be moved aside."""
    path = tmp_path / "d.sqlite"
    with DecisionStore(path) as store:
        store.record("王", "baqiao-2023:1", "xian-2024:1", "confirmed")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with DecisionStore(path, timeout=1) as store:
            assert store.current()["target_id"].to_list() == ["xian-2024:1"]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_text_changes_name_the_side_whose_text_is_not_the_one_decided_on(store):
    store.record("王", "baqiao-2023:1", "xian-2024:1", "confirmed", source_digest="aaaaaaaa", target_digest="bbbbbbbb")
    store.record("王", "baqiao-2023:2", "xian-2024:2", "confirmed", source_digest="cccccccc", target_digest="dddddddd")
    store.record("王", "baqiao-2023:3", "xian-2024:3", "confirmed")  # decided before fingerprints: cannot tell
    now = {"baqiao-2023:1": "aaaaaaaa", "xian-2024:1": "eeeeeeee", "baqiao-2023:2": "ffffffff",
           "xian-2024:2": "00000000", "baqiao-2023:3": "11111111", "xian-2024:3": "22222222"}
    changed = with_text_changes(store.confirmed_links(), now)
    assert dict(zip(changed["source_id"], changed["text_changed"], strict=True)) == {
        "baqiao-2023:1": "target", "baqiao-2023:2": "both", "baqiao-2023:3": None
    }
    with pytest.raises(StoreError, match="must be a text fingerprint"):
        store.record("王", "baqiao-2023:4", "xian-2024:4", "confirmed", source_digest="市政道路")


SCHEMA_1 = """
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, reviewer TEXT NOT NULL, decided_at TEXT NOT NULL,
    source_id TEXT NOT NULL, target_id TEXT, decision TEXT NOT NULL, note TEXT, score REAL,
    engine_version TEXT, retracts INTEGER REFERENCES decisions (id)
);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
PRAGMA user_version = 1;
"""


def test_a_schema_1_store_opens_with_its_decisions_and_old_no_counterparts_count_everywhere(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_1)
    conn.executemany(
        "INSERT INTO decisions (reviewer, decided_at, source_id, target_id, decision) VALUES (?, ?, ?, ?, ?)",
        [("王", "2025-01-01T00:00:00+00:00", "baqiao-2023:1", "xian-2024:3", "confirmed"),
         ("李", "2025-01-02T00:00:00+00:00", "baqiao-2023:5", None, "no_counterpart")],
    )
    conn.commit()
    conn.close()
    with DecisionStore(path) as store:
        assert store.log().select("reviewer", "source_id", "target_id", "decision", "target_doc").rows() == [
            ("王", "baqiao-2023:1", "xian-2024:3", "confirmed", None),
            ("李", "baqiao-2023:5", None, "no_counterpart", None),
        ]
        # Made before no-counterparts named a document, it contradicts a link into any plan.
        store.record("王", "baqiao-2023:5", "xianyang-2023:2", "confirmed")
        assert store.conflicts()["kind"].to_list() == ["no_counterpart_vs_link"]
        assert pair_decisions(store.current(), "baqiao-2023", "xian-2024")["source_id"].to_list() == ["baqiao-2023:1",
                                                                                                       "baqiao-2023:5"]
        store.undo("李", "baqiao-2023:5", target_doc="xian-2024")  # the page undoes it from any pair
        assert store.conflicts().is_empty()
        store.record("李", "baqiao-2023:6", None, "no_counterpart", target_doc="xian-2024")
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (2,)
    with DecisionStore(path) as reopened:  # opened again: already schema 2, nothing to migrate
        assert reopened.current()["target_doc"].to_list() == [None, None, "xian-2024"]


def test_empty_store_returns_typed_empty_frames(store):
    for frame in (store.log(), store.current(), store.current(overall=True), store.conflicts(),
                  store.confirmed_links(), store.history("baqiao-2023:1")):
        assert frame.is_empty() and frame.width > 0


def test_decisions_in_effect_follow_every_write_from_any_process(store):
    """The decisions in effect are read once per state of the log; a write by another process,
    an undo, or a write of this one must still show at once."""
    other = DecisionStore(store.path)  # a second app or CLI on the same file
    try:
        store.record("王", "baqiao-2023:1", "xian-2024:1", "confirmed")
        assert store.current()["target_id"].to_list() == ["xian-2024:1"]
        other.record("李", "baqiao-2023:1", "xian-2024:1", "rejected")
        assert store.current()["reviewer"].to_list() == ["王", "李"]
        assert store.conflicts().height == 1
        other.undo("李", "baqiao-2023:1", "xian-2024:1")
        assert store.current()["reviewer"].to_list() == ["王"] and store.conflicts().is_empty()
        store.record("王", "baqiao-2023:1", "xian-2024:1", "rejected")
        assert other.current()["decision"].to_list() == ["rejected"]
        assert store.current(reviewer="李").is_empty() and store.current(reviewer="王").height == 1
    finally:
        other.close()


def test_a_read_only_store_is_called_read_only_not_damaged(tmp_path, monkeypatch):
    """Moving an intact store aside, as the damaged-file advice says, would hide its decisions."""
    import sqlite3

    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(StoreError, match="is read-only") as error:
        DecisionStore(tmp_path / "decisions.sqlite")
    assert "move it aside" not in str(error.value)


def test_a_store_on_a_read_only_mount_is_read_and_refuses_only_a_decision(tmp_path, monkeypatch):
    """An auditor's read-only copy: coverage, evolve and export were refused as well as decide (a bad-input probe)."""
    path = tmp_path / "decisions.sqlite"
    with DecisionStore(path) as store:
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    monkeypatch.setattr(DecisionStore, "_writable", lambda self: False)  # as a read-only mount answers (not root)
    with DecisionStore(path) as store:
        assert store.current()[["source_id", "decision"]].rows() == [("baqiao-2023:1", "confirmed")]
        with pytest.raises(StoreError, match="is read-only.*nothing was recorded"):
            store.record("王", "baqiao-2023:2", "xian-2024:3", "confirmed")
    with DecisionStore(path) as store:
        assert store.current().height == 1, "nothing was written"
    # … and reads the decisions still in the -wal file beside it (read stale, without a word, once; a review)
    monkeypatch.undo()
    writer = DecisionStore(path)
    try:
        writer.record("王", "baqiao-2023:1", "xian-2024:3", "rejected")
        monkeypatch.setattr(DecisionStore, "_writable", lambda self: False)
        with DecisionStore(path) as reader:
            assert reader.current()[["source_id", "decision"]].rows() == [("baqiao-2023:1", "rejected")]
    finally:
        writer.close()


def test_a_store_made_read_only_after_it_opened_says_so_when_a_decision_is_recorded(tmp_path):
    """`decide` on an immutable store said "attempt to write a readonly database. Check the disk and try again"."""
    with DecisionStore(tmp_path / "decisions.sqlite") as store:
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
        store._connection.execute("PRAGMA query_only = ON")  # as SQLite answers a file it may no longer write
        with pytest.raises(StoreError, match="is read-only.*nothing was recorded") as error:
            store.record("王", "baqiao-2023:2", "xian-2024:3", "confirmed")
        assert "Check the disk" not in str(error.value)


def _delete_store_files(path):
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def test_a_store_deleted_while_open_is_written_back_with_every_decision(tmp_path):
    """The app keeps one connection for hours; decisions written to a deleted file vanished at restart."""
    path = tmp_path / "decisions.sqlite"
    with DecisionStore(path) as store:
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
        _delete_store_files(path)
        store.record("王", "baqiao-2023:2", "xian-2024:4", "rejected")
        assert path.exists()
        _delete_store_files(path)
        assert store.current().height == 2, "a read notices the deletion too"
        assert path.exists()
    with DecisionStore(path) as reopened:
        assert reopened.current()["decision"].to_list() == ["confirmed", "rejected"]
        reopened.record("李", "baqiao-2023:1", "xian-2024:3", "rejected")
        assert reopened.conflicts().height == 1, "the written-back file is a working store"


def test_a_store_replaced_while_open_reads_the_new_file_and_says_the_action_was_not_recorded(tmp_path):
    path, other = tmp_path / "decisions.sqlite", tmp_path / "restored.sqlite"
    with DecisionStore(other) as restored:
        restored.record("李", "baqiao-2023:9", "xian-2024:1", "confirmed")
    with DecisionStore(path) as store:
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
        _delete_store_files(path)
        other.replace(path)
        with pytest.raises(StoreError, match="replaced by another file.*was not recorded: make it again"):
            store.record("王", "baqiao-2023:2", "xian-2024:4", "rejected")
        assert store.current()["source_id"].to_list() == ["baqiao-2023:9"]
        store.record("王", "baqiao-2023:2", "xian-2024:4", "rejected")
    with DecisionStore(path) as reopened:
        assert reopened.current()["source_id"].to_list() == ["baqiao-2023:9", "baqiao-2023:2"]


def test_a_store_replaced_by_a_foreign_file_while_open_is_an_error_not_a_write_into_it(tmp_path):
    path = tmp_path / "decisions.sqlite"
    with DecisionStore(path) as store:
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
        _delete_store_files(path)
        foreign = sqlite3.connect(path)
        foreign.execute("CREATE TABLE notes (text TEXT)")
        foreign.commit()
        foreign.close()
        with pytest.raises(StoreError, match="not a plan-align decision store"):
            store.record("王", "baqiao-2023:2", "xian-2024:4", "rejected")
        with pytest.raises(StoreError, match="closed"):
            store.current()
    assert [row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_a_reviewer_changing_their_mind_between_a_link_and_no_counterpart_is_not_a_conflict(store):
    """王 confirms, then marks 无对应 in the same plan: the later decision stands, as it does on one pair."""
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    store.record("王", "baqiao-2023:1", None, "no_counterpart", target_doc="xian-2024")
    assert store.current()["decision"].to_list() == ["no_counterpart"]
    assert store.conflicts().is_empty() and store.confirmed_links().is_empty()
    store.record("王", "baqiao-2023:1", "xian-2024:5", "confirmed")
    assert store.current()["target_id"].to_list() == ["xian-2024:5"], "the earlier link stays replaced by the 无对应"
    assert store.conflicts().is_empty() and store.confirmed_links()["target_id"].to_list() == ["xian-2024:5"]
    store.undo("王", "baqiao-2023:1", "xian-2024:5")
    assert store.current()["decision"].to_list() == ["no_counterpart"], "undo brings back the state before"


def test_a_no_counterpart_a_later_confirmation_took_back_stays_taken_back_when_the_link_is_rejected(store):
    """无对应, then confirmed, then the link rejected: the 无对应 came back (the item read 'reviewed: 无对应' and
    left the queue), though 王 never said it again."""
    store.record("王", "baqiao-2023:54", None, "no_counterpart", target_doc="xian-2024")
    store.record("王", "baqiao-2023:54", "xian-2024:15", "confirmed")
    store.record("王", "baqiao-2023:54", "xian-2024:15", "rejected")
    assert store.current()["decision"].to_list() == ["rejected"]
    store.undo("王", "baqiao-2023:54", "xian-2024:15")  # the rejection: the confirmation stands again
    assert store.current()["decision"].to_list() == ["confirmed"]


def test_undoing_a_decision_a_later_one_replaced_says_so_and_changes_nothing(store):
    """The undo retracted the confirmation the 无对应 had replaced and said 'undid their latest decision':
    nothing visible changed, and undoing the 无对应 then could not bring the link back."""
    store.record("王", "baqiao-2023:54", "xian-2024:15", "confirmed")
    store.record("王", "baqiao-2023:54", None, "no_counterpart", target_doc="xian-2024")
    with pytest.raises(StoreError, match=r"王's decision there \(#1\) was already replaced by their later #2 "
                                         r"no_counterpart on baqiao-2023:54 \(no counterpart in xian-2024\)"):
        store.undo("王", "baqiao-2023:54", "xian-2024:15")
    store.undo("王", "baqiao-2023:54", None, target_doc="xian-2024")
    assert store.current()[["target_id", "decision"]].rows() == [("xian-2024:15", "confirmed")]


def test_no_counterpart_in_one_plan_leaves_a_link_into_another_plan_in_effect(store):
    store.record("王", "baqiao-2023:1", "xianyang-2023:2", "confirmed")
    store.record("王", "baqiao-2023:1", None, "no_counterpart", target_doc="xian-2024")
    assert sorted(store.current()["decision"].to_list()) == ["confirmed", "no_counterpart"]
    assert store.confirmed_links()["target_id"].to_list() == ["xianyang-2023:2"]


def test_another_reviewers_no_counterpart_still_conflicts_with_a_confirmed_link(store):
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed")
    store.record("李", "baqiao-2023:1", None, "no_counterpart", target_doc="xian-2024")
    assert store.conflicts()["kind"].to_list() == ["no_counterpart_vs_link"]


# A link is one link whichever document it was judged from (the Review page can match either way).

def test_reviewers_disagreeing_on_one_link_from_opposite_documents_is_a_conflict(store):
    store.record("甲", "baqiao-2023:54", "xian-2024:15", "confirmed")
    store.record("乙", "xian-2024:15", "baqiao-2023:54", "rejected")
    conflicts = store.conflicts()
    assert conflicts.select("kind", "source_id", "target_id").rows() == [("pair", "baqiao-2023:54", "xian-2024:15")]
    assert sorted(conflicts["decisions"][0]) == ["confirmed", "rejected"]
    assert store.confirmed_links().is_empty(), "a disputed link is not exported as agreed"
    assert store.confirmed_links(include_conflicts=True).height == 1
    overall = store.current(overall=True)
    assert overall.select("source_id", "target_id", "conflict").rows() == [("baqiao-2023:54", "xian-2024:15", True)]


def test_one_link_confirmed_from_both_documents_is_exported_once_the_way_asked(store):
    store.record("王", "baqiao-2023:85", "xian-2024:18", "confirmed")
    store.record("李", "xian-2024:18", "baqiao-2023:85", "confirmed")
    store.record("李", "baqiao-2023:54", "xian-2024:15", "confirmed")
    every = store.confirmed_links()
    assert every.select("source_id", "target_id", "reviewer").rows() == [
        ("baqiao-2023:54", "xian-2024:15", "李"), ("baqiao-2023:85", "xian-2024:18", "李, 王")
    ], "one sheet, the way most of the pair's links were judged"
    turned = store.confirmed_links("xian-2024", "baqiao-2023")
    assert turned.select("source_id", "target_id").rows() == [("xian-2024:15", "baqiao-2023:54"),
                                                              ("xian-2024:18", "baqiao-2023:85")]


def test_a_reviewer_judging_a_link_again_from_the_other_document_replaces_the_first_judgement(store):
    store.record("王", "baqiao-2023:54", "xian-2024:15", "confirmed")
    store.record("王", "xian-2024:15", "baqiao-2023:54", "rejected")
    assert store.current()["decision"].to_list() == ["rejected"] and store.conflicts().is_empty()
    store.undo("王", "baqiao-2023:54", "xian-2024:15")  # named the way the Review page of the district shows it
    assert store.current()["decision"].to_list() == ["confirmed"]


def test_no_counterpart_on_a_city_item_conflicts_with_a_link_confirmed_from_the_district(store):
    store.record("王", "baqiao-2023:54", "xian-2024:15", "confirmed")
    store.record("李", "xian-2024:15", None, "no_counterpart", target_doc="baqiao-2023")
    conflicts = store.conflicts()
    assert conflicts.select("kind", "source_id", "target_id").rows() == [
        ("no_counterpart_vs_link", "xian-2024:15", "baqiao-2023:54")]
    assert sorted(conflicts["decisions"][0]) == ["confirmed", "no_counterpart"]
    assert store.confirmed_links().is_empty()


def test_a_reviewers_later_no_counterpart_on_a_city_item_replaces_their_link_confirmed_from_the_district(store):
    store.record("王", "baqiao-2023:54", "xian-2024:15", "confirmed")
    store.record("王", "xian-2024:15", None, "no_counterpart", target_doc="baqiao-2023")
    assert store.current()["decision"].to_list() == ["no_counterpart"] and store.conflicts().is_empty()


def test_a_store_on_a_full_disk_is_not_called_damaged(tmp_path, monkeypatch):
    """SQLite out of room says "disk I/O error", and the message advised moving the store aside as
    damaged: a planner who did so started an empty store and thought every decision lost."""
    import shutil

    db = tmp_path / "decisions.sqlite"
    with DecisionStore(db) as store:
        store.record("王", "baqiao-2023:75", "xian-2024:4", "confirmed")
    real_connect, real_usage = sqlite3.connect, shutil.disk_usage

    def no_room(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite3, "connect", no_room)
    monkeypatch.setattr("shutil.disk_usage", lambda folder: real_usage(folder)._replace(free=8 * 1024))
    with pytest.raises(StoreError) as caught:
        DecisionStore(db)
    assert "the disk is full (8 KB free" in str(caught.value) and "do not move the store aside" in str(caught.value)
    assert "move it aside" not in str(caught.value)
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    with DecisionStore(db) as store:
        assert store.current().height == 1, "nothing was lost"


def test_values_typed_into_the_log_by_hand_are_read_as_missing_once_each_and_kept(tmp_path, caplog):
    """The Review page's history, the log and the decisions in effect read a hand-typed '0,83' score, an
    undo retracting 'abc' and a time of 'yesterday' as missing, each said once; before, each read was a
    polars ComputeError (or 'yesterday' passed for a time)."""
    path = tmp_path / "decisions.sqlite"
    with DecisionStore(path) as store:
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed", score=0.5)
    conn = sqlite3.connect(path)
    rows = [("2024-01-01T08:00:00+08:00", "baqiao-2023:2", "confirmed", "0,83", None),
            ("yesterday", "baqiao-2023:3", "rejected", None, None),
            ("2024-01-01T08:00:00+08:00", "baqiao-2023:4", "undo", None, "abc")]
    conn.executemany("INSERT INTO decisions (reviewer, decided_at, source_id, target_id, decision, score, retracts) "
                     "VALUES ('李', ?, ?, 'xian-2024:3', ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    with DecisionStore(path) as store, caplog.at_level("WARNING", logger="align.store"):
        log, history, current = store.log(), store.history("baqiao-2023:2"), store.current()
        store.log()
    assert log["score"].to_list() == [0.5, None, None, None] and history["score"].to_list() == [None]
    assert log["decided_at"][2] is None and log["retracts"][3] is None
    assert current.filter(pl.col("source_id") == "baqiao-2023:2")["decision"].to_list() == ["confirmed"], \
        "the decision counts"
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 3, said
    assert said[0].startswith(f"decision #2 in {path}: its score '0,83' is not a number written with a point")
    assert said[1].startswith(f"decision #3 in {path}: its decided_at 'yesterday' is not a time with its time zone")
    assert said[2].startswith(f"decision #4 in {path}: its retracts 'abc' is not the id of the decision it undoes")
    assert all("（审核记录 #" in line for line in said)
    kept = sqlite3.connect(path).execute("SELECT score, decided_at, retracts FROM decisions WHERE id > 1").fetchall()
    assert kept == [("0,83", "2024-01-01T08:00:00+08:00", None), (None, "yesterday", None),
                    (None, "2024-01-01T08:00:00+08:00", "abc")], "the log keeps them as written"


def test_a_time_typed_with_z_or_a_space_is_a_time(tmp_path, caplog):
    """2024-05-01T10:00:00Z is UTC written the other ISO way: it was called 'not a time with its time zone'
    and exported without a time."""
    path = tmp_path / "decisions.sqlite"
    with DecisionStore(path) as store:
        store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed", score=0.5)
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO decisions (reviewer, decided_at, source_id, target_id, decision) "
                     "VALUES ('李', ?, ?, 'xian-2024:3', 'confirmed')",
                     [("2024-05-01T10:00:00Z", "baqiao-2023:2"), ("2024-05-01 18:00:00+08:00", "baqiao-2023:3")])
    conn.commit()
    conn.close()
    with DecisionStore(path) as store, caplog.at_level("WARNING", logger="align.store"):
        shown = store.log().select(local_time("decided_at", "Asia/Shanghai"))["decided_at"].to_list()
    assert shown[1:] == ["2024-05-01 18:00:00", "2024-05-01 18:00:00"] and not caplog.records


def test_only_the_plans_a_rejection_or_no_counterpart_judged_are_read_to_settle_conflicts(store):
    """Home read and hashed every registered plan on each render (2–4 s with a hundred plans), though only a
    rejection or 无对应 judged on a re-issued plan's old text changes what disputes a confirmation."""
    from align.store import judged_documents

    store.record("王", "baqiao-2023:75", "xian-2024:4", "confirmed")
    assert judged_documents(store.current()) == [], "confirmations alone: no plan to read"
    store.record("李", "baqiao-2020:3", "baqiao-2023:9", "rejected")
    store.record("李", "xixian-2023:1", None, "no_counterpart", target_doc="xian-2024")
    assert judged_documents(store.current()) == ["baqiao-2020", "baqiao-2023", "xian-2024", "xixian-2023"]


def test_a_decision_said_again_as_it_stands_is_not_written_twice(store):
    """Y pressed three times fast wrote one confirmation twice, 1 ms apart, and one Undo then left the link
    confirmed (a browser probe); said again after an Undo, or with another note, it is a decision of its own."""
    first = store.record("王", "baqiao-2023:55", "xian-2024:1", "confirmed")
    assert store.record("王", "baqiao-2023:55", "xian-2024:1", "confirmed") == first
    assert store.log().height == 1
    store.undo("王", "baqiao-2023:55", "xian-2024:1")
    assert store.current().is_empty(), "one Undo takes it back"
    again = store.record("王", "baqiao-2023:55", "xian-2024:1", "confirmed")
    assert again != first and store.record("王", "baqiao-2023:55", "xian-2024:1", "confirmed", note="已核对") != again
    assert store.record("李", "baqiao-2023:55", "xian-2024:1", "confirmed") not in (first, again), "a colleague's me too"


@pytest.mark.parametrize(
    "steps",
    [
        [("baqiao-2023:12", None, "no_counterpart"), ("baqiao-2023:12", "xian-2024:4", "confirmed"),
         ("baqiao-2023:12", None, "no_counterpart")],
        [("baqiao-2023:12", "xian-2024:4", "confirmed"), ("baqiao-2023:12", None, "no_counterpart"),
         ("baqiao-2023:12", "xian-2024:4", "confirmed")],
        [("baqiao-2023:12", "xian-2024:4", "confirmed"), ("xian-2024:4", "baqiao-2023:12", "rejected"),
         ("baqiao-2023:12", "xian-2024:4", "confirmed")],
    ],
)
def test_a_decision_changed_back_to_is_recorded_and_in_effect(store, steps):
    """无对应, confirmed, 无对应 again: the third was taken for the first said again and not written, so the
    confirmation stayed in effect while the CLI and the Review page said 'recorded' (a code review)."""
    for source_id, target_id, decision in steps:
        store.record("王", source_id, target_id, decision, target_doc="xian-2024" if target_id is None else None)
    assert store.log().height == 3
    assert store.current()["decision"].to_list() == [steps[-1][2]]
