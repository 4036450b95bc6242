"""The plan-align review app: planners confirm links fast, nothing is lost, and they leave
with an Excel table.

Run with ``streamlit run app.py``; ``PLAN_ALIGN_DATA`` and ``PLAN_ALIGN_DB`` choose the
data folder and the decision store.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # AppTest does not put the script's folder on the path
    sys.path.insert(0, str(HERE))

st.set_page_config(page_title="plan-align 规划对齐", page_icon="🗂️", layout="wide")

PAGES = [
    st.Page("pages/documents.py", title="文档 Documents", icon="📄", default=True),
    st.Page("pages/review.py", title="审核 Review", icon="✅"),
    st.Page("pages/threshold.py", title="阈值 Threshold", icon="📈"),
    st.Page("pages/coverage.py", title="覆盖 Coverage", icon="🗺️"),
    st.Page("pages/evolution.py", title="演变 Evolution", icon="🕰️"),
    st.Page("pages/export.py", title="导出 Export", icon="📤"),
    st.Page("pages/add_document.py", title="添加文档 Add a document", icon="➕"),
]

# Each page starts with ``app_support.page()`` (session defaults, sidebar, title).
st.navigation(PAGES).run()
