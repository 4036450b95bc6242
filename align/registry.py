"""The document registry: one TOML file listing every document and its metadata.

Adding a document is adding a file and an entry; ``add_document`` does both, writing
the registry atomically so a failed add never leaves a half-written file. ``update_document``
corrects an entry's metadata in place and ``remove_document`` takes one out (tomlkit keeps the
user's comments and layout).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path

import polars as pl
import tomlkit
from filelock import FileLock, Timeout

from align.exceptions import (
    OutputError,
    PlanAlignError,
    Problem,
    RegistryError,
    UnknownDocumentError,
)
from align.files import file_digest, write_atomic
from align.readers import decode_text

REGISTRY_FILE = "registry.toml"
#: How long an add, edit or remove waits for another one to finish with the registry.
REGISTRY_LOCK_SECONDS = 30.0
LEVELS = ("county", "district", "new-area", "city", "province")  # from the bottom up
LEVEL_NAMES_ZH = {"county": "县级", "district": "区级", "new-area": "新区", "city": "市级", "province": "省级"}
KINDS = ("task_table", "livelihood_plan", "work_points", "work_report", "plan")
# What a planner may correct after adding a document; its id names its decisions and caches,
# and its file is where the copy lives, so neither changes.
EDITABLE_FIELDS = ("title", "jurisdiction", "level", "parent", "year", "kind")
# A plan's title and place are shown in every table and sheet name: one line, a plan's length.
MAX_TITLE_CHARS = 200
MAX_PLACE_CHARS = 40
#: What an entry's fields are called in Chinese, for the messages that name them.
FIELD_NAMES_ZH = {"title": "标题", "jurisdiction": "辖区", "level": "层级", "parent": "上级辖区", "year": "年份"}
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# The kind of government a place name ends with, dropped from its id (灞桥区 → baqiao, 西咸新区 →
# xixian); a zone keeps what tells it from its city (西安高新区 → xiangaoxin, not xian), and a one-character
# name keeps it whole (眉县 → meixian, as it is spelled).
_PLACE_SUFFIX = re.compile(r"(?<=[\u4e00-\u9fff]{2})((?<!高)新区|自治县|区|县|市|省)$")


#: The registry fields written as text (``year`` is the one number).
TEXT_FIELDS = ("id", "title", "jurisdiction", "level", "kind", "file", "parent")


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one registered document; ``file`` is relative to the data folder."""

    id: str
    title: str
    jurisdiction: str
    level: str
    year: int
    kind: str
    file: str
    parent: str = ""

    def __post_init__(self) -> None:
        # "灞桥区 " typed by hand is 灞桥区: two spellings of one place would be two jurisdictions
        for name in TEXT_FIELDS:
            if isinstance(value := getattr(self, name), str) and value != value.strip():
                object.__setattr__(self, name, value.strip())

    @property
    def short_name(self) -> str:
        """The name its parent's plans give it: a city writes its own zones without its name, so 宝鸡高新区
        under 宝鸡市 is their 高新区 (and 灞桥区 under 西安市 stays 灞桥区)."""
        stem = re.sub(r"(?:市|省|自治州|地区)$", "", self.parent)
        if stem and self.jurisdiction.startswith(stem) and len(self.jurisdiction) - len(stem) >= 2:
            return self.jurisdiction[len(stem):]
        return self.jurisdiction

    @property
    def level_rank(self) -> int:
        """Where the level stands in ``LEVELS``, from the bottom up (county 0, province 4)."""
        return LEVELS.index(self.level)

    def problems(self) -> list[Problem]:
        """Each field that is not valid, said in English and in Chinese."""
        found = []
        if wrong := [name for name in TEXT_FIELDS if not isinstance(getattr(self, name), str)]:
            return [(  # id = 2023 unquoted: the checks below would stumble on it
                f"{', '.join(map(repr, wrong))} must be text in quotes. Got "
                f"{', '.join(repr(getattr(self, name)) for name in wrong)} instead.",
                f"{'、'.join(wrong)} 应是加引号的文字，现为 {'、'.join(repr(getattr(self, name)) for name in wrong)}",
            )]
        if not _ID_PATTERN.match(self.id or ""):
            found.append((
                f"The 'id' must be lowercase letters, digits, '-' or '_' (at most 64). Got {self.id!r} instead.",
                f"编号只能用小写字母、数字、- 和 _（至多 64 个），现为 {self.id!r}",
            ))
        if self.level not in LEVELS:
            found.append((
                f"The 'level' must be one of {', '.join(LEVELS)}. Got {self.level!r} instead.",
                f"层级只能是 {'、'.join(LEVELS)}，现为 {self.level!r}",
            ))
        if self.kind not in KINDS:
            found.append((
                f"The 'kind' must be one of {', '.join(KINDS)}. Got {self.kind!r} instead.",
                f"文档类型只能是 {'、'.join(KINDS)}，现为 {self.kind!r}",
            ))
        if not isinstance(self.year, int) or not 1949 <= self.year <= 2100:
            found.append((
                f"The 'year' must be an integer between 1949 and 2100. Got {self.year!r} instead.",
                f"年份应为 1949 到 2100 之间的整数，现为 {self.year!r}",
            ))
        if not str(self.title).strip():
            found.append(("The 'title' must not be empty.", "标题不能为空"))
        if not str(self.jurisdiction).strip():
            found.append(("The 'jurisdiction' must not be empty.", "辖区不能为空"))
        if not str(self.file).strip():
            found.append(("The 'file' must not be empty.", "文件名不能为空"))
        for name, longest in (("title", MAX_TITLE_CHARS), ("jurisdiction", MAX_PLACE_CHARS), ("parent", MAX_PLACE_CHARS)):
            value = str(getattr(self, name) or "")
            lines = len(value.splitlines())
            if lines > 1 or len(value) > longest:  # a pasted paragraph: every table and sheet shows it
                found.append((
                    f"The '{name}' must be one line of at most {longest} characters. Got {len(value):,} characters"
                    f"{f' on {lines} lines' if lines > 1 else ''}.",
                    f"{FIELD_NAMES_ZH[name]}须为一行，至多 {longest} 个字符，现为 {len(value):,} 个字符"
                    f"{f'，分 {lines} 行' if lines > 1 else ''}",
                ))
        if self.parent and self.parent == self.jurisdiction:
            found.append((
                f"The 'parent' is the government one level up, not {self.jurisdiction} itself.",
                f"上级辖区不能是本辖区 {self.jurisdiction}",
            ))
        return found


