"""The plan-align review app: planners confirm links fast, nothing is lost, and they leave
with an Excel table.

Run with ``streamlit run app.py``; ``PLAN_ALIGN_DATA`` and ``PLAN_ALIGN_DB`` choose the
data folder and the decision store. The pages live in ``views/``, one file each, and each
starts with ``app_support.page``; this script is the only router (``st.navigation``): it
names the pages in the sidebar (首页 Home, not the script's file name) and gives each its URL
(``/审核_Review``). The folder is not Streamlit's ``pages/``, whose convention would take over
when a page's URL is opened first and label the home page "app".
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # AppTest does not put the script's folder on the path
    sys.path.insert(0, str(HERE))

import app_support as ui  # noqa: E402

PAGES = {  # file: (sidebar label, what it is for, icon, URL path)
    "views/documents.py": ("文档 Documents", "登记的文档与条目 the registry and each document's items", ":material/description:", "文档_Documents"),
    "views/review.py": ("审核 Review", "逐条确认或拒绝候选链接 confirm or reject proposed links", ":material/fact_check:", "审核_Review"),
    "views/threshold.py": ("阈值 Threshold", "各阈值的精确率与召回率 precision and recall by cut-off", ":material/tune:", "阈值_Threshold"),
    "views/coverage.py": ("覆盖 Coverage", "市级条目由区级任务承接 city items and district tasks", ":material/map:", "覆盖_Coverage"),
    "views/evolution.py": ("演变 Evolution", "任务的逐年变化 a task's line across years", ":material/timeline:", "演变_Evolution"),
    "views/export.py": ("导出 Export", "已确认链接导出为 Excel / CSV / Parquet", ":material/download:", "导出_Export"),
    "views/add_document.py": ("添加文档 Add a document", "上传、解析、登记并对齐 upload, parse, register", ":material/note_add:", "添加文档_Add_document"),
}


def home() -> None:
    """The landing page: what each page is for, and the store at a glance."""
    ui.page("plan-align 规划对齐", "home")
    st.caption("跨层级规划文件对齐：区级任务表与市级实施方案、上一年与下一年 "
               "(cross-level alignment of planning documents).")
    for path, (label, about, icon, _) in PAGES.items():
        st.page_link(path, label=f"{label} — {about}", icon=icon)

    registry = ui.or_stop(ui.registry)
    store = ui.or_stop(ui.store)
    cols = st.columns(3)
    cols[0].metric("文档 documents", registry.height)
    now = ui.readable_fingerprints(store.current())  # a reject of a re-issued plan's old text disputes nothing
    cols[1].metric("已确认链接 confirmed links", store.confirmed_links(digests=now).height)
    cols[2].metric("审核冲突 conflicts", store.conflicts(now).height)


with ui.address_written_once():
    st.navigation(
        [st.Page(home, title="首页 Home", icon=":material/home:", default=True)]
        + [st.Page(path, title=label, icon=icon, url_path=url) for path, (label, _, icon, url) in PAGES.items()]
    ).run()
ui.import_matcher_in_background()  # after the page is drawn: the first page that matches finds it loaded
