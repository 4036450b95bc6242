"""The command line under conditions a planner's machine produces: files outside the data folder,
damaged caches, bad model files, full disks, read-only folders, hand-written registries.

Each failure is one line on stderr naming the file, exit code 2, nothing touched; never a traceback.
"""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from align.cli import main as cli_main
from align.ingest import load_items
from align.registry import load_registry
from align.settings import Settings
from align.store import DecisionStore
from matching.engine import match_documents

OUTSIDE_ENTRY = """
[[document]]
id = "outside-2024"
title = "灞桥区2024年工作要点"
jurisdiction = "灞桥区"
level = "district"
year = 2024
kind = "work_points"
file = "{file}"
"""


@pytest.fixture()
def data(data_copy, monkeypatch):
    """A private data folder whose decision store is its own (not the session's default)."""
    monkeypatch.setenv("PLAN_ALIGN_DATA", str(data_copy.data_dir))
    monkeypatch.setenv("PLAN_ALIGN_DB", str(data_copy.data_dir / "decisions.sqlite"))
    return data_copy.data_dir


def run(*argv: str) -> int:
    return cli_main(list(argv))


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, err
    return lines[0]


def register_outside(data, file: str) -> None:
    with open(data / "registry.toml", "a", encoding="utf-8") as registry:
        registry.write(OUTSIDE_ENTRY.format(file=file))


# ---------------------------------------------------------------- 1. remove


@pytest.mark.parametrize("relative", [False, True])
def test_remove_never_moves_a_file_outside_the_data_folder(tmp_path, data, capsys, relative):
    """Non-regression: remove moved the planner's own file (registered by absolute or ../ path) into .removed/."""
    outside = tmp_path / "outside"
    outside.mkdir()
    original = outside / "b.txt"
    original.write_bytes((data / "documents" / "xixian-2023-work-points.txt").read_bytes())
    register_outside(data, "../outside/b.txt" if relative else str(original))
    assert run("remove", "outside-2024", "--data", str(data)) == 0
    out = capsys.readouterr().out
    assert original.is_file(), "the planner's own file stays where it is"
    assert "outside the data folder" in out
    assert "outside-2024" not in {meta.id for meta in load_registry(data)}
    assert not (data / "documents" / ".removed").exists()


def test_remove_still_keeps_a_copy_inside_the_data_folder(data, capsys):
    """A copy in documents/ still goes to documents/.removed/, as the README says."""
    assert run("remove", "xixian-2023", "--data", str(data)) == 0
    assert (data / "documents" / ".removed" / "xixian-2023-work-points.txt").is_file()
    assert "kept in" in capsys.readouterr().out


# ---------------------------------------------------------------- 2. damaged caches


def _damage(path, how: str, column: str) -> None:
    import polars as pl

    if how == "garbage":
        path.write_bytes(bytes(range(256)) * 2)
    else:  # a table of another shape
        pl.read_parquet(path).drop(column).write_parquet(path)


@pytest.mark.parametrize("how", ["garbage", "column missing"])
@pytest.mark.parametrize("name", ["baqiao-2023.parquet", "baqiao-2023.indicators.parquet"])
def test_a_damaged_item_cache_is_parsed_again(data, capsys, name, how):
    """Non-regression: a damaged cache file was a polars traceback (must end with PAR1, ColumnNotFoundError)."""
    import polars as pl

    assert run("items", "baqiao-2023", "--format", "json", "--data", str(data)) == 0
    expected = capsys.readouterr().out
    cached = data / ".cache" / name
    _damage(cached, how, "text" if name == "baqiao-2023.parquet" else "targets")
    assert run("items", "baqiao-2023", "--format", "json", "--data", str(data)) == 0
    assert capsys.readouterr().out == expected
    assert run("indicators", "baqiao-2023", "--format", "json", "--data", str(data)) == 0
    assert "Traceback" not in capsys.readouterr().err
    pl.read_parquet(cached)  # rewritten, readable again


@pytest.mark.parametrize(
    "damage",
    [lambda m: [1, 2], lambda m: {**m, "baqiao-2023": "x"},
     lambda m: {**m, "baqiao-2023": {"key": m["baqiao-2023"]["key"]}},  # no item count
     lambda m: {**m, "baqiao-2023": {**m["baqiao-2023"], "warnings": 5}}],
)
def test_a_cache_manifest_of_another_shape_is_a_miss(data, capsys, damage):
    """Valid JSON of the wrong shape was an AttributeError, KeyError or TypeError traceback from items."""
    import json

    assert run("items", "baqiao-2023", "--format", "json", "--data", str(data)) == 0
    expected = capsys.readouterr().out
    manifest = data / ".cache" / "manifest.json"
    manifest.write_text(json.dumps(damage(json.loads(manifest.read_text(encoding="utf-8")))), encoding="utf-8")
    assert run("items", "baqiao-2023", "--format", "json", "--data", str(data)) == 0
    assert capsys.readouterr().out == expected
    assert run("ingest", "--data", str(data)) == 0
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("how", ["garbage", "column missing"])
def test_a_damaged_match_cache_is_scored_again(data, capsys, how):
    """Non-regression: a damaged file under .cache/matches was a polars traceback."""
    import polars as pl

    assert run("match", "baqiao-2023", "xian-2024", "--data", str(data)) == 0
    expected = capsys.readouterr().out
    [cached] = (data / ".cache" / "matches").glob("*.parquet")
    _damage(cached, how, "score")
    assert run("match", "baqiao-2023", "xian-2024", "--data", str(data)) == 0
    assert capsys.readouterr().out == expected
    assert "score" in pl.read_parquet(cached).columns  # overwritten with the full result


# ---------------------------------------------------------------- 3. link-model files


def _weights(tmp_path, **changes):
    import json

    from align.settings import SHIPPED_WEIGHTS

    raw = json.loads(SHIPPED_WEIGHTS.read_text(encoding="utf-8"))
    coefficients = {**raw["coefficients"], **changes.pop("coefficients", {})}
    path = tmp_path / "w.json"
    path.write_text(json.dumps({**raw, **changes, "coefficients": coefficients}), encoding="utf-8")  # NaN as JSON writes it
    return path


