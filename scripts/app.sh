#!/usr/bin/env bash
# Install plan-align and open the review app on the bundled documents.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e .
# Streamlit's upload limit follows plan-align's file-size setting (PLAN_ALIGN_MAX_FILE_MB; the
# 20 MB in .streamlit/config.toml is its default), or the page would refuse what it promised.
if [ -n "${PLAN_ALIGN_MAX_FILE_MB:-}" ]; then
    STREAMLIT_SERVER_MAX_UPLOAD_SIZE="$(python -c 'import math; from align.settings import Settings
print(math.ceil(Settings.from_env().max_file_mb))' 2>/dev/null)" && export STREAMLIT_SERVER_MAX_UPLOAD_SIZE
fi
exec python -m streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"
