"""A decision-store writer run as a subprocess by the robustness tests.

It prints one line per write *after* the store call returned (``ok ID SOURCE TARGET DECISION``),
so every printed line is a decision the store acknowledged. Usage::

    python store_writer.py DB NAME COUNT [GO_FILE]

COUNT 0 writes until killed; GO_FILE makes it wait for that file before writing, so several
writers start together.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from align.store import DecisionStore


def main() -> None:
    db, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    go = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    rng = random.Random(f"{name}-{time.time_ns()}")
    store = DecisionStore(db)
    print("ready", flush=True)
    while go is not None and not go.exists():
        time.sleep(0.005)
    n = 0
    while count == 0 or n < count:
        n += 1
        source, target = f"{name}-2024:{n}", f"target-2024:{n % 7 + 1}"
        roll = rng.random() if count == 0 else 0.0
        if roll < 0.8:
            decision = rng.choice(["confirmed", "rejected", "unsure"])
            row_id = store.record(name, source, target, decision, score=rng.random(), engine_version="w/1")
            print(f"ok {row_id} {source} {target} {decision}", flush=True)
        elif roll < 0.9:
            rows = [{"reviewer": name, "source_id": f"{source}.{k}", "target_id": target, "decision": "confirmed"}
                    for k in range(3)]
            for row_id, row in zip(store.bulk_record(rows), rows, strict=True):
                print(f"ok {row_id} {row['source_id']} {target} confirmed", flush=True)
        else:
            row_id = store.record(name, source, None, "no_counterpart", target_doc="target-2024")
            print(f"ok {row_id} {source} - no_counterpart", flush=True)
            row_id = store.undo(name, source, target_doc="target-2024")
            print(f"ok {row_id} {source} - undo", flush=True)
        if count and n % 10 == 0:
            store.current()  # readers run alongside writers in the app
    store.close()


if __name__ == "__main__":
    main()
