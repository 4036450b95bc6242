"""Parsed item tables cached as Parquet, re-parsed only when a file or the parser changed.

The cache key is the file's SHA-256, ``PARSER_VERSION`` and the entry's id and level; a manifest records which
key each Parquet file was written from. Files are written to a temporary name and
renamed, so an interrupted ingest never leaves a half-written table behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from align.exceptions import PlanAlignError
from align.files import file_digest, source_digest, write_atomic
from align.items import ITEM_SCHEMA, TARGET_STRUCT, text_digests
from align.parsing import ParsedDocument, parse_text
from align.readers import read_document_text
from align.registry import DocumentMeta, document_path, get_document, load_registry
from align.settings import Settings

# The code that reads documents, so a changed parser invalidates the cache by itself: all of align,
# since parsing reaches into many of its modules (Word numbering, deadlines, units) and a list of
# them went stale (a change to word_numbering.py was served the old items).
PARSER_VERSION = source_digest(Path(__file__).parent)
MANIFEST = "manifest.json"
# Cached warnings name their file by this mark, put back as the file's path where it is read now:
# a data folder copied or moved keeps its cache, and warnings naming the old folder misled.
_FILE = "<<file>>"


def _placed(warnings: list[str], path: Path) -> list[str]:
    return [warning.replace(_FILE, str(path)) for warning in warnings]


@dataclass(frozen=True)
class IngestReport:
    doc_id: str
    parsed: bool
    items: int
    warnings: list[str]
    error: PlanAlignError | None = None  # the problem itself, so a caller can show it in Chinese too


def _write_json(value: dict, path: Path) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def _manifest(cache_dir: Path) -> dict:
    """The cache's record of each parsed document; an entry of any other shape (a file edited by hand
    or written by another tool: ``[1, 2]``, ``"x"``, no item count) is a miss, parsed again."""
    try:
        found = json.loads((cache_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {doc_id: entry for doc_id, entry in found.items() if _well_formed(entry)}


def _well_formed(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    items, warnings = entry.get("items"), entry.get("warnings", [])
    return (isinstance(entry.get("key"), str) and isinstance(items, int) and not isinstance(items, bool)
            and isinstance(warnings, list) and all(isinstance(w, str) for w in warnings))


def _cache_key(path: Path, meta: DocumentMeta) -> str:
    """The file's content, the parser, and what parsing reads of the registry entry: the id
    names each item, the level says whether an item's own text gives district quotas."""
    return f"{file_digest(path)}:{PARSER_VERSION}:{meta.id}:{meta.level}"


INDICATOR_SCHEMA = pl.Schema({"doc_id": pl.String(), "targets": pl.List(TARGET_STRUCT)})


def read_cached_table(path: Path) -> pl.DataFrame | None:
    """A cached Parquet table, or ``None`` when it is missing or unreadable (a crash mid-copy, a disk
    error): a cache is derived data, so a damaged one is a miss, computed again and overwritten."""
    try:
        return pl.read_parquet(path)
    except Exception:  # polars, pyarrow and the OS each have their own error for a damaged file
        return None


def _read_cached(path: Path, schema: pl.Schema) -> pl.DataFrame | None:
    """A cached table of this exact ``schema`` (one of another shape is a miss too)."""
    frame = read_cached_table(path)
    return frame if frame is not None and frame.schema == schema else None


def _cache_readable(cache_dir: Path, doc_id: str) -> bool:
    """Whether both cached tables of a document open with the expected columns (their footers only)."""
    for name, schema in ((f"{doc_id}.parquet", pl.Schema(ITEM_SCHEMA)), (f"{doc_id}.indicators.parquet", INDICATOR_SCHEMA)):
        try:
            if pl.read_parquet_schema(cache_dir / name) != dict(schema):
                return False
        except Exception:  # missing or damaged
            return False
    return True


def parse_registered(settings: Settings, meta: DocumentMeta) -> ParsedDocument:
    path = document_path(settings.data_dir, meta)
    text = read_document_text(path, max_bytes=settings.max_bytes)
    return parse_text(text, meta, path=path)


