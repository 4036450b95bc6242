#!/usr/bin/env bash
# Install plan-align and open the review app on the bundled documents.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e .
exec python -m streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"
