"""plan-align: parse Chinese planning documents into plan-item tables and compare them."""

from align.exceptions import (
    DocumentParseError,
    ExportError,
    PlanAlignError,
    RegistryError,
    SettingsError,
    StoreError,
    UnknownDocumentError,
)
from align.ingest import ingest, load_corpus, load_indicators, load_items
from align.items import ITEM_SCHEMA, SCHEMA_FIELDS
from align.normalize import convert_numerals, normalize_text, parse_number
from align.parsing import ParsedDocument, parse_document, parse_file, parse_text
from align.registry import DocumentMeta, add_document, get_document, load_registry
from align.settings import Settings
from align.targets import extract_quotas, extract_targets
from align.units import department_key, split_units

__all__ = [
    "DocumentMeta", "DocumentParseError", "ExportError", "ITEM_SCHEMA", "ParsedDocument", "PlanAlignError",
    "RegistryError", "SCHEMA_FIELDS", "Settings", "SettingsError", "StoreError", "UnknownDocumentError",
    "add_document", "convert_numerals", "department_key", "extract_quotas", "extract_targets", "get_document",
    "ingest", "load_corpus", "load_indicators", "load_items", "load_registry", "normalize_text", "parse_document",
    "parse_file", "parse_number", "parse_text", "split_units",
]
