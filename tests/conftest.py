from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from align.parsing import parse_file
from align.registry import document_path, get_document
from align.settings import BUNDLED_DATA, ENVIRONMENT, Settings

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run the longer robustness variants")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="longer variant: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def private_default_data(tmp_path_factory):
    """Commands run without --data use a private copy, so no test writes into the repo's data/; and none
    reads the planner's own settings (a PLAN_ALIGN_CACHE_DIR of theirs failed twelve tests and took
    the tests' throwaway documents into their cache)."""
    target = tmp_path_factory.mktemp("default") / "data"
    shutil.copytree(BUNDLED_DATA, target, ignore=shutil.ignore_patterns(".cache", "decisions.sqlite*"))
    with pytest.MonkeyPatch.context() as patch:
        for variable in ENVIRONMENT.values():
            patch.delenv(variable, raising=False)
        patch.setenv("PLAN_ALIGN_DATA", str(target))
        patch.setenv("PLAN_ALIGN_DB", str(target / "decisions.sqlite"))
        yield target


@pytest.fixture(scope="session")
def bundled(tmp_path_factory) -> Settings:
    """Settings on the bundled data, with a private cache and store so tests never touch the user's."""
    private = tmp_path_factory.mktemp("bundled")
    return Settings(data_dir=BUNDLED_DATA, cache_dir=private / "cache", db_path=private / "decisions.sqlite")


@pytest.fixture(scope="session")
def parsed_docs():
    """Each bundled document parsed once per session."""
    cache = {}

    def get(doc_id: str):
        if doc_id not in cache:
            meta = get_document(BUNDLED_DATA, doc_id)
            cache[doc_id] = parse_file(document_path(BUNDLED_DATA, meta), meta)
        return cache[doc_id]

    return get


@pytest.fixture()
def data_copy(tmp_path) -> Settings:
    """A private copy of the bundled data folder, for tests that write."""
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, target, ignore=shutil.ignore_patterns(".cache", "decisions.sqlite*"))
    return Settings(data_dir=target)