@pytest.mark.parametrize("changes, said", [
    ({"intercept": float("nan")}, "intercept"),
    ({"threshold": float("nan")}, "threshold"),
    ({"coefficients": {"char_cosine": float("inf")}}, "char_cosine"),
    ({"coefficients": {"char_cosin": 1.0}}, "char_cosin"),
    ({"coefficients": {"char_cosine": -2.0}}, "char_cosine"),  # 0 links proposed, without a word
    ({"coefficients": {"char_cosine": 1e308}}, "char_cosine"),  # every item linked to all ten candidates
    ({"intercept": -1e300}, "intercept"),
])
def test_a_model_file_with_nan_an_unknown_a_negative_or_a_huge_weight_is_refused(tmp_path, data, capsys, changes, said):
    """Non-regression: "intercept": NaN made every score NaN and 1103 links; an unknown name was ignored."""
    weights = _weights(tmp_path, **changes)
    assert run("match", "baqiao-2023", "xian-2024", "--weights", str(weights), "--data", str(data)) == 2
    line = one_error_line(capsys)
    assert str(weights) in line and said in line
    (data / "weights.json").write_bytes(weights.read_bytes())  # adopted in the data folder: the same
    assert run("coverage", "xian-2024", "baqiao-2023", "--data", str(data)) == 2
    line = one_error_line(capsys)
    assert str(data / "weights.json") in line and said in line
    assert run("evolve", "baqiao-2020", "baqiao-2023", "--summary", "--data", str(data)) == 2
    assert said in one_error_line(capsys)


# ---------------------------------------------------------------- 4. a full disk


DISK_FULL = OSError(28, "No space left on device")


def _no_leftovers(folder, before: set[str]) -> None:
    assert {p.name for p in folder.iterdir()} == before, "no half-written or temporary file is left"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "json"])
def test_a_full_disk_is_one_line_and_leaves_no_file(tmp_path, data, capsys, monkeypatch, fmt):
    """Non-regression: polars raised ComputeError (not OSError) on a full disk, a traceback past write_atomic."""
    import polars as pl

    assert run("items", "baqiao-2023", "--data", str(data)) == 0  # cache first: only the output fails
    capsys.readouterr()

    def full(*args, **kwargs):
        raise pl.exceptions.ComputeError("failed to write: No space left on device (os error 28)")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", full)
    monkeypatch.setattr(pl.DataFrame, "write_csv", full)
    monkeypatch.setattr("pathlib.Path.write_text", lambda *a, **k: (_ for _ in ()).throw(DISK_FULL))
    out = tmp_path / "out" / f"items.{fmt}"
    out.parent.mkdir()
    assert run("items", "baqiao-2023", "--format", fmt, "--out", str(out), "--data", str(data)) == 2
    line = one_error_line(capsys)
    assert str(out) in line and "No space left on device" in line
    _no_leftovers(out.parent, set())


def _close_on_a_full_disk(monkeypatch):
    import xlsxwriter

    def full(self):
        raise DISK_FULL

    monkeypatch.setattr(xlsxwriter.Workbook, "_store_workbook", full)  # close() wraps it in FileCreateError


def test_a_workbook_on_a_full_disk_is_one_line_and_leaves_no_file(tmp_path, data, capsys, monkeypatch):
    """Non-regression: xlsxwriter's FileCreateError at close() (evolve, coverage, export --out x.xlsx) was a traceback."""
    assert run("decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", "--data", str(data)) == 0
    _close_on_a_full_disk(monkeypatch)
    for argv in (["evolve", "baqiao-2020", "baqiao-2023", "--out"],
                 ["coverage", "xian-2024", "baqiao-2023", "--out"],
                 ["export", "--out"]):
        out = tmp_path / "book.xlsx"
        assert run(*argv, str(out), "--data", str(data)) == 2, argv
        line = one_error_line(capsys)
        assert str(out) in line and "No space left on device" in line
        _no_leftovers(tmp_path, {"data"})


def test_export_of_a_document_paired_with_itself_asks_for_two(tmp_path, data, capsys):
    """It said "no confirmed links", as if none had been made."""
    assert run("decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", "--data", str(data)) == 0
    capsys.readouterr()
    assert run("export", "--pair", "baqiao-2023", "baqiao-2023", "--out", str(tmp_path / "l.csv"),
               "--data", str(data)) == 2
    assert "give two different documents" in one_error_line(capsys) and not (tmp_path / "l.csv").exists()


def test_a_bug_in_a_writer_is_not_blamed_on_the_disk(tmp_path):
    """Only the OS's errors become 'could not write'; any other error stays itself."""
    from align.files import write_atomic

    def broken(path):
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        write_atomic(tmp_path / "x.csv", broken)
    assert list(tmp_path.iterdir()) == []


def test_a_writer_that_runs_out_of_room_mid_file_is_put_down_to_the_full_disk(tmp_path, monkeypatch):
    """With a few KB left polars' parquet writer said only "Invalid thrift: transport error", a
    traceback from `match`, `evolve` and `coverage` (the cache write) instead of the disk-full line."""
    import shutil

    import polars as pl

    from align.exceptions import OutputError
    from align.files import write_atomic

    def out_of_room(path):
        raise pl.exceptions.ComputeError("parquet: File out of specification: Invalid thrift: transport error")

    real = shutil.disk_usage
    monkeypatch.setattr("shutil.disk_usage", lambda folder: real(folder)._replace(free=12 * 1024))
    with pytest.raises(OutputError, match="the disk is full \\(12 KB free"):
        write_atomic(tmp_path / "x.parquet", out_of_room)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr("shutil.disk_usage", real)  # room to spare: the same error is a bug to see
    with pytest.raises(pl.exceptions.ComputeError):
        write_atomic(tmp_path / "x.parquet", out_of_room)


# ---------------------------------------------------------------- 5. a read-only data folder


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(30, "Read-only file system"),
                                   OSError(28, "No space left on device")])
def test_add_into_a_read_only_data_folder_is_one_line(tmp_path, data, capsys, monkeypatch, error):
    """Non-regression: shutil.copyfile's OSError in add_document was a traceback (tests run as root, so it is
    simulated)."""
    import shutil

    plan = tmp_path / "plan.txt"
    plan.write_bytes((data / "documents" / "xixian-2023-work-points.txt").read_bytes())
    registry = (data / "registry.toml").read_bytes()
    documents = sorted(p.name for p in (data / "documents").iterdir())

    def copy_fails(source, target, **kwargs):
        with open(target, "wb") as partial:
            partial.write(b"half")
        raise error

    monkeypatch.setattr(shutil, "copyfile", copy_fails)
    assert run("add", str(plan), "--id", "lianhu-2024", "--data", str(data)) == 2
    line = one_error_line(capsys)
    assert str(data) in line and error.strerror in line
    assert (data / "registry.toml").read_bytes() == registry
    assert sorted(p.name for p in (data / "documents").iterdir()) == documents, "no partial copy is left"


