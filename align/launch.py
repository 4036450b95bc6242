"""The `plan-align` command's entry point: a Ctrl-C while the command is still loading its libraries
(a second or more on a busy machine) says ``interrupted``, as one later does, not a page of traceback."""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from align.cli import main as run
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return run()


if __name__ == "__main__":
    sys.exit(main())
