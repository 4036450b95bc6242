"""Responsible units: splitting a table cell into units and a cross-level department key.

Extraction separates several units with spaces but also breaks one unit over a space
(``资源规划 灞桥分局``). A unit name ends in an organisational suffix (局, 委, 办, 中心,
公司 …), so a space-separated piece that does not end in one is joined to the next.
The department key strips the level and place (区/市, 灞桥分局) and maps common short
forms, so ``区住建局`` and ``市住建局`` both become ``住建``.
"""

from __future__ import annotations

import re

from align.normalize import normalize_text

# Organisational suffixes, longest first so that 委员会 wins over 会.
UNIT_SUFFIXES = (
    "管理委员会", "委员会", "管委会", "事业部", "办公室", "服务中心", "中心", "集团", "公司", "分局",
    "大队", "支队", "总队", "管理办", "街道办", "街道", "政府", "局", "委", "办", "院", "所", "站",
    "会", "部", "处", "室", "厅", "馆", "园", "队", "社", "行", "团", "校", "镇", "署", "部门", "单位", "镇街", "街镇",
)
# A trailing aside (各镇（街道）) does not hide the suffix before it.
_SUFFIX_PATTERN = re.compile("(?:" + "|".join(UNIT_SUFFIXES) + r")(?:\([^()]{1,8}\))?$")
# What a cell says of a unit's role, not part of its name: 区发改委（牵头）, 区财政局配合.
_ROLE_MARK = re.compile(
    r"\(\s*(?:牵头|配合|负责|协办|主责|主办)(?:单位|部门)?\s*\)|(?<=[局委办室心司道镇府队])(?:牵头|配合|负责)+$"
)
# Marks a planner writes between units, which never break one name outside brackets (港华燃气、各街道 are two: a
# company's name has no office suffix; 各镇（街道、社区） is one); extraction's spaces may (资源规划 灞桥分局).
_LIST_MARKS = frozenset(",，、;；/")
_LIST_MARK = re.compile(f"[{re.escape(''.join(sorted(_LIST_MARKS)))}]")
_OPENING, _CLOSING = frozenset("(（[【［〔"), frozenset(")）]】］〕")


_LEVEL_ONLY = re.compile(r"各?[省市区县镇乡村](?:\([^()]*\))?")
# An office of one level, its name after the level (区住建局, 区（县）民政局): not of several levels (乡镇政府, 县区政府,
# 两级), nor a word that opens with a level's character (市场监管局, 市政, 区域).
_ONE_LEVELS_OFFICE = re.compile(r"[省市区县镇乡](?:\([^()]*\))?(?![省市区县镇乡村]|场|政|域|[两三各]级)(?=[\u4e00-\u9fff]{2,})")
_LEVELS_TOGETHER = re.compile(r"[省市区县镇乡村]+[两三各]级")
_LEVEL_OFFICE = re.compile(r"[省市区县镇乡村](?:\([^()]*\))?(?:(?:人民)?政府)?")  # 县（市）人民政府, 县


