"""What every page of the review app shares: session defaults, cached loaders, safe text.

Only Streamlit glue lives here. The work is done by ``align`` and ``matching``; these
functions call them once per file content and settings (``st.cache_data``) and keep one
decision store per database file (``st.cache_resource``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import io
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import polars as pl
import streamlit as st

from align.exceptions import PlanAlignError
from align.files import file_digest
from align.ingest import current_digests, document_warnings, load_items
from align.items import (
    QUOTA_STRUCT,
    STATUS_LABELS,
    joined_targets,
    shown_text,
    text_digests,
    written_quotas,
    written_targets,
)
from align.readers import read_document_text
from align.registry import DocumentMeta, document_path, get_document, registry_frame, registry_path
from align.settings import Settings
from align.store import DecisionStore, judged_documents, reviewer_name

DEFAULT_SOURCE = "baqiao-2023"
DEFAULT_TARGET = "xian-2024"
DEFAULT_CITY = "xian-2024"
DEFAULT_DISTRICT = "baqiao-2023"

#: Session state: plain keys (never widget keys) and their first values. A widget is drawn
#: with :func:`bound`, under a page-specific key, and copies its value back here on change,
#: so values survive page changes and callbacks can set them before the next run.
DEFAULTS: dict[str, Any] = {
    "reviewer": "",
    "doc": None,
    "doc_item": None,
    "source_doc": None,
    "target_doc": None,
    "order": "unreviewed",
    "band": (0.0, 1.0),
    "sections": [],
    "units": [],
    "keywords": "",
    "blind": False,
    "note": "",
    "bulk_min": 0.9,
    "candidate": None,  # None: the first candidate the reviewer has not decided on
    "candidate_of": None,  # the (source, target, item) the candidate index belongs to
    "open_target": None,  # (item, target): a candidate to judge, when another page sends the reviewer here
    "current": None,
    "recorded": [],  # (source, target, decision) this window recorded, latest last: what its Undo takes back
    "undone": [],  # the decisions this window's Undo took back: once they are all it made, it takes back no other's
    "queue_done": False,  # (source doc, target doc, reviewer) of the queue whose last item the reviewer went past
    "queue_opened": False,  # whether this window has opened a review queue yet (a reload opens one afresh)
    "city_doc": None,
    "district_doc": None,
    "coverage_all": False,  # the Coverage page's every-district overview: matching them takes seconds
    "place": None,
    "relations": [],
    "chain": None,
    "scope": "pair",
    "export_source": None,
    "export_target": None,
    "fmt": "xlsx",
    "with_conflicts": False,
    "new_id": "",
    "new_title": "",
    "new_jurisdiction": "",
    "new_parent": "",
    "new_level": "district",
    "new_kind": "task_table",
    "new_year": 2024,
    "align_to": None,
    "flash": [],
    "export_file": None,
    "added_id": None,
    "prefilled_for": None,
    "registered_upload": None,  # the upload last registered, so its form is not offered again
    "add_problem": None,
    "refit": None,
}
#: The Review queue's filters, cleared when another page sends the reviewer to one item.
REVIEW_FILTERS = ("keywords", "sections", "units", "band")


REVIEWER_PARAM = "reviewer"
#: Session values kept in the address (``?reviewer=王&source=…&target=…&blind=1&item=…&q=医疗``), so a
#: reload or a bookmark opens the same reviewer, document pair, way of reviewing, keyword, unit and area
#: filters and item (a blind reviewer saw the scores after F5; a planner on item 88 of a 医疗 queue was back on
#: item 66 of all 111): {session key: URL parameter}.
URL_PARAMS = {"reviewer": REVIEWER_PARAM, "source_doc": "source", "target_doc": "target",
              "city_doc": "city", "district_doc": "district", "blind": "blind", "order": "order",
              "current": "item", "keywords": "q", "units": "units", "sections": "areas", "coverage_all": "all",
              # the Documents page's plan and item, Evolution's place and task line, Export's pair (a reload lost them)
              "doc": "doc", "doc_item": "doc_item", "place": "place", "chain": "line",
              "export_source": "export_source", "export_target": "export_target"}
#: Between the choices of a list kept in the address (units=区卫健局|区教育局): no unit or area name holds it.
LIST_SEPARATOR = "|"


def settings() -> Settings:
    """The one settings object (``PLAN_ALIGN_DATA`` / ``PLAN_ALIGN_DB`` decide the folders), read
    from the environment and validated once, not on each of the thirty calls a page run makes."""
    environment = tuple(sorted((name, value) for name, value in os.environ.items() if name.startswith("PLAN_ALIGN_")))
    return _settings_for(environment, os.getcwd())


@functools.lru_cache(maxsize=4)
def _settings_for(environment: tuple[tuple[str, str], ...], cwd: str) -> Settings:
    """Keyed on what :meth:`Settings.from_env` reads: a changed variable (a test's) is read afresh."""
    return Settings.from_env()


def init_state() -> None:
    """Set every session default once; the reviewer and the document pair come back from the URL after a reload."""
    fresh = "reviewer" not in st.session_state
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = list(value) if isinstance(value, list) else value
    # read from the address once, when the session starts (a reload): read on every run whose
    # name was empty, a name cleared on purpose came back, and the next person's decisions with it
    # (a document id no longer registered is replaced by the page's default when it draws)
    for key, param in URL_PARAMS.items():
        if fresh and st.query_params.get(param):
            given = st.query_params[param]
            default = DEFAULTS[key]
            st.session_state[key] = (given == "1" if isinstance(default, bool)
                                     else [part for part in given.split(LIST_SEPARATOR) if part] if isinstance(default, list)
                                     else given)
            st.session_state.setdefault(_FROM_ADDRESS, {})[key] = st.session_state[key]


_FROM_ADDRESS = "_from_address"  # the values a session started with from the address, until a page has used them


_URL_KEPT = "_url_kept"  # the session keys a run keeps in the address, written once when it ends


def keep_in_url(*keys: str) -> None:
    """Keep these session values in the address (see :data:`URL_PARAMS`); a default is left out. Under
    :func:`address_written_once` (the app's navigation) they are written when the run ends, else at once."""
    if (kept := st.session_state.get(_URL_KEPT)) is not None:
        kept.update(keys)
    else:
        _write_address(keys)


@contextlib.contextmanager
def address_written_once() -> Iterator[None]:
    """Write the address once, when the page run ends: the browser makes each new address a step of its history,
    and a run that wrote the reviewer, then the document pair, then the item took Back three presses to leave
    a page (a browser probe). Every page keeps every value, so a reload on any page keeps the pair and the item."""
    st.session_state[_URL_KEPT] = set(URL_PARAMS)
    interrupted = False
    try:
        yield
    except BaseException as exc:  # a run a newer one interrupts writes nothing: the newer one writes (a loaded machine
        interrupted = type(exc).__name__ == "RerunException"  # wrote both, a third step of Back; CI's browser test)
        raise
    finally:
        kept = st.session_state.pop(_URL_KEPT, set())
        if not interrupted:
            _write_address(kept)


def stop() -> NoReturn:
    """``st.stop``, the address written first: once a stop is asked for, Streamlit sends nothing more, and the queue's
    end kept naming the decided last item (a reload reopened it)."""
    if (kept := st.session_state.get(_URL_KEPT)) is not None:
        _write_address(kept)
    st.stop()


def _write_address(keys: Iterable[str]) -> None:
    """The address with these session values, written only where it changes (one message, one history step)."""
    address = st.query_params.to_dict()
    wanted = dict(address)
    for key in keys:
        value, param = st.session_state.get(key, DEFAULTS[key]), URL_PARAMS[key]
        if isinstance(value, str):
            value = value.strip()  # a name typed with a space is the name
        if value == DEFAULTS[key] or value in ("", None):
            wanted.pop(param, None)
        else:
            wanted[param] = ("1" if value is True else LIST_SEPARATOR.join(value) if isinstance(value, list)
                             else str(value))
    if wanted != address:
        st.query_params.from_dict(wanted)


def bound(widget: Callable[..., Any], label: str, name: str, prefix: str, *args: Any,
          on_change: Callable[..., None] | None = None, on_change_args: tuple = (), **kwargs: Any) -> Any:
    """Draw ``widget`` showing the plain state ``name``; a change is copied back to it.

    The widget key is ``<prefix>_<name>`` (one per page): Streamlit forgets widget state on
    pages that do not draw it, so the value lives in ``name`` and is handed to the widget on
    every run.
    """
    key = f"{prefix}_{name}"
    st.session_state[key] = st.session_state[name]

    def changed() -> None:
        st.session_state[name] = st.session_state[key]
        if on_change is not None:
            on_change(*on_change_args)

    return widget(label, *args, key=key, on_change=changed, **kwargs)


def open_review(source_doc: str, target_doc: str, item: str | None = None, target: str | None = None) -> None:
    """Go to the Review page on ``item`` (and its candidate ``target``), from another page.

    The queue's filters are cleared, or a keyword left on the Review page could hide the item
    and open another one in its place.
    """
    if any(st.session_state[name] != DEFAULTS[name] for name in REVIEW_FILTERS):
        flash("info", "审核页的筛选已清除 The Review page's filters were cleared to show this item.")
    st.session_state.update({name: DEFAULTS[name] for name in REVIEW_FILTERS})
    st.session_state.update(source_doc=source_doc, target_doc=target_doc, current=item, candidate=None,
                            candidate_of=None, open_target=(item, target) if target else None, queue_done=False,
                            note="")
    st.switch_page("views/review.py")


def document_pair(
    prefix: str,
    ids: list[str],
    *,
    keys: tuple[str, str] = ("source_doc", "target_doc"),
    labels: tuple[str, str] = ("源文档 Source", "目标文档 Target"),
    defaults: tuple[str, str] = (DEFAULT_SOURCE, DEFAULT_TARGET),
    fallbacks: tuple[int, int] = (0, -1),
    columns: list | None = None,
    **widget_args: Any,
) -> tuple[str, str]:
    """Two documents chosen side by side; the page stops with a warning if they are the same."""
    if len(ids) < 2:
        st.info("需要至少两个已登记的文档 Two registered documents are needed: add one on the 添加文档 Add document page.")
        stop()
    for key, default, fallback in zip(keys, defaults, fallbacks):
        choose_default(key, ids, default, fallback)
    chosen = []
    for column, key, label in zip(columns or st.columns(2), keys, labels):
        with column:
            chosen.append(bound(st.selectbox, label, key, prefix, ids, **widget_args))
    keep_in_url(*keys)
    if chosen[0] == chosen[1]:
        st.warning("请选择两个不同的文档 Choose two different documents.")
        stop()
    return chosen[0], chosen[1]


def page(title: str, prefix: str) -> None:
    """Start a page: session defaults, the sidebar (reviewer, folders), the title, messages.

    Every page calls this first, so a page works whether ``app.py``'s navigation runs it or
    Streamlit runs the file alone.
    """
    st.set_page_config(page_title=f"{title} · plan-align", page_icon=":material/account_tree:", layout="wide")
    init_state()
    current = settings()
    with st.sidebar:
        bound(st.text_input, "审核人 Reviewer", "reviewer", prefix, placeholder="姓名 your name",
              help="记录在每条决定中 (stored with every decision)")
        if not (st.session_state["reviewer"] or "").strip():
            st.warning(f"未填写审核人：决定将记在“{current.reviewer}”名下 (no name: decisions are recorded as "
                       f"'{current.reviewer}')", icon=":material/warning:")
        keep_in_url("reviewer")  # on every run: a page opened from the sidebar starts from an address without it
        st.caption(f"数据 data: `{short_path(current.data_dir)}`  \n决定库 store: `{short_path(current.db_path)}`")
    st.markdown(_CSS, unsafe_allow_html=True)
    st.title(title)
    show_flash()


def short_path(path: str | Path) -> str:
    """A folder as a planner finds it: from the working folder when inside it, else from home (~)."""
    path = Path(path).resolve()
    for base, shown in ((Path.cwd().resolve(), "."), (Path.home().resolve(), "~")):
        if path.is_relative_to(base) and base != Path("/"):
            return str(Path(shown) / path.relative_to(base))
    return str(path)


_CSS = "<style>.pa-text{line-height:1.7;font-size:1rem}.pa-text mark{background:#ffe08a;padding:0 1px}</style>"


def choose_default(name: str, options: list, preferred: Any, fallback: int = 0,
                   shown: Callable[[Any], str] = str) -> None:
    """Make the plain state ``name`` one of ``options`` (``preferred`` if present) before drawing. A value the address
    asked for and not among them is said: a link to an item since removed quietly opened another, whose Y was ready
    (a browser probe)."""
    asked = st.session_state.get(_FROM_ADDRESS, {}).pop(name, None) if options else None
    if st.session_state[name] not in options and options:
        st.session_state[name] = preferred if preferred in options else options[fallback]
        if asked is not None:
            opened = shown(st.session_state[name])  # as the page names it (排序 未审核优先, not unreviewed)
            st.warning(f"链接中的“{asked}”不在此处（已移除，或不属于这对文档、这个筛选），已打开“{opened}” "
                       f"The address asked for {asked}, which is not here (removed, or not in this pair or filter); "
                       f"{opened} is open instead.")


def reviewer() -> str:
    """Who decides: the sidebar name as the store keeps it (``reviewer_name``), else ``Settings.reviewer``."""
    return reviewer_name(st.session_state.get("reviewer")) or settings().reviewer


def settings_key(value: Settings) -> str:
    """Settings as a stable string, for cache keys."""
    return json.dumps(value.as_dict(), sort_keys=True, default=str, ensure_ascii=False)


def _from_key(key: str) -> Settings:
    return Settings.from_dict(json.loads(key))


# ------------------------------------------------------------------ store


@st.cache_resource(show_spinner=False)
def _open_store(db_path: str) -> DecisionStore:
    return DecisionStore(db_path)


def store() -> DecisionStore:
    """The decision store of ``settings().db_path``, opened once per process.

    Opened again when it was closed (its file was replaced by one that is not a store), so
    the page says what is wrong with the file at the path, not that a connection is closed.
    """
    opened = _open_store(str(settings().db_path))
    if opened.closed:
        _open_store.clear()
        opened = _open_store(str(settings().db_path))
    opened.check_file()  # deleted or replaced since the last page run: said here, before the page reads
    return opened


def flash(kind: str, message: str) -> None:
    """Queue a message for the next run (callbacks cannot draw where the page wants it)."""
    st.session_state.setdefault("flash", []).append((kind, message))


def show_flash() -> None:
    """What the last action did, where the planner is looking: a toast in the corner, which a page
    scrolled down to its buttons still shows (a line under the title was off-screen, and pushed the
    buttons down under the next click). A warning or an error also stays on the page, to be read."""
    for kind, message in st.session_state.get("flash", []):
        # Material icons, not emoji: a machine without an emoji font drew ✅ as an empty box
        st.toast(message, icon={"success": ":material/check_circle:", "info": ":material/info:",
                                "warning": ":material/warning:", "error": ":material/error:"}.get(kind))
        if kind in ("warning", "error"):
            getattr(st, kind)(message)
    st.session_state["flash"] = []


# ------------------------------------------------------------------ documents


def registry_digest(value: Settings) -> str:
    path = registry_path(value.data_dir)
    return file_digest(path) if path.exists() else ""


@st.cache_data(show_spinner=False, max_entries=16)
def _registry(key: str, digest: str) -> pl.DataFrame:
    return registry_frame(_from_key(key).data_dir)


def registry(value: Settings | None = None) -> pl.DataFrame:
    """The registry table, re-read only when ``registry.toml`` changes."""
    value = value or settings()
    return _registry(settings_key(value), registry_digest(value))


def documents(value: Settings | None = None) -> dict[str, DocumentMeta]:
    """The registered documents by id, from the cached registry table (no file read per call)."""
    return {row["id"]: DocumentMeta(**row) for row in registry(value).iter_rows(named=True)}


def document_ids(value: Settings | None = None) -> list[str]:
    return registry(value)["id"].to_list()


def document_digest(doc_id: str, value: Settings | None = None) -> str:
    """SHA-256 of a registered document's file: the cache key of everything derived from it."""
    return document_state(doc_id, value)[0]


def document_state(doc_id: str, value: Settings | None = None) -> tuple[str, DocumentMeta]:
    """The cache key of a result read from a document and its registration: its file's SHA-256
    and its entry. Links and evolution read the entry (a quota naming the district, a pair's
    direction and order by level and year), and a planner may correct it on the Documents page
    without touching the file."""
    value = value or settings()
    meta = get_document(value.data_dir, doc_id)
    path = document_path(value.data_dir, meta)
    return (file_digest(path) if path.is_file() else ""), meta


@st.cache_data(show_spinner="解析文档 Parsing…", max_entries=64)
def _items(key: str, doc_id: str, digest: str, level: str) -> pl.DataFrame:
    return load_items(_from_key(key), doc_id)


def items(doc_id: str, value: Settings | None = None) -> pl.DataFrame:
    """A document's item table, parsed once per file content, level (a city item's own text gives
    quotas) and settings."""
    value = value or settings()
    digest, meta = document_state(doc_id, value)
    return _items(settings_key(value), doc_id, digest, meta.level)


def fingerprints(*doc_ids: str) -> dict[str, str]:
    """Item id → fingerprint of its text (``align.items.text_digests``) over these documents.
    A decision keeps the two it judged: a plan re-issued with other text under the same
    numbers is then flagged, not trusted."""
    found: dict[str, str] = {}
    for doc_id in dict.fromkeys(doc_ids):
        found.update(text_digests(items(doc_id)))
    return found


def readable_fingerprints(decisions: pl.DataFrame) -> dict[str, str]:
    """The current text fingerprints of the plans the rejections and 无对应 among ``decisions`` judged, as
    ``export`` reads them (``align.ingest.current_digests``): what the store's conflicts are judged against on
    the Home and Export pages. No plan is read for a store of confirmations alone."""
    return current_digests(settings(), judged_documents(decisions))


@st.cache_data(show_spinner=False, max_entries=16)
def _warnings(key: str, doc_id: str, digest: str) -> list[str]:
    value = _from_key(key)
    meta = get_document(value.data_dir, doc_id)
    path = str(document_path(value.data_dir, meta))
    return [w.replace(path, meta.file) for w in document_warnings(value, doc_id)]  # the registry's name, not a full path


def warnings(doc_id: str, value: Settings | None = None) -> list[str]:
    """The parser's notes on a document (its own counts disagree, a line was skipped)."""
    value = value or settings()
    return _warnings(settings_key(value), doc_id, document_digest(doc_id, value))


@st.cache_data(show_spinner=False, max_entries=16)
def _lines(key: str, doc_id: str, digest: str) -> list[str]:
    value = _from_key(key)
    meta = get_document(value.data_dir, doc_id)
    text = read_document_text(document_path(value.data_dir, meta), max_bytes=value.max_bytes)
    return text.split("\n")


def source_lines(doc_id: str, first: int, last: int, value: Settings | None = None) -> str:
    """The item's original lines of the file, numbered, as plain text."""
    value = value or settings()
    lines = _lines(settings_key(value), doc_id, document_digest(doc_id, value))
    width = len(str(last))
    return "\n".join(f"{n:>{width}} │ {lines[n - 1]}" for n in range(first, min(last, len(lines)) + 1))


_matcher_import: threading.Thread | None = None


def import_matcher_in_background() -> None:
    """Import the matcher (scikit-learn, scipy: about 1.3 s) and load jieba's dictionary (0.55 s) in a
    background thread, once per process.

    The home page needs neither, so it is drawn first; by the time the planner opens a page
    that matches, the import is done or under way (the page's own import then waits for it).
    It touches no plan-align cache or store, and an error is left for that page to report.
    """
    global _matcher_import
    if _matcher_import is None:
        _matcher_import = threading.Thread(target=_import_matcher, name="plan-align-import", daemon=True)
        _matcher_import.start()


def _import_matcher() -> None:
    try:
        import matching.engine  # noqa: F401
        from matching.text import general_dictionary

        general_dictionary()
    except Exception:  # noqa: BLE001, S110 - the page that matches imports it again and shows the error
        pass


@st.cache_data(show_spinner="匹配中 Matching…", max_entries=32)
def _matches(key: str, source_id: str, target_id: str, states: tuple[tuple[str, DocumentMeta], ...],
             words: str, model_version: str) -> pl.DataFrame:
    # Imported here, not at the top: scikit-learn and scipy take 1.1 s the home page need not wait for.
    from matching.engine import match_documents

    return match_documents(_from_key(key), source_id, target_id)


def model_info(value: Settings | None = None) -> tuple[float, float, str]:
    """Intercept, threshold and version of the model the data folder uses now."""
    from matching.scoring import model_for  # (scipy: loaded by a page that needs it, as above)

    model = model_for((value or settings()).data_dir)
    return model.intercept, model.threshold, model.version


def matches(source_id: str, target_id: str, value: Settings | None = None) -> pl.DataFrame:
    """Candidates of a document pair, computed once per both documents' state, settings and model."""
    value = value or settings()
    states = (document_state(source_id, value), document_state(target_id, value))
    return _matches(settings_key(value), source_id, target_id, states, lists_digest(value), model_info(value)[2])


def lists_digest(value: Settings) -> str:
    """The cache key of the word list jieba keeps whole and of the synonym list, as the matcher reads them:
    a name or a synonym the planner adds counts at once, and an unreadable list is the matcher's own error
    (a PermissionError traceback when its bytes were hashed here)."""
    from matching.text import (  # (jieba: loaded by a page that matches, as above)
        load_dictionary,
        load_synonyms,
    )

    words = "\n".join(load_dictionary(value.data_dir)).encode()
    return hashlib.sha256(words).hexdigest()[:16] + load_synonyms(value.data_dir).digest()


# ------------------------------------------------------------------ text


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~$<>&:]")


