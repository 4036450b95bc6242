"""The plan-align review app: planners confirm links fast, nothing is lost, and they leave
with an Excel table.

Run with ``streamlit run app.py``; ``PLAN_ALIGN_DATA`` and ``PLAN_ALIGN_DB`` choose the
data folder and the decision store. The pages live in ``pages/`` (Streamlit's folder
convention: each file is a page, its name the label); each starts with ``app_support.page``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # AppTest does not put the script's folder on the path
    sys.path.insert(0, str(HERE))

import app_support as ui  # noqa: E402

PAGES = {
    "pages/1_文档_Documents.py": ("文档 Documents", "登记的文档与条目 the registry and each document's items", ":material/description:"),
    "pages/2_审核_Review.py": ("审核 Review", "逐条确认或拒绝候选链接 confirm or reject proposed links", ":material/fact_check:"),
    "pages/3_阈值_Threshold.py": ("阈值 Threshold", "各阈值的精确率与召回率 precision and recall by cut-off", ":material/tune:"),
    "pages/4_覆盖_Coverage.py": ("覆盖 Coverage", "市级条目由区级任务承接 city items and district tasks", ":material/map:"),
    "pages/5_演变_Evolution.py": ("演变 Evolution", "任务的逐年变化 a task's line across years", ":material/timeline:"),
    "pages/6_导出_Export.py": ("导出 Export", "已确认链接导出为 Excel / CSV / Parquet", ":material/download:"),
    "pages/7_添加文档_Add_document.py": ("添加文档 Add a document", "上传、解析、登记并对齐 upload, parse, register", ":material/note_add:"),
}

ui.page("plan-align 规划对齐", "home")
st.caption("跨层级规划文件对齐：区级任务表与市级实施方案、上一年与下一年 "
           "(cross-level alignment of planning documents).")
for path, (label, about, icon) in PAGES.items():
    st.page_link(path, label=f"{label} — {about}", icon=icon)

registry = ui.or_stop(ui.registry)
links = ui.store().confirmed_links()
cols = st.columns(3)
cols[0].metric("文档 documents", registry.height)
cols[1].metric("已确认链接 confirmed links", links.height)
cols[2].metric("审核冲突 conflicts", ui.store().conflicts().height)
