"""A writer killed with SIGKILL at a random moment never loses a decision it acknowledged."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from align.store import DecisionStore

WRITER = Path(__file__).with_name("store_writer.py")
REPO = Path(__file__).resolve().parents[2]


def _kill_cycles(db: Path, cycles: int, counters, seed: int) -> None:
    rng = random.Random(seed)
    acknowledged: dict[int, tuple[str, str, str]] = {}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    for cycle in range(cycles):
        writer = subprocess.Popen(
            [sys.executable, str(WRITER), str(db), f"w{cycle}", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        assert writer.stdout is not None
        ready = writer.stdout.readline()
        assert ready == "ready\n", f"writer did not start: {ready!r} {writer.stderr.read() if writer.stderr else ''}"
        time.sleep(rng.uniform(0.0, 0.25))
        writer.send_signal(signal.SIGKILL)
        out, err = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL, f"writer ended by itself (seed {seed}): {err[-2000:]}"
        lines = out.split("\n")[:-1]  # a line cut by the kill has no newline: not acknowledged
        for line in lines:
            _, row_id, source, target, decision = line.split(" ")
            acknowledged[int(row_id)] = (source, None if target == "-" else target, decision)
        # The store opens after every kill and holds every acknowledged decision.
        with DecisionStore(db) as store:
            log = store.log()
        found = {row["id"]: (row["source_id"], row["target_id"], row["decision"]) for row in log.iter_rows(named=True)}
        lost = [row_id for row_id, row in acknowledged.items() if found.get(row_id) != row]
        if lost:
            counters.count("store crash: lost", len(lost))
        assert not lost, f"cycle {cycle} (seed {seed}): acknowledged decisions missing or changed: {lost[:10]}"
    counters.count("store crash: SIGKILL cycles survived", cycles)
    counters.count("store crash: decisions acknowledged", len(acknowledged))
    counters.count("store crash: lost", 0)
    assert len(acknowledged) > cycles, "the writers acknowledged almost nothing: the test did not exercise the store"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_sigkilled_writer_loses_no_acknowledged_decision(tmp_path, robustness_report):
    _kill_cycles(tmp_path / "decisions.sqlite", 10, robustness_report, seed=random.randrange(1 << 30))


@pytest.mark.slow
def test_sigkilled_writer_loses_no_acknowledged_decision_100_cycles(tmp_path, robustness_report):
    _kill_cycles(tmp_path / "decisions.sqlite", 100, robustness_report, seed=random.randrange(1 << 30))