def escape_text(text: str) -> str:
    """Document text as inert HTML: tags escaped and Markdown/LaTeX characters as entities."""
    escaped = html.escape(text or "", quote=True)
    # html.escape produced &…; — protect those, then entity-encode the remaining specials.
    parts = re.split(r"(&(?:amp|lt|gt|quot|#x27);)", escaped)
    out = []
    for part in parts:
        if part.startswith("&") and part.endswith(";"):
            out.append(part)
        else:
            out.append(_MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", part))
    return "".join(out).replace("\n", "<br>")


def highlight_html(text: str, spans: list[str]) -> str:
    """``text`` escaped, with every occurrence of ``spans`` wrapped in ``<mark>``.

    The text is split on the spans first and each piece escaped on its own, so no document
    character ever reaches the page as markup.
    """
    text = text or ""
    spans = [s for s in sorted(set(spans), key=len, reverse=True) if s]
    if not spans:
        return f"<div class='pa-text'>{escape_text(text)}</div>"
    pattern = re.compile("|".join(re.escape(s) for s in spans))
    pieces = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(escape_text(text[last:match.start()]))
        pieces.append(f"<mark>{escape_text(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape_text(text[last:]))
    return f"<div class='pa-text'>{''.join(pieces)}</div>"


def targets_text(targets: list[dict] | None) -> str:
    return written_targets(targets) or "—"


def quotas_text(quotas: list[dict] | None, first: str | None = None, shown: int | None = None) -> str:
    """The quotas as written; those of the place ``first`` (the plan under review) ahead of the others, and
    past ``shown`` the rest counted (灞桥区's share was buried in the middle of 38)."""
    quotas = sorted(quotas or [], key=lambda quota: quota.get("jurisdiction") != first) if first else quotas or []
    more = len(quotas) - shown if shown is not None and len(quotas) > shown else 0
    column = pl.DataFrame({"quotas": [quotas[:len(quotas) - more]]}, schema={"quotas": pl.List(QUOTA_STRUCT)})
    return (column.select(written_quotas()).item() or "—") + (f"；另有 {more} 个 ({more} more)" if more else "")


def markdown_literal(text: str) -> str:
    """Text for a widget label or caption, which Streamlit reads as Markdown: its marks escaped, so
    a plan's 建设**口袋公园** or [详情](…) shows as written, not bold or a live link."""
    return re.sub(r"([\\`*_\[\]~<>$])", r"\\\1", text or "")  # one line: no heading, list or table to fear


def item_label(row: dict) -> str:
    text = row.get("text") or row.get("title") or ""
    return f"{row['item_id']}  {text[:48]}{'…' if len(text) > 48 else ''}"


# How codes read on screen (the tables and files keep the codes).
LEVEL_LABELS = {"county": "县 county", "district": "区 district", "new-area": "新区 new area", "city": "市 city",
                "province": "省 province"}
KIND_LABELS = {"task_table": "任务分解表 task table", "livelihood_plan": "为民实事 livelihood plan",
               "work_points": "工作要点 work points", "work_report": "政府工作报告 work report", "plan": "规划 plan"}


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "—")


def deadline_text(item: dict) -> str:
    """`` · 完成时限 deadline: …`` for an item whose table gives one, else nothing (most plans have none)."""
    return f" · 完成时限 deadline: {item['deadline']}" if item.get("deadline") else ""


def plain_registry(registry: pl.DataFrame) -> pl.DataFrame:
    """The registry as a planner reads it: Chinese headers, levels and kinds in words; the short columns
    first and the long title after them (at 1280 px the year read 202, pushed past the title)."""
    return registry.select(
        pl.col("id").alias("编号 id"),
        pl.col("year").alias("年份 year"),
        pl.col("jurisdiction").alias("辖区 jurisdiction"),
        pl.col("level").replace_strict(LEVEL_LABELS, default=pl.col("level")).alias("层级 level"),
        pl.col("parent").alias("上级 parent"),
        pl.col("kind").replace_strict(KIND_LABELS, default=pl.col("kind")).alias("类型 kind"),
        pl.col("title").alias("标题 title"),
        pl.col("file").alias("文件 file"),
    )


def plain_items(frame: pl.DataFrame) -> pl.DataFrame:
    """Items with list and struct columns flattened to text and Chinese headers, for display tables;
    a column with nothing in it is left out."""
    return without_empty_columns(frame.select(
        pl.col("item_id").alias("条目 item"),
        pl.col("number").alias("序号 no."),
        pl.col("section_path").list.join(" / ").alias("领域 section"),
        shown_text().alias("任务 text"),
        pl.col("units").list.join("、").alias("责任单位 units"),
        pl.col("status").replace_strict(STATUS_LABELS, default=pl.col("status")).fill_null("—").alias("状态 status"),
        pl.col("deadline").fill_null("").alias("完成时限 deadline"),
        joined_targets("targets").alias("目标值 targets"),
        written_quotas().alias("配额 quotas"),
    ))


def without_empty_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` less the columns with nothing in them (a task table has no sections, a city plan no status)."""
    empty = frame.select(
        pl.col(c).cast(pl.String).fill_null("").is_in(["", "—"]).all() for c in frame.columns
    ).row(0) if frame.height else (False,) * frame.width
    return frame.select(c for c, blank in zip(frame.columns, empty) if not blank)


def problem_text(exc: BaseException) -> str:
    """A problem as a planner reads it: plan-align's own errors in Chinese first, then English."""
    return exc.for_planner() if isinstance(exc, PlanAlignError) else f"{type(exc).__name__}: {exc}"


def error_box(exc: BaseException) -> None:
    """A user-fixable problem as one red box (never a traceback), in Chinese first."""
    st.error(problem_text(exc))


def or_stop(function, *args):
    """``function(*args)``, or a red box and the end of this page run on a user-fixable error."""
    try:
        return function(*args)
    except PlanAlignError as exc:
        error_box(exc)
        stop()


def data_dir() -> Path:
    return Path(settings().data_dir)


# ------------------------------------------------------------------ evolution


@st.cache_data(show_spinner="比较年份 Comparing years…", max_entries=8)
def _evolution(key: str, doc_ids: tuple[str, ...], states: tuple[tuple[str, DocumentMeta], ...], words: str,
               model_version: str, decided: str) -> tuple[list[pl.DataFrame], pl.DataFrame, bytes, list[pl.DataFrame]]:
    from align.evolution import evolve_series, headline_series
    from align.export import write_evolution_workbook

    settings_now = _from_key(key)
    steps, chain_table = evolve_series(settings_now, list(doc_ids))
    headlines = headline_series(settings_now, list(doc_ids))
    buffer = io.BytesIO()
    write_evolution_workbook(buffer, steps, headlines)
    return steps, chain_table, buffer.getvalue(), headlines


def evolution(doc_ids: list[str], value: Settings | None = None
              ) -> tuple[list[pl.DataFrame], pl.DataFrame, bytes, list[pl.DataFrame]]:
    """Year-to-year tables and task chains of one jurisdiction's documents (``align.evolution``), the
    tables as one Excel workbook (a sheet per pair of years) for the page's download button, and
    how the plans' headline targets (主要预期目标) changed between consecutive years.

    Cached by what they depend on: settings, each document's file and entry, the word list, the model,
    and the decisions in effect (a link confirmed or rejected on the Review page changes the table).
    """
    value = value or settings()
    states = tuple(document_state(d, value) for d in doc_ids)
    decided = hashlib.sha256(store().current().write_csv().encode()).hexdigest()
    return _evolution(settings_key(value), tuple(doc_ids), states, lists_digest(value), model_info(value)[2], decided)