def ingest(
    settings: Settings,
    doc_ids: Sequence[str] | str | None = None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[IngestReport]:
    """Parse registered documents into ``cache_dir``; unchanged ones are skipped.

    A document that fails to parse is reported and leaves its previous cache entry
    (and every other document's) untouched.
    """
    settings = _settings(settings)
    cache_dir = Path(settings.cache_dir)
    docs = load_registry(settings.data_dir)
    if doc_ids is not None:  # one id, or a list: 'baqiao-2023' was read letter by letter (Unknown document id 'b')
        docs = [get_document(settings.data_dir, doc_id) for doc_id in _ids(doc_ids)]
    manifest = _manifest(cache_dir)
    reports = []
    for index, meta in enumerate(docs, start=1):
        if progress:
            progress(index, len(docs), meta.id)
        try:
            path = document_path(settings.data_dir, meta)
            if path.is_dir():
                raise PlanAlignError(
                    f"{path}: a folder, not a file (registered as '{meta.id}'). Correct its 'file' in the registry.",
                    zh=f"“{meta.id}”登记的 {path} 是一个文件夹，不是文件",
                )
            if not path.is_file():
                raise PlanAlignError(
                    f"{path}: no such file (registered as '{meta.id}').", zh=f"找不到“{meta.id}”登记的文件 {path}"
                )
            key = _cache_key(path, meta)
            if manifest.get(meta.id, {}).get("key") == key and _cache_readable(cache_dir, meta.id):
                entry = manifest[meta.id]
                reports.append(IngestReport(meta.id, False, entry["items"], _placed(entry.get("warnings", []), path)))
                continue
            parsed = parse_registered(settings, meta)
        except PlanAlignError as exc:
            reports.append(IngestReport(meta.id, False, 0, [], error=exc))
            continue
        write_atomic(cache_dir / f"{meta.id}.parquet", parsed.items.write_parquet)
        indicators = pl.DataFrame({"doc_id": [meta.id], "targets": [parsed.indicators]}, schema=INDICATOR_SCHEMA)
        write_atomic(cache_dir / f"{meta.id}.indicators.parquet", indicators.write_parquet)
        manifest = _manifest(cache_dir)
        manifest[meta.id] = {"key": key, "items": parsed.items.height,
                             "warnings": [w.replace(str(path), _FILE) for w in parsed.warnings]}
        write_atomic(cache_dir / MANIFEST, partial(_write_json, manifest))
        reports.append(IngestReport(meta.id, True, parsed.items.height, parsed.warnings))
    return reports


def load_items(settings: Settings, doc_id: str) -> pl.DataFrame:
    """The item table of one registered document, from the cache when it is current."""
    settings = _settings(settings)
    meta = get_document(settings.data_dir, doc_id)
    cache_dir = Path(settings.cache_dir)
    path = document_path(settings.data_dir, meta)
    cached = cache_dir / f"{doc_id}.parquet"
    if path.is_file() and cached.exists():
        entry = _manifest(cache_dir).get(doc_id, {})
        if entry.get("key") == _cache_key(path, meta) and _cache_readable(cache_dir, doc_id):
            frame = _read_cached(cached, pl.Schema(ITEM_SCHEMA))
            if frame is not None:
                return frame
            cached.unlink(missing_ok=True)  # readable footer, damaged pages: parse again below
    reports = ingest(settings, [doc_id])
    if reports[0].error:
        raise reports[0].error
    frame = _read_cached(cached, pl.Schema(ITEM_SCHEMA))
    if frame is None:  # just written: only a failing disk or another process gets here
        raise PlanAlignError(
            f"{cached}: the item cache just written cannot be read back. Check the disk, or delete {cache_dir}.",
            zh=f"刚写入的缓存 {cached.name} 无法读回，请检查磁盘或删除缓存文件夹",
        )
    return frame


def document_warnings(settings: Settings, doc_id: str) -> list[str]:
    """What the parser noticed in a registered document: counts the document gives that disagree
    with the items found, lines it did not read. A planner should know before trusting the table."""
    load_items(settings, doc_id)  # parses the document first if its cache is stale
    path = document_path(settings.data_dir, get_document(settings.data_dir, doc_id))
    return _placed(_manifest(Path(settings.cache_dir)).get(doc_id, {}).get("warnings", []), path)


def load_indicators(settings: Settings, doc_id: str) -> list[dict]:
    """The headline indicators (主要预期目标) of a document, possibly empty."""
    load_items(settings, doc_id)  # leaves both cached tables readable, parsing again when one was not
    frame = _read_cached(Path(settings.cache_dir) / f"{doc_id}.indicators.parquet", INDICATOR_SCHEMA)
    if frame is None:
        raise PlanAlignError(
            f"{settings.cache_dir}: the indicator cache of {doc_id} cannot be read back. Check the disk, "
            "or delete the cache folder.",
            zh=f"{doc_id} 的指标缓存无法读回，请检查磁盘或删除缓存文件夹",
        )
    return frame["targets"][0].to_list() if frame.height else []


def load_corpus(settings: Settings, doc_ids: Sequence[str] | str | None = None) -> pl.DataFrame:
    """Items of several documents stacked in one table: those named (one id, or a list), or with ``None``
    every registered document (an empty list is no document, not all of them)."""
    settings = _settings(settings)
    ids = [meta.id for meta in load_registry(settings.data_dir)] if doc_ids is None else _ids(doc_ids)
    return pl.concat([pl.DataFrame(schema=ITEM_SCHEMA), *(load_items(settings, doc_id) for doc_id in ids)],
                     how="vertical")


def current_digests(settings: Settings, doc_ids: Sequence[str] | None = None) -> dict[str, str]:
    """Each item's text fingerprint (``align.items.text_digests``) over the plans named (every registered plan
    with ``None``) that read now: what tells a decision made on a re-issued plan's old text. A plan that does
    not read, or is no longer registered, is left out, and the decisions on it are taken as they were made."""
    registered = {meta.id for meta in load_registry(_settings(settings).data_dir)}
    found: dict[str, str] = {}
    for doc_id in registered if doc_ids is None else [d for d in doc_ids if d in registered]:
        try:
            found.update(text_digests(load_items(settings, doc_id)))
        except PlanAlignError:
            continue
    return found


def _ids(doc_ids: Sequence[str] | str) -> list[str]:
    return [doc_ids] if isinstance(doc_ids, str) else list(doc_ids)


def _settings(settings: Settings) -> Settings:
    """The settings object itself: a data folder given in its place failed deep inside (AttributeError)."""
    if not isinstance(settings, Settings):
        raise TypeError(f"expected plan-align Settings, got {type(settings).__name__} {settings!r}; "
                        "for a data folder, pass Settings(data_dir=...)")
    return settings