# Readings pypinyin's general phrase list gets wrong in place names: 都 is dū in a place (秦都, 花都,
# 宁都, 都江堰), never dōu; a few names read otherwise than the word (朝阳区 Cháoyáng, 洪洞县 Hóngtóng).
_PLACE_READINGS = {"都": ["du"], "朝阳": ["chao", "yang"], "洪洞": ["hong", "tong"], "长垣": ["chang", "yuan"],
                   "栎阳": ["yue", "yang"]}


def suggest_id(jurisdiction: str, year: int | None, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """An id in the registry's own style, from the place and the year: 灞桥区, 2023 → ``baqiao-2023``.

    The place is spelled in pinyin without its level (区, 市, 新区 …), so a planner who
    registers a new document gets the name the others already have; an id already
    ``taken`` gets ``-2``, ``-3`` … . Always a valid id, also for a place with no Chinese
    (``doc`` when nothing is left); the planner may still change it.
    """
    from pypinyin import lazy_pinyin  # 0.1 s to load its dictionary: only when an id is suggested

    place = _PLACE_SUFFIX.sub("", (jurisdiction or "").strip()) or (jurisdiction or "").strip()
    readings = lazy_pinyin(place)
    if len(readings) == len(place):  # one reading per character: a place name's own readings apply
        for name, said in _PLACE_READINGS.items():
            for start in (m.start() for m in re.finditer(name, place)):
                readings[start:start + len(name)] = said
    spelled = "".join(readings).lower()
    stem = re.sub(r"[^a-z0-9]+", "-", spelled).strip("-")[:40] or "doc"
    base = f"{stem}-{year}" if year else stem
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def registry_path(data_dir: Path) -> Path:
    return Path(data_dir) / REGISTRY_FILE


def load_registry(data_dir: Path) -> list[DocumentMeta]:
    """Read and validate every entry; all problems are reported together."""
    path = registry_path(data_dir)
    if not path.exists():
        raise RegistryError(
            f"{path}: no registry file. Create it or point --data / PLAN_ALIGN_DATA at a folder that has one.",
            zh=f"数据文件夹 {path.parent} 里没有登记表 {REGISTRY_FILE}",
        )
    try:
        raw = tomllib.loads(_registry_text(path))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(
            f"{path}: the registry is not valid TOML ({exc}).", zh=f"登记表 {REGISTRY_FILE} 格式有误，无法读取"
        ) from exc
    docs: list[DocumentMeta] = []
    problems: list[Problem] = []
    # A misspelt section or field would otherwise drop a document or a value without a word.
    if unknown := sorted(set(raw) - {"document"}):
        problems.append((
            f"unknown section(s) {', '.join(map(repr, unknown))}; each document is a [[document]] table",
            f"未知的表 {'、'.join(unknown)}，每个文档应是一个 [[document]] 表",
        ))
    seen: set[str] = set()
    names = [f.name for f in fields(DocumentMeta)]
    required = [f.name for f in fields(DocumentMeta) if f.default is MISSING]
    entries = raw.get("document", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        # [document] for [[document]], or document = "x": its keys or letters would be read as entries
        raise RegistryError(
            f"{path}: 'document' must be a list of [[document]] tables, one per document.",
            zh=f"登记表 {REGISTRY_FILE}：每个文档应写成一个 [[document]] 表",
        )
    for index, entry in enumerate(entries, start=1):
        if unknown := sorted(set(entry) - set(names)):
            problems.append((
                f"entry {index}: unknown field(s) {', '.join(map(repr, unknown))}; the fields are {', '.join(names)}",
                f"第 {index} 条有未知字段 {'、'.join(unknown)}",
            ))
            continue
        if missing := [name for name in required if name not in entry]:
            problems.append((f"entry {index}: missing field(s) {', '.join(missing)}",
                             f"第 {index} 条缺少字段 {'、'.join(missing)}"))
            continue
        meta = DocumentMeta(**entry)
        problems.extend(
            (f"entry {index} ({meta.id}): {en}", f"第 {index} 条（{meta.id}）{zh}") for en, zh in meta.problems()
        )
        if meta.id in seen:
            problems.append((f"entry {index}: duplicate id {meta.id!r}", f"第 {index} 条的编号“{meta.id}”重复"))
        seen.add(meta.id)
        docs.append(meta)
    if problems:
        raise RegistryError.from_problems(problems, lead=(f"{path}: ", f"登记表 {REGISTRY_FILE}："), sep="; ")
    return docs


def get_document(data_dir: Path, doc_id: str) -> DocumentMeta:
    return _find(load_registry(data_dir), doc_id)


def _find(docs: Sequence[DocumentMeta], doc_id: str) -> DocumentMeta:
    for meta in docs:
        if meta.id == doc_id:
            return meta
    raise UnknownDocumentError(doc_id, [d.id for d in docs])


def document_path(data_dir: Path, meta: DocumentMeta) -> Path:
    return (Path(data_dir) / meta.file).resolve()


def plans_under(docs: Sequence[DocumentMeta], city: DocumentMeta) -> list[DocumentMeta]:
    """The plans of each jurisdiction's latest year that name ``city``'s as their parent, at a
    lower level (灞桥区 and 西咸新区 under 西安市): the plans a city's 督查办 checks its items against.

    Every plan of that year counts (a 政府工作报告 and its 任务分解表 both commit the district);
    keeping only one would drop the other's decisions from the overview unseen.
    """
    under = [meta for meta in docs if meta.parent == city.jurisdiction and meta.level_rank < city.level_rank]
    latest: dict[str, int] = {}
    for meta in under:
        latest[meta.jurisdiction] = max(meta.year, latest.get(meta.jurisdiction, meta.year))
    return sorted((meta for meta in under if meta.year == latest[meta.jurisdiction]), key=lambda meta: meta.id)


def plans_without_parent(docs: Sequence[DocumentMeta], city: DocumentMeta) -> list[DocumentMeta]:
    """Plans below ``city``'s level registered with no parent, or with a parent no document is
    registered for (西安 for 西安市): :func:`plans_under` cannot count them under any city, so
    the overview names them rather than leave them out unseen."""
    places = {meta.jurisdiction for meta in docs}
    return sorted(
        (meta for meta in docs
         if (not meta.parent or meta.parent not in places) and meta.level_rank < city.level_rank
         and meta.jurisdiction != city.jurisdiction),
        key=lambda meta: meta.id,
    )


def places_above(docs: Sequence[DocumentMeta], level: str) -> list[str]:
    """The jurisdictions of the registered plans that may be a ``level`` plan's parent: a city or a
    province above it (a county is under its city, not under a district or a new area beside it)."""
    lowest = max(LEVELS.index(level) + 1, LEVELS.index("city"))
    return sorted({meta.jurisdiction for meta in docs if meta.level_rank >= lowest})


def registration_warnings(data_dir: Path, doc_id: str, *, commands: bool = True) -> list[Problem]:
    """What a planner should hear after registering or editing ``doc_id`` (:func:`entry_warnings`);
    ``commands`` names the command that mends each (the app has its own buttons)."""
    docs = load_registry(data_dir)
    meta = _find(docs, doc_id)
    path = document_path(data_dir, meta)
    same: list[str] = []
    if path.is_file():
        others = {other.id: document_path(data_dir, other) for other in docs if other.id != meta.id}
        same = [doc_id for doc_id, other in others.items()  # the size first: most files differ in it
                if other.is_file() and other.stat().st_size == path.stat().st_size and file_digest(other) == file_digest(path)]
    return entry_warnings(docs, meta, same_file=same, registered=commands)


def entry_warnings(docs: Sequence[DocumentMeta], meta: DocumentMeta, *, same_file: Sequence[str] = (),
                   registered: bool = False) -> list[Problem]:
    """What a planner should hear of an entry among the registered ``docs``, in English and Chinese,
    before registering it (the Add page) or after (``add``, ``edit``): a parent no registered document
    governs (a typo such as 西安 for 西安市 leaves the plan out of its city's coverage), a district or
    county plan with no parent while a plan above it is registered, a title that names another place
    or year than the entry, and ``same_file``, the ids of the same file registered already (its items
    would count twice). ``registered`` adds the command that mends each."""
    from align.parsing import heading_jurisdiction  # the heading reader is the parser's

    warnings: list[Problem] = []
    places = places_above(docs, meta.level)
    beside = {other.jurisdiction for other in docs if other.level == meta.level and other.id != meta.id}
    if meta.parent and meta.parent not in places and meta.parent in beside:  # 神木市 registered a city, under 榆林市
        warnings.append((f"{meta.parent}, the parent given for {meta.id}, is registered at its level ({meta.level}); "
                         f"if {meta.jurisdiction} is a county-level city under it, give {meta.id} the level county"
                         + (f": plan-align edit {meta.id} --level county" if registered else "")
                         + "; until then its city's coverage does not count it.",
                         f"{meta.id} 所填的上级{meta.parent}与它同为{LEVEL_NAMES_ZH[meta.level]}文档；如{meta.jurisdiction}"
                         f"是{meta.parent}下辖的县级市，请把层级改为 county（县级），在此之前它不计入{meta.parent}的覆盖情况"))
    elif meta.parent and meta.parent not in places:
        warnings.append((f"no registered document is of {meta.parent}, the parent given for {meta.id}"
                         + (f" (registered above it: {', '.join(places)})" if places else "")
                         + "; until one is, its city's coverage does not count it.",
                         f"没有登记{meta.parent}的文档（{meta.id} 所填的上级），在此之前它不计入任何市的覆盖情况"))
    elif not meta.parent and meta.level in ("new-area", "district", "county") and places:
        warnings.append((f"{meta.id} names no parent, so no city's coverage counts it; if it is under one of "
                         f"{', '.join(places)}" + (f": plan-align edit {meta.id} --parent NAME" if registered
                                                   else ", fill in its parent"),
                         f"{meta.id} 没有填上级，不计入任何市的覆盖情况；如属{'、'.join(places)}，请补填上级"))
    title_place = heading_jurisdiction(meta.title)[0]
    title_years = {int(year) for year in re.findall(r"((?:19|20)\d{2})\s*年", meta.title or "")}
    other_place = title_place and title_place != meta.jurisdiction and meta.jurisdiction not in (meta.title or "")
    if other_place or title_years and meta.year not in title_years:  # 2023年工作总结和2024年工作计划: 2024 is in it
        warnings.append((f"the title of {meta.id} ({meta.title}) names another place or year than its entry "
                         f"({meta.jurisdiction}, {meta.year}); check the entry"
                         + (f" (plan-align edit {meta.id})." if registered else "."),
                         f"{meta.id} 的标题（{meta.title}）与登记的地区或年份（{meta.jurisdiction}，{meta.year}）不一致，请核对"))
    if same_file:
        warnings.append((f"{meta.id} is the same file as {', '.join(same_file)}: registered twice, its items count "
                         "twice" + (f" (plan-align remove {meta.id} if that was not meant)." if registered else "."),
                         f"{meta.id} 与 {'、'.join(same_file)} 是同一个文件，重复登记会使其条目计入两次"))
    return warnings


def registry_frame(data_dir: Path) -> pl.DataFrame:
    """The registry as a table, for listing."""
    docs = load_registry(data_dir)
    return pl.DataFrame(
        [asdict(d) for d in docs],
        schema={
            "id": pl.String, "title": pl.String, "jurisdiction": pl.String, "level": pl.String,
            "year": pl.Int64, "kind": pl.String, "file": pl.String, "parent": pl.String,
        },
    ).select("id", "title", "jurisdiction", "level", "parent", "year", "kind", "file")


def add_document(data_dir: Path, source_file: Path, meta: DocumentMeta, *, check=None,
                 on_warning: Callable[[Problem], None] | None = None) -> DocumentMeta:
    """Copy ``source_file`` into ``data_dir/documents`` and register it.

    ``check`` is called with the copied path before the registry is written (the CLI
    passes the parser), so a file that does not parse is never registered. On any
    failure the copy is removed and the registry is left as it was. A file already under the
    copy's name that no entry names is an interrupted add's leftover: it is moved aside (see
    :func:`_clear_leftover`) and ``on_warning`` told, in English and Chinese.
    """
    data_dir = Path(data_dir)
    source_file = Path(source_file)
    if source_file.is_dir():
        raise RegistryError(f"{source_file}: a folder, not a file. Give the plan's file.",
                            zh=f"{source_file.name} 是一个文件夹，不是文件")
    if not source_file.is_file():
        raise RegistryError(f"{source_file}: no such file.", zh=f"找不到文件 {source_file.name}")
    docs = load_registry(data_dir) if registry_path(data_dir).exists() else []
    if any(d.id == meta.id for d in docs):
        raise RegistryError(
            f"A document with id {meta.id!r} is already registered. Choose another id.",
            zh=f"编号“{meta.id}”已被占用，请换一个",
        )
    target_dir = data_dir / "documents"
    target = target_dir / f"{meta.id}{''.join(source_file.suffixes[-1:]) or '.txt'}"
    meta = DocumentMeta(**{**asdict(meta), "file": str(target.relative_to(data_dir))})
    if problems := meta.problems():
        raise RegistryError.from_problems(problems)
    if target.exists() and source_file.resolve() == target.resolve():  # else moved aside as a leftover, then missed
        raise RegistryError(
            f"{source_file} is already where add would copy it ({target}); add the plan from where you keep it, "
            "outside the data folder's documents/, and add copies it there.",
            zh=f"{source_file.name} 已在数据文件夹的 documents/ 中，正是登记要复制到的位置；请从原来存放它的位置登记",
        )
    with _adding(data_dir, source_file, target):
        if target.exists() or target.is_symlink():
            moved = _clear_leftover(data_dir, target)
            if on_warning is not None:
                on_warning((f"{target} was left by an add that did not finish (no registry entry names it); it was "
                            f"moved aside to {moved}.",
                            f"{target.name} 是一次未完成的登记留下的文件（登记表中没有它），已移到 {moved} 保存"))
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_file, target)
        except OSError as exc:  # a read-only data folder, a full disk
            target.unlink(missing_ok=True)  # a partial copy (the name was free above)
            raise _copy_failed(data_dir, source_file, target, exc) from exc
        return _check_and_register(data_dir, target, meta, check)


def _copy_failed(data_dir: Path, source_file: Path, target: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"Could not copy {source_file} to {target}: {exc.strerror or exc}. Check that the data folder "
        f"{data_dir} is writable and the disk is not full; nothing was registered.",
        zh=f"无法把文件复制到数据文件夹 {data_dir}，请检查它是否可写、磁盘是否已满；未登记任何文档",
    )


@contextmanager
def _adding(data_dir: Path, source_file: Path, target: Path) -> Iterator[None]:
    """Hold the copy's name for one add, from the copy to the registry entry. A second add of the name
    meanwhile is refused (the file there is the first one's, not a leftover); an add that was killed
    holds nothing (the operating system drops its lock), so its file can be told for a leftover."""
    busy = RegistryError(
        f"{target}: another add of a document under this name is under way; wait for it to finish, or choose "
        "another --id.",
        zh=f"另一项登记正在使用文件名 {target.name}，请等它完成，或换一个编号",
    )
    # not in documents/, which lists the plans; a folder that cannot take it is the copy's failure too
    with _held(Path(data_dir) / ".adding" / f"{target.name}.lock", 0, busy,
               lambda exc: _copy_failed(data_dir, source_file, target, exc)):
        yield


def _clear_leftover(data_dir: Path, target: Path) -> Path:
    """Move aside the file an interrupted add left under ``target`` (copied, then killed before its
    entry was written), so the same add can go on; it failed for ever with "a file with this name
    already exists". A file the registry names, or a folder, is refused as before."""
    with _registry_locked(data_dir):
        docs = load_registry(data_dir) if registry_path(data_dir).exists() else []
        if target.is_dir() or any(document_path(data_dir, d) == target.resolve() for d in docs):
            raise RegistryError(
                f"{target}: a file with this name already exists; choose another --id.",
                zh=f"已有同名文件 {target.name}，请换一个编号",
            )
        try:
            return _move_aside(data_dir, target)
        except OSError as exc:
            raise OutputError(
                f"Could not move {target}, left by an add that did not finish, aside into "
                f"{data_dir / 'documents' / '.removed'}: {exc.strerror or exc}. Check that the data folder is "
                "writable; nothing was registered.",
                zh=f"无法把未完成的登记留下的文件 {target.name} 移到 documents/.removed，请检查数据文件夹是否可写；未登记任何文档",
            ) from exc


def _move_aside(data_dir: Path, source: Path) -> Path:
    """Move a document file into ``documents/.removed/``, never over a file removed before; never deleted."""
    removed = Path(data_dir) / "documents" / ".removed" / source.name
    removed.parent.mkdir(parents=True, exist_ok=True)
    stem, number = removed, 1
    while removed.exists() or removed.is_symlink():  # a file removed before under the same name stays too
        number += 1
        removed = stem.with_name(f"{stem.stem}-{number}{stem.suffix}")
    shutil.move(source, removed)
    return removed


def _check_and_register(data_dir: Path, target: Path, meta: DocumentMeta, check) -> DocumentMeta:
    """The copy at ``target`` checked, then its entry written; on any failure the copy is removed."""
    try:
        if check is not None:
            check(target, meta)
        path = registry_path(data_dir)
        with _registry_locked(data_dir):
            # read again: another add or edit may have landed while the file was parsed (seconds)
            docs = load_registry(data_dir) if path.exists() else []
            if any(d.id == meta.id for d in docs):
                raise RegistryError(f"A document with id {meta.id!r} was registered meanwhile. Choose another id.",
                                    zh=f"编号“{meta.id}”刚被登记，请换一个")
            before = _registry_text(path) if path.exists() else (
                "# Document registry of plan-align. One [[document]] table per document.\n"
            )
            _write_registry(path, _appended(before, meta), [*docs, meta])
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return meta


def _appended(before: str, meta: DocumentMeta) -> str:
    """The registry text with ``meta``'s entry added, the rest as written.

    A new ``[[document]]`` table is appended to the text, so the user's comments and layout stay as
    they were; a registry written as one inline array (``document = [{id = …}, …]``) cannot be
    continued by a table, so the entry joins that array.
    """
    document = tomlkit.parse(before)
    entries = document.get("document")
    if entries is not None and not isinstance(entries, tomlkit.items.AoT):
        entry = tomlkit.inline_table()
        entry.update(asdict(meta))
        entries.append(entry)
        return tomlkit.dumps(document)
    return before.rstrip("\r\n") + "\n\n" + tomlkit.dumps({"document": [asdict(meta)]})


def update_document(data_dir: Path, doc_id: str, **changes: object) -> DocumentMeta:
    """Correct a registered document's metadata (a parent left out, a wrong year) in place.

    Only ``EDITABLE_FIELDS`` change; the entry is validated as ``add_document`` validates a
    new one, and the rest of the file (other entries, comments, layout) is kept as written.
    An empty ``parent`` removes the field. Returns the entry as it now reads.
    """
    if unknown := sorted(set(changes) - set(EDITABLE_FIELDS)):
        raise RegistryError(
            f"Cannot change {', '.join(unknown)}: only {', '.join(EDITABLE_FIELDS)} can be corrected "
            "(the id names the document's decisions, the file is its copy in the data folder).",
            zh=f"不能修改 {'、'.join(unknown)}，可修改的只有 {'、'.join(EDITABLE_FIELDS)}",
        )
    with _registry_locked(data_dir):
        docs = load_registry(data_dir)
        meta = _find(docs, doc_id)
        updated = DocumentMeta(**{**asdict(meta), **changes})
        if problems := updated.problems():
            raise RegistryError.from_problems(problems)
        if updated == meta:
            return meta
        path = registry_path(data_dir)
        document = tomlkit.parse(_registry_text(path))
        entry = next(table for table in document["document"] if table["id"] == doc_id)
        for name in EDITABLE_FIELDS:
            value = getattr(updated, name)
            if name == "parent" and not value:
                entry.pop(name, None)
            elif value != getattr(meta, name) or name not in entry:
                entry[name] = value
        _write_registry(path, tomlkit.dumps(document), [updated if d.id == doc_id else d for d in docs])
    return updated


def in_data_folder(data_dir: Path, meta: DocumentMeta) -> bool:
    """Whether ``meta``'s file lies inside the data folder (a copy plan-align made, or the bundled texts),
    not a planner's own file the registry points at (``/home/…/b.txt``, ``../b.txt``)."""
    return document_path(data_dir, meta).is_relative_to(Path(data_dir).resolve())


def remove_document(data_dir: Path, doc_id: str) -> Path | None:
    """Take a document out of the registry; its file copy goes to ``documents/.removed/``, not away.

    For a file added by mistake. The caller makes sure no decision in effect names the
    document's items (:func:`align.store.decisions_on`), since those would lose their text.
    Returns where the file now is (``None`` when it was missing, another entry still uses it,
    or it lies outside the data folder: a planner's own file is never moved).
    """
    data_dir = Path(data_dir)
    with _registry_locked(data_dir):
        docs = load_registry(data_dir)
        meta = _find(docs, doc_id)
        path = registry_path(data_dir)
        document = tomlkit.parse(_registry_text(path))
        entries = document["document"]
        del entries[[table["id"] for table in entries].index(doc_id)]
        _write_registry(path, tomlkit.dumps(document), [d for d in docs if d.id != doc_id])
        source = document_path(data_dir, meta)
        if (not source.is_file() or not in_data_folder(data_dir, meta)
                or any(d.file == meta.file for d in docs if d.id != doc_id)):
            return None
        return _move_aside(data_dir, source)


@contextmanager
def _registry_locked(data_dir: Path) -> Iterator[None]:
    """One add, edit or remove at a time. Each reads the registry, changes it and writes it back, so
    two at once (the app's Add page and a CLI ``add``) would each write the registry it read, and the
    first change would be lost without a word (its file copied, its entry gone)."""
    if not Path(data_dir).is_dir():  # nothing to guard; the change fails on its own with its own message
        yield
        return
    lock_file = registry_lock_path(data_dir)
    busy = RegistryError(
        f"Another add, edit or remove has held the registry for {REGISTRY_LOCK_SECONDS:.0f} s; nothing was "
        f"changed. Try again when it has finished (if none is running, delete {lock_file}).",
        zh=f"另一项登记操作占用登记表已超过 {REGISTRY_LOCK_SECONDS:.0f} 秒，本次未作改动，请稍后再试",
    )

    def unwritable(exc: OSError) -> OutputError:  # a read-only data folder
        return OutputError(
            f"Could not lock the registry in {data_dir}: {exc.strerror or exc}. Check that the data folder is "
            "writable; nothing was changed.",
            zh=f"无法锁定数据文件夹 {data_dir} 中的登记表，请检查它是否可写；未作改动",
        )

    with _held(lock_file, REGISTRY_LOCK_SECONDS, busy, unwritable):
        yield


def registry_lock_path(data_dir: Path) -> Path:
    """The file that holds the registry for one add, edit or remove (which no ``--out`` may replace),
    beside the registry where it lives: two data folders linking one registry take one lock."""
    return registry_path(data_dir).resolve().with_name(f"{REGISTRY_FILE}.lock")


@contextmanager
def _held(lock_file: Path, timeout: float, busy: PlanAlignError,
          cannot: Callable[[OSError], PlanAlignError]) -> Iterator[None]:
    """Hold ``lock_file`` for the block: ``busy`` is raised when another process holds it past ``timeout``
    seconds, ``cannot(exc)`` when the lock file cannot be made."""
    lock = FileLock(lock_file, timeout=timeout)
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout as exc:
        raise busy from exc
    except OSError as exc:
        raise cannot(exc) from exc
    try:
        yield
    finally:
        lock.release()


def _registry_text(path: Path) -> str:
    """The registry as written: decoded from bytes, so a Windows file keeps its CRLF line ends,
    and without the BOM Notepad may have saved it with."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # a folder of the registry's name was an IsADirectoryError traceback
        if path.is_dir():
            raise RegistryError(
                f"{path}: a folder, not a file. The registry is a TOML file; move the folder away, or point --data / "
                "PLAN_ALIGN_DATA at the data folder that has the registry.",
                zh=f"登记表 {REGISTRY_FILE} 是一个文件夹，不是文件，请移走它或指定正确的数据文件夹",
            ) from exc
        raise RegistryError(f"{path}: cannot read the registry ({exc.strerror or exc}).",
                            zh=f"无法读取登记表 {REGISTRY_FILE}，请检查它是否可读") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # Notepad on Chinese Windows saves GBK; written back, it becomes UTF-8
        return decode_text(data, path=path)


def _write_registry(path: Path, text: str, expected: list[DocumentMeta]) -> None:
    """Write registry text that reads back as exactly ``expected``, atomically and durably, else
    refuse and leave the file as it was. A line added to a CRLF file ends as its other lines do."""
    if "\r\n" in text:
        text = re.sub(r"(?<!\r)\n", "\r\n", text)
    try:
        written = [DocumentMeta(**entry) for entry in tomllib.loads(text).get("document", [])]
    except (tomllib.TOMLDecodeError, TypeError):  # TypeError: an entry that is not a table
        written = None
    if written != expected:
        raise RegistryError(
            f"{path}: the change would not read back as written (did another add or edit change the registry at "
            "the same moment?); the registry is unchanged. Run the command again.",
            zh="修改写入后无法原样读回（是否同时有其他登记操作？），登记表未改动，请再运行一次",
        )
    # a registry kept elsewhere and linked into the data folder is written where it lives: the rename
    # replaced the link with a file, and the shared registry never got the entry
    write_atomic(path.resolve() if path.is_symlink() else path, lambda tmp: tmp.write_bytes(text.encode("utf-8")),
                 durable=True)
