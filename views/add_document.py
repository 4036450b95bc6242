"""添加文档 Add a document: upload, describe, see it parsed, register it, then align it."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import replace
from pathlib import Path

import polars as pl
import streamlit as st

import app_support as ui
from align.exceptions import PlanAlignError, RegistryError
from align.parsing import document_heading, heading_metadata, parse_text
from align.readers import READERS, TEXT_SUFFIXES, read_document_text
from align.registry import (
    KINDS,
    LEVELS,
    DocumentMeta,
    add_document,
    entry_warnings,
    registration_warnings,
)

# Old Word .doc has a reader only to say it cannot be read: it is not offered in the upload box.
UPLOAD_TYPES = sorted({s.lstrip(".") for s in (TEXT_SUFFIXES | set(READERS)) if s} - {"doc"})


def _before_registering(data: bytes, file_name: str) -> list[str]:
    """What registering this file as the form stands would get wrong, as ``add`` says after
    (:func:`entry_warnings`): the same file under another id, no parent while a plan above it is
    registered, a title naming another place or year."""
    digest = hashlib.sha256(data).hexdigest()
    same = [doc_id for doc_id in ui.document_ids() if ui.document_digest(doc_id) == digest]
    try:
        meta = _meta(file_name)
    except (ValueError, TypeError):  # a year not yet a number: the form's own check says so on Register
        return []
    if not meta.id:  # no id typed yet: the warnings speak of "this plan"
        meta = DocumentMeta(**{**meta.__dict__, "id": "此文档 this plan"})
    return [f"{zh}。 {english}" for english, zh in entry_warnings(list(ui.documents().values()), meta, same_file=same)]


def _meta(file_name: str) -> DocumentMeta:
    state = st.session_state
    return DocumentMeta(
        id=state["new_id"].strip(), title=state["new_title"].strip() or Path(file_name).stem,
        jurisdiction=state["new_jurisdiction"].strip(), level=state["new_level"], year=int(state["new_year"]),
        kind=state["new_kind"], file=file_name, parent=state["new_parent"].strip(),
    )


@st.cache_data(show_spinner="解析 Parsing…", max_entries=8)
def _parse_upload(
    data: bytes, file_name: str, max_bytes: int
) -> tuple[pl.DataFrame, list[str], tuple[str | None, int | None]]:
    """Parse uploaded bytes with a placeholder id (the real id is given on registering);
    also the title and year the document gives itself, to prefill the form."""
    meta = DocumentMeta(id="upload", title=file_name, jurisdiction="-", level="district", year=2024,
                        kind="task_table", file=file_name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(file_name).name
        path.write_bytes(data)
        text = read_document_text(path, max_bytes=max_bytes)
    parsed = parse_text(text, meta, path=file_name)
    return parsed.items, parsed.warnings, document_heading(text)


def _register(data: bytes, file_name: str) -> None:
    current = ui.settings()
    max_bytes = current.max_bytes
    meta = _meta(file_name)
    problems = meta.problems()
    st.session_state["add_problem"] = None
    if problems:  # said before any file is copied, in the page's own words
        joined = RegistryError.from_problems(problems, lead=("Fix the metadata: ", "请修正元数据："))
        st.session_state["add_problem"] = f"{joined.zh}。 {joined}"
        return

    def check(path: Path, meta: DocumentMeta) -> None:
        parse_text(read_document_text(path, max_bytes=max_bytes), meta, path=file_name)

    def moved_aside(warning: tuple[str, str]) -> None:  # a leftover of an interrupted add
        ui.flash("warning", f"{warning[1]}。 {warning[0]}")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(file_name).name
        path.write_bytes(data)
        try:
            added = add_document(current.data_dir, path, replace(meta, file=path.name), check=check,
                                 on_warning=moved_aside)
        except PlanAlignError as exc:
            st.session_state["add_problem"] = exc.for_planner(file_name)  # the upload's name, not a temporary path
            return
    st.session_state["added_id"] = added.id
    st.session_state["registered_upload"] = _upload_key(file_name, data)
    ui.flash("success", f"已登记 registered '{added.id}' ({added.file})")
    for warning, zh in registration_warnings(current.data_dir, added.id, commands=False):  # a mistyped parent, the same file twice
        ui.flash("warning", f"{zh}。 {warning}")


def _upload_key(file_name: str, data: bytes) -> str:
    """Which upload this is: a corrected file of the same name and size is another one."""
    return f"{file_name}:{hashlib.sha256(data).hexdigest()}"


ui.page("添加文档 Add a document", "add")
current = ui.settings()

upload = st.file_uploader(
    f"上传文件 Upload a file (≤ {current.max_file_mb:g} MB)", type=UPLOAD_TYPES, key="add_file",
)
parsed = None
if upload is not None:
    data = upload.getvalue()
    if len(data) > current.max_bytes:
        st.error(f"文件太大 The file is {len(data) / 1e6:.1f} MB, over the {current.max_file_mb:g} MB limit "
                 "(启动前设置环境变量 PLAN_ALIGN_MAX_FILE_MB 可放宽 start the app with PLAN_ALIGN_MAX_FILE_MB set higher "
                 "to read it).")
    else:
        try:
            parsed = _parse_upload(data, upload.name, current.max_bytes)
        except PlanAlignError as exc:
            st.error(exc.for_planner(upload.name))
        except Exception as exc:  # noqa: BLE001 — a reader library failing must not show a traceback
            st.error(f"无法读取 Could not read {upload.name}: {type(exc).__name__}: {exc}")

upload_key = _upload_key(upload.name, data) if parsed is not None else None
if parsed is not None and st.session_state["registered_upload"] == upload_key:
    # registered already: the form would only offer to register the same file twice
    st.info(f"{upload.name} 已登记为 registered as '{st.session_state['added_id']}'；上传另一个文件可继续添加 "
            "(upload another file to add more).")
elif parsed is not None:
    items, warnings, (heading_title, heading_year) = parsed
    if st.session_state["prefilled_for"] != upload_key:
        # A new file: what its own heading says (西安市莲湖区… names its parent too), else the blank form;
        # never the previous file's place, year or parent, which a planner changing only the id would register unseen.
        heading = heading_metadata(heading_title, heading_year, set(ui.document_ids()),  # 神木市 under 榆林市: county
                                   cities={d.jurisdiction for d in ui.documents().values() if d.level == "city"})
        found = {"new_title": heading.title, "new_year": heading.year, "new_jurisdiction": heading.jurisdiction,
                 "new_level": heading.level, "new_kind": heading.kind, "new_id": heading.id, "new_parent": heading.parent}
        st.session_state.update({name: value or ui.DEFAULTS[name] for name, value in found.items()})
        st.session_state["prefilled_for"] = upload_key
        st.session_state["add_problem"] = None  # a problem of the previous file
    st.success(f"解析出 {items.height} 个条目 Parsed {items.height} items from {upload.name}.")
    for warning in warnings:
        st.warning(warning)
    # without the ids: they are upload:1 … until the plan is registered under its own id
    st.dataframe(ui.plain_items(items).drop("条目 item"), hide_index=True, width="stretch", key="add_items")

    st.subheader("元数据 Metadata")
    c1, c2 = st.columns(2)
    with c1:
        ui.bound(st.text_input, "编号 id (lowercase, e.g. lianhu-2024)", "new_id", "add")
        ui.bound(st.text_input, "辖区 jurisdiction (e.g. 莲湖区)", "new_jurisdiction", "add")
        ui.bound(st.selectbox, "层级 level", "new_level", "add", LEVELS, format_func=ui.LEVEL_LABELS.get)
        ui.bound(st.number_input, "年份 year", "new_year", "add", min_value=1949, max_value=2100, step=1)
    with c2:
        ui.bound(st.text_input, "标题 title", "new_title", "add", placeholder=Path(upload.name).stem)
        ui.bound(st.text_input, "上级 parent (e.g. 西安市)", "new_parent", "add")
        ui.bound(st.selectbox, "类型 kind", "new_kind", "add", KINDS, format_func=ui.KIND_LABELS.get)
    for warning in _before_registering(data, upload.name):  # said before the click, not only after it
        st.warning(warning)
    st.button("登记 Register", key="add_register", type="primary", on_click=_register,
              args=(upload.getvalue(), upload.name))
    if st.session_state["add_problem"]:  # beside the button that raised it, not at the top of the page
        st.error(ui.markdown_literal(st.session_state["add_problem"]))  # a_b in a message is not italics

added = st.session_state.get("added_id")
ids = ui.or_stop(ui.document_ids)
if added and added in ids:
    st.subheader(f"对齐 Align '{added}'")
    others = [d for d in ids if d != added]
    ui.choose_default("align_to", others, ui.DEFAULT_TARGET)
    target = ui.bound(st.selectbox, "与 with", "align_to", "add", others)
    try:
        found = ui.matches(added, target)
    except PlanAlignError as exc:
        ui.error_box(exc)
        ui.stop()
    proposed = found.filter(pl.col("linked"))
    st.write(f"{found['source_id'].n_unique()} 个条目, {proposed.height} 条建议链接 proposed links.")
    if st.button("去审核 Review these links", key="add_review"):
        ui.open_review(added, target)
