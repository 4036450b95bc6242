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

# Everything else loads on first use (``from align import load_items`` works as ever), so importing the
# package is quick: `plan-align` can take a Ctrl-C from its first moment (align.launch), and `docs` starts fast.
_LAZY = {
    **dict.fromkeys(["ingest", "load_corpus", "load_indicators", "load_items"], "align.ingest"),
    **dict.fromkeys(["ITEM_SCHEMA", "SCHEMA_FIELDS"], "align.items"),
    **dict.fromkeys(["convert_numerals", "normalize_text", "parse_number"], "align.normalize"),
    **dict.fromkeys(["ParsedDocument", "parse_document", "parse_file", "parse_text"], "align.parsing"),
    **dict.fromkeys(["DocumentMeta", "add_document", "get_document", "load_registry"], "align.registry"),
    "Settings": "align.settings",
    **dict.fromkeys(["extract_quotas", "extract_targets"], "align.targets"),
    **dict.fromkeys(["department_key", "split_units"], "align.units"),
    **dict.fromkeys(["evolve", "evolve_documents", "evolve_series"], "align.evolution"),
    **dict.fromkeys(["build_export_frame", "export_links"], "align.export"),
    "DecisionStore": "align.store",
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
