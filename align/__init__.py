"""plan-align: parse Chinese planning documents into plan-item tables and compare them."""

from align.exceptions import (
    DocumentParseError,
    ExportError,
    JurisdictionMismatchError,
    PlanAlignError,
    RegistryError,
    SettingsError,
    StoreError,
    UnknownDocumentError,
    UnknownItemError,
)
from align.ingest import ingest, load_corpus, load_indicators, load_items
from align.items import ITEM_SCHEMA, SCHEMA_FIELDS
from align.normalize import convert_numerals, normalize_text, parse_number
from align.parsing import ParsedDocument, parse_document, parse_file, parse_text
from align.registry import DocumentMeta, add_document, get_document, load_registry
from align.settings import Settings
from align.targets import extract_quotas, extract_targets
from align.units import department_key, split_units

# Heavier modules (matching engine, SQLite, Excel) load on first use, so `plan-align docs` starts fast.
_LAZY = {
    "evolve": "align.evolution", "evolve_documents": "align.evolution", "evolve_series": "align.evolution",
    "build_export_frame": "align.export", "export_links": "align.export", "DecisionStore": "align.store",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'align' has no attribute {name!r}")


__all__ = [
    "DecisionStore", "DocumentMeta", "DocumentParseError", "ExportError", "ITEM_SCHEMA", "JurisdictionMismatchError",
    "ParsedDocument", "PlanAlignError", "RegistryError", "SCHEMA_FIELDS", "Settings", "SettingsError", "StoreError",
    "UnknownDocumentError", "UnknownItemError", "add_document", "build_export_frame", "convert_numerals",
    "department_key", "evolve", "evolve_documents", "evolve_series", "export_links", "extract_quotas",
    "extract_targets", "get_document", "ingest", "load_corpus", "load_indicators", "load_items", "load_registry",
    "normalize_text", "parse_document", "parse_file", "parse_number", "parse_text", "split_units",
]
