#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine (Python 3.11 and pip), then run them.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh --runslow`.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e '.[test]'
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
      || echo "warning: could not install chromium; the browser test will be skipped" >&2
  else
    echo "warning: chromium missing and not root; the browser test will be skipped" >&2
  fi
fi
python -m ruff check --quiet align matching app.py app_support.py views tests benchmarks  # lint first: seconds, not minutes
exec python -m pytest "$@"
