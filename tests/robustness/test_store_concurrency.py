"""Four processes writing decisions at the same moment: every one of them is stored."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from align.store import DecisionStore

WRITER = Path(__file__).with_name("store_writer.py")
REPO = Path(__file__).resolve().parents[2]
WRITERS = 4


def _concurrent(tmp_path: Path, per_writer: int, counters) -> None:
    db, go = tmp_path / "decisions.sqlite", tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    procs = [
        subprocess.Popen([sys.executable, str(WRITER), str(db), f"p{k}", str(per_writer), str(go)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for k in range(WRITERS)
    ]
    for proc in procs:  # every writer has opened the store before any writes
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    go.touch()
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, f"a writer failed: {err[-2000:]}"
    acknowledged = {int(line.split()[1]) for out, _ in outputs for line in out.splitlines()}
    with DecisionStore(db) as store:
        log = store.log()
    per_reviewer = Counter(log["reviewer"].to_list())
    lost = WRITERS * per_writer - log.height + len(acknowledged - set(log["id"].to_list()))
    counters.count("store concurrency: writer processes", WRITERS)
    counters.count("store concurrency: decisions written", log.height)
    counters.count("store concurrency: lost", lost)
    assert len(acknowledged) == WRITERS * per_writer
    assert per_reviewer == {f"p{k}": per_writer for k in range(WRITERS)}
    assert log["id"].n_unique() == log.height == WRITERS * per_writer
    assert lost == 0


def test_four_writers_at_once_lose_nothing(tmp_path, robustness_report):
    _concurrent(tmp_path, 100, robustness_report)


@pytest.mark.slow
def test_four_writers_at_once_lose_nothing_long(tmp_path, robustness_report):
    _concurrent(tmp_path, 1000, robustness_report)


def _open_and_decide(path: str, reviewer: str) -> str:
    from align.exceptions import StoreError

    try:
        with DecisionStore(path, timeout=20) as store:
            store.record(reviewer, "baqiao-2023:1", "xian-2024:2", "confirmed")
        return "ok"
    except StoreError as exc:
        return str(exc)


def test_processes_opening_a_new_store_at_once_all_open_it(tmp_path):
    """Eight processes creating one store at the same moment: 22 of 360 opens in a probe were told the store
    was 'not a plan-align decision store' (its schema read half-made)."""
    from concurrent.futures import ProcessPoolExecutor

    for trial in range(10):
        path = str(tmp_path / f"{trial}.sqlite")
        with ProcessPoolExecutor(8) as pool:
            outcomes = list(pool.map(_open_and_decide, [path] * 8, [f"r{k}" for k in range(8)]))
        assert outcomes == ["ok"] * 8
        with DecisionStore(path) as store:
            assert store.current().height == 8