def _listed(cell: str) -> list[str]:
    """``cell`` split at the list marks outside brackets; a bracket never closed (区发改委（牵头、区财政局) holds no
    list, and the cell is split at every mark."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in cell:
        depth += (char in _OPENING) - (char in _CLOSING and depth > 0)
        if char in _LIST_MARKS and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth > 0:
        return _LIST_MARK.split(cell)
    return [*parts, "".join(current)]

# Place and level prefixes that do not change which department a unit is.
_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}(?:省|市|区|县)(?=[\u4e00-\u9fff]{2})")
_PARTY_PREFIX = re.compile(r"^委(?=[\u4e00-\u9fff]{2,}部$)")
_BRANCH_SUFFIX = re.compile(r"[\u4e00-\u9fff]{2}(?:分局|大队|支队)$")
_DEPARTMENT_SUFFIX = re.compile(r"(?:委员会|局|委|办公室|办)$")

# Short forms of the same department, written differently across levels and years.
DEPARTMENT_ALIASES: dict[str, str] = {
    "发展和改革": "发改", "发展改革": "发改", "发改": "发改",
    "住房和城乡建设": "住建", "住房城乡建设": "住建", "住建": "住建", "建设": "住建",
    "科技工信": "科技工信", "科工": "科技工信", "科工信": "科技工信", "科学技术和工业信息化": "科技工信",
    "工业和信息化": "科技工信", "工信": "科技工信", "科技": "科技工信",
    "卫生健康": "卫健", "卫健": "卫健", "卫生和计划生育": "卫健",
    "文化和旅游": "文旅", "文化旅游": "文旅", "文旅体育": "文旅", "文旅": "文旅", "文化体育旅游": "文旅",
    "城市管理": "城管", "城管": "城管", "城市管理综合执法": "城管", "城管执法": "城管",
    "生态环境": "生态环境", "环保": "生态环境", "环境保护": "生态环境",
    "资源规划": "资源规划", "自然资源和规划": "资源规划", "自然资源": "资源规划", "规划和自然资源": "资源规划",
    "人力资源和社会保障": "人社", "人社": "人社",
    "农业农村": "农业农村", "农业": "农业农村",
    "投资商务": "商务", "商务": "商务", "招商": "商务",
    "教育": "教育", "民政": "民政", "交通": "交通", "交通运输": "交通", "财政": "财政",
    "行政审批服务": "行政审批", "行政审批": "行政审批", "数据": "数据", "大数据": "数据",
    "水务": "水务", "水利": "水务", "医疗保障": "医保", "医保": "医保",
    "市场监督管理": "市场监管", "市场监管": "市场监管", "应急管理": "应急", "应急": "应急",
    "乡村振兴": "乡村振兴", "扶贫": "乡村振兴", "扶贫开发": "乡村振兴",
    "统计": "统计", "审计": "审计", "司法": "司法", "信访": "信访", "税务": "税务",
    "公安": "公安", "交警": "交警", "纪委监委": "纪检监察", "纪委": "纪检监察", "监委": "纪检监察",
    "宣传部": "宣传", "组织部": "组织", "统战部": "统战", "体育": "体育", "营商": "营商环境", "营商环境": "营商环境",
}


def split_units(cell: str | None) -> list[str]:
    """Split a responsible-unit cell into unit names.

    ``"区发改委 区财政局"`` → ``["区发改委", "区财政局"]``;
    ``"资源规划 灞桥分局"`` → ``["资源规划灞桥分局"]``; ``"区发改委（牵头）、区财政局"`` →
    ``["区发改委", "区财政局"]`` (a role is no part of a name); ``"区财政局 (区国资局)"`` →
    ``["区财政局(区国资局)"]``, as it is written without the space; ``"港华燃气、各街道"`` → two, for a
    list mark never breaks a name. Empty cells give ``[]``.
    """
    units: list[str] = []
    carried = ""  # a level listed alone before another level's office or both levels' (各区、县（市）人民政府)
    listed_names = _listed(cell or "")  # split before normalising, which drops spaces between Chinese
    for listed, following in zip(listed_names, [*listed_names[1:], ""]):
        level, office = normalize_text(listed), normalize_text(following)
        if _LEVEL_ONLY.fullmatch(level) and (_LEVEL_OFFICE.fullmatch(office) or _LEVELS_TOGETHER.match(office)):
            carried += level  # 各区、县（市）人民政府, 市、县两级政府: one office of each level
            continue
        if len(level) == 1 and _LEVEL_ONLY.fullmatch(level) and (own := _ONE_LEVELS_OFFICE.match(office)):
            units.append(level + office[own.end():])  # 市、区住建局: 市住建局 and 区住建局 (not 市、县两级政府)
            continue
        pieces = [piece for piece in (_ROLE_MARK.sub("", normalize_text(p)) for p in listed.split()) if piece]
        if carried and pieces:
            pieces[0], carried = carried + pieces[0], ""
        whole = len(units)  # where this listed name's units start
        pending = ""
        for piece in pieces:
            if piece.startswith("(") and units and not pending:  # 区财政局 (区国资局): one office's other name
                units[-1] += piece
                continue
            pending += piece
            if _SUFFIX_PATTERN.search(pending):
                units.append(pending)
                pending = ""
        if pending:
            if len(units) > whole and not _looks_like_unit_start(pending):
                units[-1] += pending
            else:
                units.append(pending)
    return list(dict.fromkeys(units))


def _looks_like_unit_start(piece: str) -> bool:
    """Whether a piece without a suffix opens a unit of its own (区…, 各…: 区发改局 各镇街 are two)."""
    return bool(re.match(r"^[区市县省各]|^[\u4e00-\u9fff]{2,}(?:新区|新城|开发区)", piece)) or len(piece) > 3


def department_key(unit: str) -> str:
    """A key for the department that is the same across levels and spellings.

    ``区住建局`` and ``市住建局`` → ``住建``; ``区科工局`` and ``区科技工信局`` → ``科技工信``;
    ``生态环境灞桥分局`` → ``生态环境``. Units outside the alias table keep their core name.
    """
    name = normalize_text(unit)
    if not name:
        return ""
    name = re.sub(r"\(.*?\)", "", name) or name
    candidates = []
    if name[0] in "区市县省" and len(name) > 2:
        candidates.append(name[1:])
    placeless = _PLACE_PREFIX.sub("", name)
    if placeless != name:
        candidates.append(placeless)
    candidates.append(name)
    cores = [_core(_PARTY_PREFIX.sub("", c)) for c in candidates]
    for core in cores:
        if core in DEPARTMENT_ALIASES:
            return DEPARTMENT_ALIASES[core]
    for core in cores:
        for length in range(len(core) - 1, 1, -1):
            head = core[:length]
            if head in DEPARTMENT_ALIASES and len(core) - length <= 2:
                return DEPARTMENT_ALIASES[head]
    # No known department: strip only an unambiguous level character, never a guessed place name.
    return cores[0] if name[0] in "区市县省" else cores[-1]


def _core(name: str) -> str:
    core = _BRANCH_SUFFIX.sub("", name) or name
    return _DEPARTMENT_SUFFIX.sub("", core) or core


def department_keys(units: list[str]) -> list[str]:
    keys: list[str] = []
    for unit in units:
        key = department_key(unit)
        if key and key not in keys:
            keys.append(key)
    return keys