# ---------------------------------------------------------------- 6. a registry written as an inline array


INLINE_REGISTRY = """# written by hand
document = [
  {id = "xixian-2023", title = "西咸新区2023年工作要点", jurisdiction = "西咸新区", level = "new-area", year = 2023, kind = "work_points", file = "documents/xixian-2023-work-points.txt"},
]
"""


def test_add_to_a_registry_written_as_an_inline_array(tmp_path, data, capsys):
    """Non-regression: add appended a [[document]] table after `document = [...]`: TOMLDecodeError, a traceback."""
    (data / "registry.toml").write_text(INLINE_REGISTRY, encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_bytes((data / "documents" / "xixian-2023-work-points.txt").read_bytes())
    assert run("add", str(plan), "--id", "lianhu-2024", "--jurisdiction", "莲湖区", "--level", "district",
               "--year", "2024", "--data", str(data)) == 0, capsys.readouterr().err
    assert [meta.id for meta in load_registry(data)] == ["xixian-2023", "lianhu-2024"]
    text = (data / "registry.toml").read_text(encoding="utf-8")
    assert text.startswith(INLINE_REGISTRY.rstrip("]\n")), "what was written stays as written"
    assert run("edit", "lianhu-2024", "--parent", "西安市", "--data", str(data)) == 0
    assert run("remove", "lianhu-2024", "--data", str(data)) == 0
    assert [meta.id for meta in load_registry(data)] == ["xixian-2023"]


@pytest.mark.parametrize("rejected_from", ["city", "district"])
def test_decide_warns_of_a_disagreement_whichever_plan_the_link_was_judged_from(data, capsys, rejected_from):
    """李 rejecting from the city side what 王 confirmed from the district side was recorded without a word."""
    assert run("decide", "baqiao-2023:54", "xian-2024:15", "--confirm", "--reviewer", "王", "--data", str(data)) == 0
    capsys.readouterr()
    pair = ["xian-2024:15", "baqiao-2023:54"] if rejected_from == "city" else ["baqiao-2023:54", "xian-2024:15"]
    assert run("decide", *pair, "--reject", "--reviewer", "李", "--data", str(data)) == 0
    assert "warning: reviewers disagree" in capsys.readouterr().err


def test_a_link_decided_on_the_command_line_carries_the_matchers_score_as_one_decided_in_the_app(data):
    """The export's 得分 and 引擎版本 were empty for links confirmed with decide (the app's carry both): the
    pair's cached match gives them; a pair never matched waits for no match and records none."""
    assert run("decide", "baqiao-2023:1", "xian-2024:1", "--confirm", "--reviewer", "王", "--data", str(data)) == 0
    matches = match_documents(Settings(data_dir=data), "baqiao-2023", "xian-2024")  # the app or `match` ran it
    assert run("decide", "xian-2024:4", "baqiao-2023:75", "--confirm", "--reviewer", "王", "--data", str(data)) == 0
    assert run("decide", "baqiao-2023:54", "xian-2024:15", "--confirm", "--reviewer", "王", "--score", "0.5",
               "--data", str(data)) == 0
    with DecisionStore(data / "decisions.sqlite") as store:
        rows = {row["source_id"]: row for row in store.current().iter_rows(named=True)}
    assert rows["baqiao-2023:1"]["score"] is None, "no match of the pair was on disk"
    expected = matches.filter((pl.col("source_id") == "baqiao-2023:75") & (pl.col("target_id") == "xian-2024:4"))
    assert rows["xian-2024:4"]["score"] == pytest.approx(expected["score"][0])
    assert rows["xian-2024:4"]["engine_version"] == expected["engine_version"][0]
    assert rows["baqiao-2023:54"]["score"] == 0.5, "as given"
    assert rows["baqiao-2023:54"]["engine_version"] == expected["engine_version"][0], "the one not given is filled"


def test_correcting_a_documents_level_parses_it_again(tmp_path, data):
    """A city plan first registered as a district's gave no quotas from its items' text, and kept giving
    none after its level was corrected: the item cache was keyed by the file alone."""
    plan = tmp_path / "plan.txt"
    plan.write_text("雁塔市2024年为民实事\n一、新建充电桩。全市新建公用充电桩1000个，其中灞桥区300个。\n"
                    "二、改造老旧小区。完成老旧小区改造40个。\n", encoding="utf-8")
    assert run("add", str(plan), "--id", "yanta-2024", "--jurisdiction", "雁塔市", "--level", "district",
               "--year", "2024", "--data", str(data)) == 0
    settings = Settings(data_dir=data)
    assert load_items(settings, "yanta-2024")["quotas"].list.len().to_list() == [0, 0]
    assert run("edit", "yanta-2024", "--level", "city", "--data", str(data)) == 0
    assert load_items(settings, "yanta-2024")["quotas"].list.len().to_list() == [1, 0]


# ---------------------------------------------------------------- 7. a failed command creates no store


def _no_store_commands(missing):
    return [
        ["decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王"],
        ["decide", "baqiao-2023:75", "xian-2024:4", "--undo", "--reviewer", "王"],
        ["export", "--out", str(missing.parent / "links.xlsx")],
        ["coverage", "xian-2024", "baqiao-2023"],
        ["fit-weights", "--from-decisions"],
    ]


def test_a_missing_data_folder_creates_nothing(tmp_path, monkeypatch, capsys):
    """Non-regression: PLAN_ALIGN_DATA=/nonexistent decide said "no registry file" after creating the folder
    and a decisions.sqlite in it."""
    missing = tmp_path / "nonexistent"
    monkeypatch.setenv("PLAN_ALIGN_DATA", str(missing))
    monkeypatch.delenv("PLAN_ALIGN_DB")
    for argv in _no_store_commands(missing):
        assert run(*argv) == 2, argv
        assert "no registry file" in one_error_line(capsys)
        assert not missing.exists(), argv


def test_a_store_in_a_missing_folder_is_not_created_to_fail(tmp_path, data, monkeypatch, capsys):
    """Non-regression: export with PLAN_ALIGN_DB in a nonexistent folder created the folder and an empty store;
    decide created the store before finding its item ids unknown."""
    db = tmp_path / "nowhere" / "decisions.sqlite"
    monkeypatch.setenv("PLAN_ALIGN_DB", str(db))
    for argv, said in (
        (["export", "--out", str(tmp_path / "links.xlsx")], "no confirmed links"),
        (["export", "--pair", "baqiao-2023", "xian-2042", "--out", str(tmp_path / "links.xlsx")], "xian-2042"),
        (["decide", "baqiao-2023:999", "xian-2024:4", "--confirm", "--reviewer", "王"], "baqiao-2023:999"),
        (["decide", "baqiao-2023:75", "xian-2024:4", "--undo", "--reviewer", "王"], "Nothing to undo"),
        (["fit-weights", "--from-decisions"], "No decision is recorded"),
    ):
        assert run(*argv, "--data", str(data)) == 2, argv
        assert said in one_error_line(capsys)
        assert not db.parent.exists(), argv
    assert run("remove", "xixian-2023", "--data", str(data)) == 0
    assert not db.parent.exists(), "nothing decided, so nothing to open"
    assert run("decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", "--data", str(data)) == 0
    assert db.is_file(), "the first decision creates the store"


# ---------------------------------------------------------------- 8. messages that say what is wrong


def test_an_out_that_is_a_folder_is_called_a_folder(tmp_path, data, capsys):
    """Non-regression: --out given an existing folder failed with a bare "Is a directory"."""
    folder = tmp_path / "links.parquet"
    folder.mkdir()
    for argv in (["items", "baqiao-2023", "--format", "parquet"], ["evolve", "baqiao-2020", "baqiao-2023"]):
        assert run(*argv, "--out", str(folder), "--data", str(data)) == 2
        line = one_error_line(capsys)
        assert str(folder) in line and "is a folder" in line
        assert list(folder.iterdir()) == []


def test_a_registered_file_that_is_a_folder_is_called_a_folder(tmp_path, data, capsys):
    """Non-regression: a registry 'file' naming a folder was reported as "no such file"."""
    (tmp_path / "outside" / "b.txt").mkdir(parents=True)
    register_outside(data, str(tmp_path / "outside" / "b.txt"))
    assert run("items", "outside-2024", "--data", str(data)) == 2
    line = one_error_line(capsys)
    assert "b.txt" in line and "a folder, not a file" in line
    folder = tmp_path / "plan.docx"
    folder.mkdir()
    assert run("add", str(folder), "--id", "lianhu-2024", "--data", str(data)) == 2
    assert "plan.docx" in one_error_line(capsys)


def test_match_out_takes_an_upper_case_extension_and_calls_a_folder_a_folder(tmp_path, data, capsys):
    """`--out links.CSV` was refused, and a folder was an "Unsupported output ''"."""
    out = tmp_path / "links.CSV"
    assert run("match", "baqiao-2023", "xian-2024", "--out", str(out), "--data", str(data)) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("source_id")
    capsys.readouterr()
    assert run("match", "baqiao-2023", "xian-2024", "--out", str(tmp_path), "--data", str(data)) == 2
    assert "is a folder" in one_error_line(capsys)


def test_items_written_to_a_file_take_the_format_of_its_name_and_keep_every_row(tmp_path, data, capsys):
    """`items --out items.csv` without --format wrote a 10-row text dump of the screen table."""
    import openpyxl
    import polars as pl

    for name in ("items.csv", "items.xlsx", "items.parquet", "items.json", "items.txt"):
        assert run("items", "baqiao-2023", "--out", str(tmp_path / name), "--data", str(data)) == 0
    assert pl.read_csv(tmp_path / "items.csv")["item_id"].n_unique() == 111
    assert pl.read_parquet(tmp_path / "items.parquet").height == 111
    sheet = openpyxl.load_workbook(tmp_path / "items.xlsx").active
    assert sheet.max_row == 112 and sheet["B1"].value == "item_id"
    assert "…" not in (tmp_path / "items.txt").read_text(encoding="utf-8"), "the whole table, nothing elided"
    capsys.readouterr()
    # … and each file written is said, also in a folder made for it (it appeared without a word; a probe)
    assert run("items", "baqiao-2023", "--out", str(tmp_path / "new" / "items.csv"), "--data", str(data)) == 0
    assert capsys.readouterr().out.strip() == f"wrote 111 rows to {tmp_path / 'new' / 'items.csv'}"


def test_add_with_year_0_is_refused_not_replaced_by_the_headings_year(tmp_path, data, capsys):
    """`add --year 0` registered the plan under the heading's 2024, as if the option were not given
    (`edit --year 0` refused it)."""
    plan = tmp_path / "p.txt"
    plan.write_text("雁塔区2024年重点任务\n1.新建学校3所。\n", encoding="utf-8")
    assert run("add", str(plan), "--year", "0", "--parent", "西安市", "--data", str(data)) == 2
    assert "between 1949 and 2100. Got 0" in one_error_line(capsys)
    assert not (data / "documents" / "yanta-2024.txt").exists()


@pytest.mark.parametrize("title", ["西咸新区2023年\n工作要点", "西" * 100_000])
def test_edit_refuses_a_title_of_several_lines_or_a_paragraphs_length(data, capsys, title):
    """Both were written into the registry: every table, sheet and selectbox showed the paragraph."""
    before = (data / "registry.toml").read_bytes()
    assert run("edit", "xixian-2023", "--title", title, "--data", str(data)) == 2
    assert "The 'title' must be one line of at most 200 characters" in one_error_line(capsys)
    assert (data / "registry.toml").read_bytes() == before


def test_items_as_excel_cut_a_cell_too_long_for_excel_with_a_note_and_keep_formula_text_as_text(tmp_path, data):
    """`items --out x.xlsx` cut a 48,009-character task to 32,767 without a word, and left =HYPERLINK(…)
    unguarded: the links' workbook did both right."""
    import openpyxl

    plan = tmp_path / "long.txt"
    plan.write_text("雁塔区2024年重点任务\n1.新建口袋公园" + "，完善配套设施" * 6000 + "。\n"
                    "2.=HYPERLINK(\"http://x\",\"新建学校3所\")\n", encoding="utf-8")
    assert run("add", str(plan), "--id", "long-2024", "--jurisdiction", "雁塔区", "--parent", "西安市",
               "--data", str(data)) == 0
    assert run("items", "long-2024", "--out", str(tmp_path / "items.xlsx"), "--data", str(data)) == 0
    sheet = openpyxl.load_workbook(tmp_path / "items.xlsx").active
    header = [c.value for c in sheet[1]]
    texts = [row[header.index("text")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(texts[0]) == 32_767 and "已截断" in texts[0][-120:]
    formula = sheet.cell(row=3, column=header.index("text") + 1)
    assert formula.value.startswith("=HYPERLINK") and formula.data_type == "s" and formula.quotePrefix


@pytest.mark.parametrize(("argv", "message"), [
    (["items", "baqiao-2023", "--format", "csv", "--out", "items.parquet"], "--format csv does not fit"),
    (["items", "baqiao-2023", "--out", "items.dat"], "Cannot tell the format from"),
    (["coverage", "xian-2024", "baqiao-2023", "--format", "csv", "--out", "c.xlsx"], "--format csv does not fit"),
])
def test_a_format_the_file_name_contradicts_or_does_not_name_is_one_line(tmp_path, data, capsys, argv, message):
    out = tmp_path / "out"
    out.mkdir()
    assert run(*argv[:-1], str(out / argv[-1]), "--data", str(data)) == 2
    assert message in one_error_line(capsys)
    assert not list(out.iterdir()), "nothing written"


def test_an_edit_made_while_a_long_plan_is_parsed_is_kept_beside_the_new_plan(data):
    """The add read the registry before parsing (seconds) and refused at the end: 'the change would
    not read back as written', in 20 of 20 runs with an edit in between."""
    import threading
    import time

    from align.registry import DocumentMeta, add_document, update_document

    edited = threading.Event()

    def edit_meanwhile() -> None:
        update_document(data, "xixian-2023", parent="")
        edited.set()

    def slow_check(path, meta) -> None:  # stands for parsing a long plan
        threading.Thread(target=edit_meanwhile).start()
        assert edited.wait(10)
        time.sleep(0.05)

    source = data / "documents" / "xixian-2023-work-points.txt"
    meta = DocumentMeta(id="yanta-2024", title="t", jurisdiction="雁塔区", level="district", year=2024,
                        kind="work_points", file="y.txt", parent="西安市")
    add_document(data, source, meta, check=slow_check)
    registered = {d.id: d for d in load_registry(data)}
    assert "yanta-2024" in registered and registered["xixian-2023"].parent == ""


def test_a_moved_data_folder_names_its_own_files_in_parse_warnings(data, tmp_path, capsys):
    """Warnings were cached with the folder first parsed in, and named it after a copy or move."""
    import shutil

    assert run("ingest") == 0
    capsys.readouterr()
    moved = tmp_path / "moved"
    shutil.copytree(data, moved)
    assert run("ingest", "--data", str(moved)) == 0
    out = capsys.readouterr().out
    assert "warning:" in out and f"{moved}/documents/" in out and f"{data}/" not in out


def test_no_headline_indicators_is_an_empty_table_for_a_program_and_a_note_for_the_planner(data, tmp_path, capsys):
    """'--format json' printed an English sentence (no JSON for the pipe) and '--out' wrote no file, exit 0."""
    import json

    assert run("indicators", "baqiao-2023", "--format", "json") == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "no headline indicators" in captured.err
    out = tmp_path / "ind.csv"
    assert run("indicators", "baqiao-2023", "--out", str(out)) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("indicator,value,unit")


def test_items_says_what_the_parser_noticed_in_the_document(data, tmp_path, capsys):
    """Only ingest and the Documents page said that baqiao-2020 counts 98 done tasks and lists 96."""
    assert run("items", "baqiao-2020", "--out", str(tmp_path / "items.csv")) == 0
    assert "the document says 98 done items, but 96 were found" in capsys.readouterr().err


# ---------------------------------------------------------------- 9. an --out that is one of plan-align's files


def _own_file(data, name: str):
    """A file plan-align keeps in the data folder, made to exist (a store with a decision in it, a cache)."""
    if name.startswith("decisions.sqlite"):
        assert run("decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", "--data", str(data)) == 0
        (data / name).write_bytes((data / name).read_bytes() if (data / name).exists() else b"journal")
    elif name.startswith("documents/.removed"):  # a document removed: kept, and no --out replaces it
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text("1. 新建口袋公园10个。\n", encoding="utf-8")
    elif name.startswith(".cache"):
        assert run("items", "baqiao-2023", "--data", str(data)) == 0
    elif name == "weights.json":
        from align.settings import SHIPPED_WEIGHTS

        (data / name).write_bytes(SHIPPED_WEIGHTS.read_bytes())
    return data / name


@pytest.mark.parametrize(("argv", "name", "said"), [
    (["items", "baqiao-2023"], "documents/baqiao-2023-task-progress.txt", "the file of the registered document baqiao-2023"),
    (["items", "baqiao-2023", "--format", "csv"], "decisions.sqlite", "the decision store"),
    (["indicators", "xixian-2023", "--format", "json"], "decisions.sqlite-wal", "the decision store's write-ahead log"),
    (["coverage", "xian-2024", "baqiao-2023", "--format", "json"], "registry.toml", "the document registry"),
    (["fit-weights"], "registry.toml", "the document registry"),
    (["match", "baqiao-2023", "xian-2024"], "dictionary.txt", "the data folder's word list"),
    (["match", "baqiao-2023", "xian-2024"], "synonyms.txt", "the data folder's synonym list"),
    (["items", "baqiao-2023", "--format", "json"], "weights.json", "the link model adopted for the data folder"),
    (["evolve", "baqiao-2020", "baqiao-2023"], ".cache/baqiao-2023.parquet", "in the cache folder"),
    (["export", "--format", "csv"], "documents/xian-2024-livelihood-projects.txt", "the file of the registered document xian-2024"),
    (["match", "baqiao-2023", "xian-2024"], "gold/baqiao-2023__xian-2024.csv", "in "),
    (["items", "baqiao-2023", "--format", "csv"], "documents/.removed/old.txt", "in "),
])
def test_an_out_that_is_one_of_plan_aligns_own_files_is_refused(data, capsys, argv, name, said):
    """Non-regression: --out replaced the registered plan, the decision store (every decision gone) or the
    registry without a word, exit 0."""
    own = _own_file(data, name)
    before = own.read_bytes()
    capsys.readouterr()
    assert run(*argv, "--out", str(own), "--data", str(data)) == 2
    line = one_error_line(capsys)
    assert f"--out {own} is {said}" in line and "choose another file" in line and "请另选一个文件" in line
    assert own.read_bytes() == before


def test_an_out_that_leads_to_one_of_plan_aligns_files_by_another_name_is_refused(tmp_path, data, capsys):
    """A symlink, a path through ``..``, or an export whose format adds the ending: the file written is the one
    that counts."""
    registry = (data / "registry.toml").read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(data / "registry.toml")
    assert run("items", "baqiao-2023", "--out", str(link), "--data", str(data)) == 2
    assert "the document registry" in one_error_line(capsys)
    around = data / "gold" / ".." / "registry.toml"
    assert run("items", "baqiao-2023", "--format", "json", "--out", str(around), "--data", str(data)) == 2
    assert "the document registry" in one_error_line(capsys)
    assert (data / "registry.toml").read_bytes() == registry
    (data / "documents" / "plan.csv").write_bytes(b"x")  # a plan registered as a CSV file
    register_outside(data, "documents/plan.csv")
    assert run("export", "--format", "csv", "--out", str(data / "documents" / "plan"), "--data", str(data)) == 2
    line = one_error_line(capsys)
    assert f"also writes {data / 'documents' / 'plan'}.csv, which is the file of the registered document" in line


def test_fit_weights_writes_only_a_json_model_and_may_write_the_adopted_one(tmp_path, data, capsys):
    """fit-weights --out x.csv wrote the model's JSON into a CSV; the data folder's weights.json is its to write."""
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "baqiao-2023__xian-2024.csv").write_text(
        "source_id,target_id,grade\nbaqiao-2023:45,xian-2024:29,2\nbaqiao-2023:1,,0\n", encoding="utf-8")
    assert run("fit-weights", "--gold", str(gold), "--out", str(tmp_path / "w.csv"), "--data", str(data)) == 2
    assert "give a file ending in .json" in one_error_line(capsys)
    assert not (tmp_path / "w.csv").exists()
    assert run("fit-weights", "--gold", str(gold), "--out", str(data / "weights.json"), "--data", str(data)) == 2
    assert "direct links (grade 2)" in one_error_line(capsys), "refused for its gold, not for its --out"


# ---------------------------------------------------------------- 10. an add killed half-way


LIANHU = "莲湖区2024年工作要点\n1. 新建口袋公园10个。\n2. 改造老旧小区7个。\n"


@pytest.mark.parametrize("given_id", [True, False])
def test_an_add_killed_after_its_copy_can_be_run_again(tmp_path, data, capsys, given_id):
    """Non-regression: an add killed after copying the file and before writing the registry left
    documents/lianhu-2024.txt, and the same add then failed for ever ("a file with this name already exists";
    without --id the id proposed is the same). The leftover is moved aside, never deleted."""
    plan = tmp_path / "plan.txt"
    plan.write_text(LIANHU, encoding="utf-8")
    leftover = data / "documents" / "lianhu-2024.txt"
    leftover.write_bytes(b"half a copy")  # what the killed add left, with the lock it no longer holds
    (data / ".adding").mkdir()
    (data / ".adding" / "lianhu-2024.txt.lock").write_bytes(b"")
    argv = ["add", str(plan), *(["--id", "lianhu-2024"] if given_id else []), "--data", str(data)]
    assert run(*argv) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert f"warning: {leftover} was left by an add that did not finish" in err and "Traceback" not in err
    assert "lianhu-2024" in {meta.id for meta in load_registry(data)}
    assert leftover.read_text(encoding="utf-8") == LIANHU
    assert (data / "documents" / ".removed" / "lianhu-2024.txt").read_bytes() == b"half a copy"


def test_an_add_onto_a_registered_file_is_still_refused(tmp_path, data, capsys):
    """A file the registry names is no leftover: the refusal stands and the file stays."""
    plan = tmp_path / "plan.txt"
    plan.write_text(LIANHU, encoding="utf-8")
    registered = data / "documents" / "baqiao-2023-task-progress.txt"
    before = registered.read_bytes()
    assert run("add", str(plan), "--id", "baqiao-2023-task-progress", "--jurisdiction", "莲湖区", "--level",
               "district", "--year", "2024", "--data", str(data)) == 2
    assert "a file with this name already exists; choose another --id" in one_error_line(capsys)
    assert registered.read_bytes() == before and not (data / "documents" / ".removed").exists()


def test_adding_a_file_already_in_the_documents_folder_is_refused_and_the_file_stays(data, capsys):
    """It was taken for a leftover, moved aside into .removed, and the copy from it then failed ('check the disk')."""
    plan = data / "documents" / "lianhu-2024.txt"
    plan.write_text(LIANHU, encoding="utf-8")
    assert run("add", str(plan), "--id", "lianhu-2024", "--jurisdiction", "莲湖区", "--level", "district", "--year",
               "2024", "--data", str(data)) == 2
    assert "is already where add would copy it" in one_error_line(capsys)
    assert plan.read_text(encoding="utf-8") == LIANHU and not (data / "documents" / ".removed").exists()


def test_the_copy_of_an_add_under_way_is_no_leftover(tmp_path, data, capsys):
    """A second add of the same name while the first parses finds the name held: it neither moves the
    first one's copy aside nor registers its own."""
    from align.registry import DocumentMeta, add_document

    plan = tmp_path / "plan.txt"
    plan.write_text(LIANHU, encoding="utf-8")
    second = {}

    def check_meanwhile(path, meta) -> None:  # stands for parsing a long plan
        second["code"] = run("add", str(plan), "--id", "lianhu-2024", "--data", str(data))
        second["line"] = one_error_line(capsys)

    meta = DocumentMeta(id="lianhu-2024", title="t", jurisdiction="莲湖区", level="district", year=2024,
                        kind="work_points", file="plan.txt")
    add_document(data, plan, meta, check=check_meanwhile)
    assert second["code"] == 2 and "another add of a document under this name is under way" in second["line"]
    assert (data / "documents" / "lianhu-2024.txt").read_text(encoding="utf-8") == LIANHU
    assert [meta.id for meta in load_registry(data)].count("lianhu-2024") == 1
    assert not (data / "documents" / ".removed").exists()


@pytest.mark.parametrize("argv", [["match", "baqiao-2023", "xian-2024", "--top-k", "abc"], ["match"], ["nosuch"]])
def test_a_usage_error_says_what_is_wrong_in_chinese_too(argv, capsys):
    """argparse's own errors (invalid int value, a missing argument) were English only."""
    with pytest.raises(SystemExit) as exited:
        run(*argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "命令参数有误" in err and "--help" in err and "Traceback" not in err


# ---------------------------------------------------------------- 11. evaluate's files as a planner hands them over


def _candidates(data, tmp_path, capsys):
    """A whole match run's candidates, and the gold of their pair."""
    out = tmp_path / "c.csv"
    assert run("match", "baqiao-2023", "xian-2024", "--out", str(out), "--data", str(data)) == 0
    capsys.readouterr()
    return out, data / "gold" / "baqiao-2023__xian-2024.csv"


def test_a_candidates_file_cut_off_mid_row_is_refused_at_that_line(tmp_path, data, capsys):
    """Non-regression: `head -c 60000 c.csv` read its last row with the missing fields empty, and
    evaluate printed F1 0.0 as the matcher's, exit 0."""
    whole, gold = _candidates(data, tmp_path, capsys)
    cut = tmp_path / "cut.csv"
    cut.write_bytes(whole.read_bytes()[:60000])
    last = cut.read_bytes().count(b"\n") + 1
    assert not cut.read_bytes().endswith(b"\n"), "cut mid-row"
    assert run("evaluate", str(cut), str(gold), "--data", str(data)) == 2
    captured = capsys.readouterr()
    assert captured.out == "", "no metrics of a cut file"
    assert captured.err.startswith("error: ") and len(captured.err.strip().splitlines()) == 1
    line = captured.err.strip()
    header = len(next(csv.reader(io.StringIO(whole.read_text(encoding="utf-8-sig")))))
    kept = len(list(csv.reader(io.StringIO(cut.read_text(encoding="utf-8-sig"))))[-1])
    assert kept < header
    assert f"{cut}, line {last}: this row has {kept} of the header's {header} fields: it is cut short" in line
    assert f"这一行只有 {kept} 个字段" in line


def test_candidates_that_leave_out_labelled_items_are_scored_with_a_warning_saying_how_many(tmp_path, data, capsys):
    """Candidates of the first 13 district items were scored against the gold of 56, F1 0.0, without a word."""
    whole, gold = _candidates(data, tmp_path, capsys)
    part = tmp_path / "part.csv"
    lines = whole.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    part.write_text("".join(lines[:131]), encoding="utf-8")
    sources = set(pl.read_csv(part)["source_id"])
    labelled = set(pl.read_csv(gold)["source_id"])
    missing = len(labelled - sources)
    assert 0 < missing < len(labelled)
    assert run("evaluate", str(part), str(gold), "--data", str(data)) == 0
    captured = capsys.readouterr()
    assert "plan-align (as given)" in captured.out, "still scored"
    warning = [line for line in captured.err.splitlines() if line.startswith("warning: ")]
    assert len(warning) == 1 and "Traceback" not in captured.err
    assert f"{part} has no candidates for {missing} of the gold's {len(labelled)} labelled source items" in warning[0]
    assert f"缺少标注中 {len(labelled)} 个源条目里的 {missing} 个" in warning[0]
    assert run("evaluate", str(whole), str(gold), "--data", str(data)) == 0
    assert "warning" not in capsys.readouterr().err, "a whole run covers every labelled item"


def _gold_with_a_comma_in_a_note(data, folder):
    """The bundled gold with one note typed with its commas unquoted, and the line it is on."""
    gold = folder / "baqiao-2023__xian-2024.csv"
    lines = (data / "gold" / gold.name).read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("baqiao-2023:75,xian-2024:4,"))
    lines[at] = "baqiao-2023:75,xian-2024:4,2,,充电站,停车位\n"
    gold.write_text("".join(lines), encoding="utf-8")
    return gold, at + 1


def test_a_gold_note_with_an_unquoted_comma_is_named_by_its_line(tmp_path, data, capsys):
    """Non-regression: evaluate and fit-weights gave polars' "found more fields than defined in 'Schema'
    … Consider setting 'truncate_ragged_lines=True'" over two lines, naming no line."""
    candidates, _ = _candidates(data, tmp_path, capsys)
    folder = tmp_path / "gold"
    folder.mkdir()
    gold, line = _gold_with_a_comma_in_a_note(data, folder)
    model = tmp_path / "w.json"
    for argv in (["evaluate", str(candidates), str(gold)], ["fit-weights", "--gold", str(folder), "--out", str(model)]):
        assert run(*argv, "--data", str(data)) == 2, argv
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith("error: ")
        assert len(captured.err.strip().splitlines()) == 1, captured.err
        assert f"{gold}, line {line}: this row has 6 columns but the header at line 1 has 4" in captured.err
        assert "双引号" in captured.err and "truncate_ragged_lines" not in captured.err
    assert not model.exists(), "no model fitted on a misread gold"


def test_a_trailing_comma_a_spreadsheet_leaves_is_no_stray_column(tmp_path, data, capsys):
    """An empty cell past the header's holds nothing: polars refused the file for it, over two lines."""
    candidates, bundled_gold = _candidates(data, tmp_path, capsys)
    gold = tmp_path / "gold.csv"
    header, rows = bundled_gold.read_text(encoding="utf-8").split("\n", 1)
    gold.write_text(header + "\n" + rows.replace("\n", ",\n"), encoding="utf-8")
    assert run("evaluate", str(candidates), str(gold), "--data", str(data)) == 0
    assert "plan-align (as given)" in capsys.readouterr().out


# ---------------------------------------------------------------- 12. output that cannot be written to stdout


class _Stdout:
    """A stdout whose writes fail with ``error`` once ``room`` characters are written."""

    def __init__(self, error: OSError, room: int = 0):
        self.error, self.room = error, room

    def write(self, text: str) -> int:
        if len(text) > self.room:
            raise self.error
        self.room -= len(text)
        return len(text)

    def flush(self) -> None:
        pass


STDOUT_COMMANDS = [["items", "baqiao-2023", "--format", "csv"], ["items", "baqiao-2023"], ["docs"],
                   ["match", "baqiao-2023", "xian-2024"], ["evolve", "baqiao-2020", "baqiao-2023", "--summary"],
                   ["coverage", "xian-2024", "baqiao-2023"],
                   ["decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王"]]


@pytest.mark.parametrize("argv", STDOUT_COMMANDS, ids=" ".join)
def test_output_to_a_full_disk_is_the_disk_full_line_not_a_traceback(data, capsys, monkeypatch, argv):
    """Non-regression: `plan-align items baqiao-2023 --format csv > /dev/full` ended in an OSError
    traceback (No space left on device), exit 1."""
    import sys

    monkeypatch.setattr(sys, "stdout", _Stdout(OSError(28, "No space left on device"), room=40))
    assert run(*argv, "--data", str(data)) == 2
    line = one_error_line(capsys)
    assert line == ("error: Could not write the output to standard output: the disk is full. Free some space and "
                    "try again. （无法写入文件：写入标准输出时磁盘已满，请腾出空间后重试）")


@pytest.mark.parametrize("argv", STDOUT_COMMANDS[:3], ids=" ".join)
def test_output_into_a_closed_pipe_ends_quietly(data, capsys, monkeypatch, argv):
    """`plan-align items baqiao-2023 --format csv | head -1`: the reader has what it wanted, as with Unix tools."""
    import sys

    monkeypatch.setattr(sys, "stdout", _Stdout(BrokenPipeError(32, "Broken pipe"), room=40))
    assert run(*argv, "--data", str(data)) == 0
    assert capsys.readouterr().err == ""


def _cli(data, *argv: str, **popen):
    """plan-align in its own process, its stdout buffered as when not run from a terminal."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return subprocess.Popen([sys.executable, "-m", "align.cli", *argv, "--data", str(data)], env=env,
                            stderr=subprocess.PIPE, text=True, **popen)


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="no /dev/full")
def test_a_real_full_disk_and_a_real_closed_pipe_on_stdout(data):
    """Output still buffered at exit failed there: "Exception ignored … OSError: [Errno 28]", exit 120."""
    import subprocess

    with open("/dev/full", "w") as full:
        process = _cli(data, "docs", stdout=full)
        _, err = process.communicate(timeout=120)
    assert process.returncode == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert "the disk is full" in err
    process = _cli(data, "docs", stdout=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before a line is written: `plan-align docs | true`
    err = process.stderr.read()
    assert process.wait(timeout=120) == 0 and err == ""


# ---------------------------------------------------------------- 13. a decision store edited by hand


def _typed_in(store, decided_at: str, source_id: str, target_id: str, score) -> None:
    """A confirmed decision added by hand, as in DB Browser: SQLite keeps what its column cannot convert."""
    import sqlite3

    with sqlite3.connect(store) as conn:
        conn.execute("INSERT INTO decisions (reviewer, decided_at, source_id, target_id, decision, score) "
                     "VALUES ('李', ?, ?, ?, 'confirmed', ?)", (decided_at, source_id, target_id, score))
    conn.close()


def _rows_as_written(store) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(store)
    try:
        return conn.execute("SELECT id, decided_at, typeof(score), score FROM decisions ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_score_or_time_typed_into_the_store_by_hand_is_read_as_missing_and_said(tmp_path, data, capsys):
    """Non-regression: a score of '0,83' made export, coverage and decide end in a polars ComputeError
    traceback from the store; a time of 'yesterday' was exported as written."""
    store = data / "decisions.sqlite"
    assert run("decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", "--data", str(data)) == 0
    _typed_in(store, "2024-01-01T00:00:00+00:00", "baqiao-2023:76", "xian-2024:5", "0,83")
    _typed_in(store, "yesterday", "baqiao-2023:45", "xian-2024:29", 0.5)
    written = _rows_as_written(store)
    capsys.readouterr()
    score_said = (f"warning: decision #2 in {store}: its score '0,83' is not a number written with a point (0.83); "
                  "it is read as missing and the link is exported without a score. The log keeps the row as written "
                  "(nothing is lost); record the decision again to give it a readable one. （审核记录 #2 的 "
                  "score“0,83”不是用小数点写的数（0.83），按缺失读取")
    time_said = f"warning: decision #3 in {store}: its decided_at 'yesterday' is not a time with its time zone"
    out = tmp_path / "links.csv"
    for argv in (["export", "--out", str(out)], ["coverage", "xian-2024", "baqiao-2023"],
                 ["decide", "baqiao-2023:54", "xian-2024:15", "--reject", "--reviewer", "王"]):
        assert run(*argv, "--data", str(data)) == 0, argv
        err = capsys.readouterr().err
        assert "Traceback" not in err and "ComputeError" not in err
        said = [line for line in err.splitlines() if line.startswith("warning: decision #")]
        assert len(said) == 2 and said[0].startswith(score_said) and said[1].startswith(time_said), err
    links = pl.read_csv(out, infer_schema=False).select("源条目", "得分", "审核时间")
    assert links.row(by_predicate=pl.col("源条目") == "baqiao-2023:76") == ("baqiao-2023:76", None, "2024-01-01 08:00:00")
    assert links.row(by_predicate=pl.col("源条目") == "baqiao-2023:45") == ("baqiao-2023:45", "0.5", None), \
        "no time rather than 'yesterday' as one"
    assert _rows_as_written(store)[:3] == written, "the log keeps both rows as written"
    assert written[1][2:] == ("text", "0,83")
    # recorded again, the link has a readable row, and the store has nothing more to say of it
    assert run("decide", "baqiao-2023:76", "xian-2024:5", "--confirm", "--reviewer", "李", "--data", str(data)) == 0
    err = capsys.readouterr().err
    assert "decision #2" not in err and time_said in err


@pytest.mark.parametrize("command", ["out", "add", "data"])
def test_a_file_name_too_long_for_the_file_system_is_one_line(data, tmp_path, capsys, monkeypatch, command):
    """90 Chinese characters (270 bytes) in one name: pathlib's exists/is_dir raised `OSError: [Errno 36] File name
    too long` as a traceback, from --out, add and a data folder alike."""
    long = tmp_path / ("灞" * 90)
    argv = {"out": ["items", "baqiao-2023", "--out", f"{long}.csv"], "add": ["add", f"{long}.txt"],
            "data": ["docs", "--data", str(long)]}[command]
    if command == "data":
        monkeypatch.delenv("PLAN_ALIGN_DATA", raising=False)
    capsys.readouterr()
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "file name is too long" in err and err.count("\n") == 1


def test_align_ingest_is_the_function_whoever_loaded_its_module_first():
    """A lazily loaded package let the submodule align.ingest replace the function of that name once anything had
    imported the module (`align.ingest(settings)`: 'module' object is not callable)."""
    import subprocess
    import sys

    code = "import align.ingest, align; from align import ingest; print(callable(ingest))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "True"


def test_decide_records_under_the_reviewer_the_environment_names_as_the_app_does(data, capsys, monkeypatch):
    """`PLAN_ALIGN_REVIEWER=王 plan-align decide … --confirm` stopped at "required: --reviewer", though the
    README says the settings are read alike by the app and the CLI."""
    with pytest.raises(SystemExit) as stopped:  # neither given: who decides is never guessed
        run("decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--data", str(data))
    assert stopped.value.code == 2 and "--reviewer" in capsys.readouterr().err
    monkeypatch.setenv("PLAN_ALIGN_REVIEWER", " ")  # set but blank names no one (it recorded "planner"; a review)
    with pytest.raises(SystemExit):
        run("decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--data", str(data))
    capsys.readouterr()
    monkeypatch.setenv("PLAN_ALIGN_REVIEWER", "王")
    assert run("decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--data", str(data)) == 0
    assert "王 recorded confirmed on baqiao-2023:75 → xian-2024:4" in capsys.readouterr().out
    assert run("decide", "baqiao-2023:75", "xian-2024:4", "--reject", "--reviewer", "李", "--data", str(data)) == 0
    assert "李 recorded rejected" in capsys.readouterr().out, "--reviewer wins over the environment"
