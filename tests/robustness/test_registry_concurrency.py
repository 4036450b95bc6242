"""The app's Add page and a CLI ``add`` or ``edit`` at the same moment: no registration is lost."""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from align.registry import DocumentMeta, add_document, load_registry, update_document
from align.settings import BUNDLED_DATA

PROCESSES = 4
EACH = 6


def _add_several(data_dir: str, source: str, writer: int) -> list[str]:
    added = []
    for k in range(EACH):
        doc_id = f"plan-{writer}-{k}"
        meta = DocumentMeta(id=doc_id, title=f"第{k}号计划", jurisdiction="莲湖区", level="district", year=2024,
                            kind="task_table", file="x.txt")
        add_document(Path(data_dir), Path(source), meta)
        update_document(Path(data_dir), doc_id, title=f"第{k}号计划（修订）")
        added.append(doc_id)
    return added


def test_adds_and_edits_from_several_processes_at_once_all_land(tmp_path, robustness_report):
    """Each add read the registry, appended its entry and wrote it back: two at once each wrote the
    registry it had read, and one entry was gone, its file copied into documents/ and never registered."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(BUNDLED_DATA / "registry.toml", data_dir / "registry.toml")
    shutil.copytree(BUNDLED_DATA / "documents", data_dir / "documents")
    source = tmp_path / "plan.txt"
    source.write_text("1. 新建口袋公园10个。\n2. 改造老旧小区20个。\n", encoding="utf-8")
    with ProcessPoolExecutor(PROCESSES) as pool:
        added = [doc_id for ids in pool.map(_add_several, [str(data_dir)] * PROCESSES, [str(source)] * PROCESSES,
                                            range(PROCESSES)) for doc_id in ids]
    registered = {meta.id: meta for meta in load_registry(data_dir)}
    robustness_report.count("registry concurrency: documents added at once", len(added))
    robustness_report.count("registry concurrency: lost", len(set(added) - set(registered)))
    assert set(added) <= set(registered), f"lost: {sorted(set(added) - set(registered))}"
    assert all(registered[doc_id].title.endswith("（修订）") for doc_id in added), "every edit landed too"
    assert {"baqiao-2023", "xian-2024"} <= set(registered), "the bundled entries are kept"
