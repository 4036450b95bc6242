"""Parsed item tables cached as Parquet, re-parsed only when a file or the parser changed.

The cache key is the file's SHA-256 plus ``PARSER_VERSION``; a manifest records which
key each Parquet file was written from. Files are written to a temporary name and
renamed, so an interrupted ingest never leaves a half-written table behind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from align.exceptions import PlanAlignError
from align.files import write_atomic
from align.items import ITEM_SCHEMA, TARGET_STRUCT
from align.parsing import ParsedDocument, parse_text
from align.readers import read_document_text
from align.registry import DocumentMeta, document_path, get_document, load_registry
from align.settings import Settings


def _parser_version() -> str:
    """A digest of the parsing code, so a changed parser invalidates the cache by itself."""
    digest = hashlib.sha256()
    for module in ("formats", "items", "normalize", "parsing", "readers", "targets", "units"):
        digest.update((Path(__file__).parent / f"{module}.py").read_bytes())
    return digest.hexdigest()[:12]


PARSER_VERSION = _parser_version()
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class IngestReport:
    doc_id: str
    parsed: bool
    items: int
    warnings: list[str]
    error: PlanAlignError | None = None  # the problem itself, so a caller can show it in Chinese too


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_json(value: dict, path: Path) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def _manifest(cache_dir: Path) -> dict:
    try:
        return json.loads((cache_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _cache_key(path: Path) -> str:
    return f"{file_digest(path)}:{PARSER_VERSION}"


def parse_registered(settings: Settings, meta: DocumentMeta) -> ParsedDocument:
    path = document_path(settings.data_dir, meta)
    text = read_document_text(path, max_bytes=settings.max_bytes)
    return parse_text(text, meta, path=path)


def ingest(
    settings: Settings,
    doc_ids: list[str] | None = None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[IngestReport]:
    """Parse registered documents into ``cache_dir``; unchanged ones are skipped.

    A document that fails to parse is reported and leaves its previous cache entry
    (and every other document's) untouched.
    """
    cache_dir = Path(settings.cache_dir)
    docs = load_registry(settings.data_dir)
    if doc_ids:
        docs = [get_document(settings.data_dir, doc_id) for doc_id in doc_ids]
    manifest = _manifest(cache_dir)
    reports = []
    for index, meta in enumerate(docs, start=1):
        if progress:
            progress(index, len(docs), meta.id)
        try:
            path = document_path(settings.data_dir, meta)
            if not path.is_file():
                raise PlanAlignError(
                    f"{path}: no such file (registered as '{meta.id}').", zh=f"找不到“{meta.id}”登记的文件 {path}"
                )
            key = _cache_key(path)
            if manifest.get(meta.id, {}).get("key") == key and (cache_dir / f"{meta.id}.parquet").exists():
                entry = manifest[meta.id]
                reports.append(IngestReport(meta.id, False, entry["items"], entry.get("warnings", [])))
                continue
            parsed = parse_registered(settings, meta)
        except PlanAlignError as exc:
            reports.append(IngestReport(meta.id, False, 0, [], error=exc))
            continue
        write_atomic(cache_dir / f"{meta.id}.parquet", parsed.items.write_parquet)
        indicators = pl.DataFrame({"doc_id": [meta.id], "targets": [parsed.indicators]},
                                  schema={"doc_id": pl.String, "targets": pl.List(TARGET_STRUCT)})
        write_atomic(cache_dir / f"{meta.id}.indicators.parquet", indicators.write_parquet)
        manifest = _manifest(cache_dir)
        manifest[meta.id] = {"key": key, "items": parsed.items.height, "warnings": parsed.warnings}
        write_atomic(cache_dir / MANIFEST, partial(_write_json, manifest))
        reports.append(IngestReport(meta.id, True, parsed.items.height, parsed.warnings))
    return reports


def load_items(settings: Settings, doc_id: str) -> pl.DataFrame:
    """The item table of one registered document, from the cache when it is current."""
    meta = get_document(settings.data_dir, doc_id)
    cache_dir = Path(settings.cache_dir)
    path = document_path(settings.data_dir, meta)
    cached = cache_dir / f"{doc_id}.parquet"
    if path.is_file() and cached.exists():
        entry = _manifest(cache_dir).get(doc_id, {})
        if entry.get("key") == _cache_key(path):
            frame = pl.read_parquet(cached)
            if frame.schema == pl.Schema(ITEM_SCHEMA):
                return frame
    reports = ingest(settings, [doc_id])
    if reports[0].error:
        raise reports[0].error
    return pl.read_parquet(cached)


def document_warnings(settings: Settings, doc_id: str) -> list[str]:
    """What the parser noticed in a registered document: counts the document gives that disagree
    with the items found, lines it did not read. A planner should know before trusting the table."""
    load_items(settings, doc_id)  # parses the document first if its cache is stale
    return list(_manifest(Path(settings.cache_dir)).get(doc_id, {}).get("warnings", []))


def load_indicators(settings: Settings, doc_id: str) -> list[dict]:
    """The headline indicators (主要预期目标) of a document, possibly empty."""
    load_items(settings, doc_id)
    frame = pl.read_parquet(Path(settings.cache_dir) / f"{doc_id}.indicators.parquet")
    return frame["targets"][0].to_list() if frame.height else []


def load_corpus(settings: Settings, doc_ids: list[str] | None = None) -> pl.DataFrame:
    """Items of several documents stacked in one table."""
    ids = doc_ids or [meta.id for meta in load_registry(settings.data_dir)]
    return pl.concat([load_items(settings, doc_id) for doc_id in ids], how="vertical")
