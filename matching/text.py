"""Words and named entities of plan text, for TF-IDF, fuzzy matching and evidence.

jieba cuts Chinese text into words; its user dictionary (``data/dictionary.txt``) keeps
programme, project and place names whole, and every quoted term in the corpus
(``“保交楼”``, ``《…》``) is added on top, so a new document brings its own names. The synonym
list (``data/synonyms.txt``) names one deliverable's different names (街角游园, 口袋公园), read as one
term wherever the matcher compares text.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np
import polars as pl

from align.exceptions import PlanAlignError
from align.normalize import normalize_text
from align.readers import decode_text
from align.settings import BUNDLED_DATA, DICTIONARY_FILE, SYNONYMS_FILE
from align.targets import MEASURE_UNITS

jieba.setLogLevel(logging.WARNING)

# jieba ships an IDF table estimated on a large general corpus (used by jieba.analyse).
GENERAL_IDF_FILE = Path(jieba.__file__).parent / "analyse" / "idf.txt"
_QUOTED = re.compile(r"[“\"《「『]([^”\"》」』]{2,16})[”\"》」』]")
_PROJECT = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:项目|工程|基地|产业园|园区|中心|公园|水库|大道|医院|博物馆|遗址|小镇|新城|商圈))")
_LEADING_VERB = re.compile(
    r"^(?:加快|推进|推动|启动|完成|配合|实施|建设|建成|新建|改扩建|扩建|开工|打造|做好|确保|力争|全力|积极|持续|"
    r"加大|开展|筹划|依托|围绕|支持|保障|服务|提升|完善|推广|组织|举办|创建|落实|发挥|加强|发展|引进|争创)+"
)
_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9+]")
_NUMBER_TOKEN = re.compile(r"^[\d.%+]+$")

# Words every plan uses; they say nothing about which task is which.
STOPWORDS = frozenset(
    """的 和 与 及 等 在 对 为 以 把 将 从 到 由 了 着 是 并 或 其 中 上 下 年 月 日 各 全 新 大 好 更
    加快 推进 推动 加强 持续 全面 深入 深化 积极 进一步 确保 力争 争取 不断 扎实 切实 大力 着力 全力
    稳步 有序 努力 坚持 坚决 统筹 完善 提升 提高 实施 开展 做好 抓好 落实 强化 健全 建立 优化 发挥 围绕
    实现 形成 打造 推广 促进 支持 保障 服务 工作 建设 发展 管理 体系 机制 能力 水平 质量 作用 方面 领域
    于 处 所 家 条 座 套 人 名 次 批 场 户 台 辆
    项 个 全年 年内 今年 我区 我市 全区 全市 新区 以上 左右 不少 不少于 达到 完成 新增 新建 重点 相关 有效""".split()
)


# A number with its magnitude and measure word (1.2万个, 800万人次, 24小时): 万个 and 万人次 left
# behind were rare words two unrelated tasks shared. A measure word that opens the next word stays
# (1200床位, 10万人口, 10家庭医生团队: 床位, 人口, 家庭医生).
_QUANTITY = re.compile(r"\d[\d.,]*\s*(?:[万亿千百]\s*)?(?:(?:" + "|".join(re.escape(u) for u in MEASURE_UNITS)
                       + r")(?![\u4e00-\u9fff]))?")
_NOT_TOPICAL = re.compile(
    _QUANTITY.pattern + r"|[\d.%+~\-]+|不少于|不低于|不超过|以上|以下|以内|左右|力争|确保|全年|年内|累计|达到|"
    r"[,，。;；:：、!！?？()（）“”‘’\"'《》【】\s]"
)


def topical_text(text: str) -> str:
    """Text for char n-grams: numbers, qualifiers and punctuation removed.

    ``不少于15处`` and ``不少于1000场`` share n-grams that say nothing about the task;
    removing them lets two tasks match on what they are about. Expects normalised text
    (item tables hold it), so it is one regex pass, cheap on large corpora.
    """
    return _NOT_TOPICAL.sub(" ", text)


_CLAUSE_BREAK = re.compile(r"[,，;；。:：!！?？]")


def clauses(text: str) -> list[str]:
    """The clauses of a task text, each one commitment of an omnibus sentence.

    A district task often strings several commitments together (``…商圈提升，加快美盛
    国际建设``) and each may serve a different item elsewhere; comparing clause with
    clause finds the one shared commitment that a whole-text cosine dilutes. Clauses
    with fewer than two topical characters are dropped; a text without any keeps itself.
    """
    kept = [c.strip() for c in _CLAUSE_BREAK.split(text or "") if len(topical_text(c).replace(" ", "")) >= 2]
    return kept or [text or ""]


def corpus_terms(texts: Iterable[str]) -> set[str]:
    """Quoted terms of a corpus (``“保交楼”``), which are its own named programmes."""
    return set().union(*(_quoted_terms(text) for text in texts))


@lru_cache(maxsize=65_536)
def _quoted_terms(text: str) -> frozenset[str]:
    """Memoised like ``_tokenize``: each pair a document is matched in reads its texts again."""
    stripped = (term.strip() for term in _QUOTED.findall(normalize_text(text)))
    return frozenset(term for term in stripped if 2 <= len(term) <= 16 and not term.isdigit())


def dictionary_path(data_dir: Path = BUNDLED_DATA) -> Path:
    """The data folder's word list, else the bundled one."""
    return _list_path(data_dir, DICTIONARY_FILE, "word list", "词表", "one name a line")


def synonyms_path(data_dir: Path = BUNDLED_DATA) -> Path:
    """The data folder's synonym list, else the bundled one."""
    return _list_path(data_dir, SYNONYMS_FILE, "synonym list", "同义词表", "one group of synonyms a line")


def _list_path(data_dir: Path, name: str, what: str, what_zh: str, layout: str) -> Path:
    """A list the data folder may hold of its own, else the bundled one. A folder of its name is an error (it was an
    IsADirectoryError traceback when the list was read, or its digest taken for the app's cache key)."""
    path = Path(data_dir) / name
    if path.is_dir():
        raise PlanAlignError(
            f"{path}: a folder, not a file. The {what} is a text file, {layout}; move the folder away "
            f"(the bundled {what} is then used).",
            zh=f"{what_zh} {path} 是一个文件夹，不是文件；请移走它（之后使用内置{what_zh}）",
        )
    return path if path.exists() else BUNDLED_DATA / name


# A comment: a line opening with #, or # after a space (口袋公园 街角游园 # 城管 gave 城管 as a synonym).
_COMMENT = re.compile(r"(?:^|\s)[#＃].*$")  # ＃: a Chinese input method's full-width mark


def _listed_lines(path: Path, what: str, what_zh: str) -> list[tuple[int, str]]:
    """The numbered lines of a planner's list that say something: UTF-8 or GBK, with or without a BOM (however
    Notepad saved it), no blank or ``#`` comment lines; an unreadable or binary file is one clear error."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # a file the planner may not read
        raise PlanAlignError(f"{path}: cannot read the {what} ({exc.strerror or exc}).",
                             zh=f"无法读取{what_zh} {path.name}，请检查它是否可读") from exc
    if not data.removeprefix(codecs.BOM_UTF8).strip():  # an emptied list: none of the planner's own, not an error
        return []
    lines = (line.strip() for line in decode_text(data, path=path).splitlines())
    lines = (_COMMENT.sub("", line).strip() for line in lines)
    return [(number, line) for number, line in enumerate(lines, start=1) if line]


#: The longest name the word list keeps. A programme, project or place name is short (the bundled list's
#: longest, 十五分钟便民服务圈, has 9 characters; a quoted term of a document is kept up to 16); a longer
#: line is a paragraph pasted in, and jieba's add_word costs the square of a word's length (40,000
#: characters took 2 GB, 300,000 exhausted memory). 40 leaves more than twice the longest name room.
MAX_WORD_CHARS = 40
# Names a planner lists on one line: 引汉济渭、白鹿原 is two names, not one word jieba never meets.
_WORD_SEPARATORS = re.compile(r"[\s、，,；;]+")
# What jieba's own format writes after a word (引汉济渭 10 nz): a frequency, a part-of-speech tag.
_JIEBA_FIELD = re.compile(r"\d+|[a-z]+")


def load_dictionary(data_dir: Path = BUNDLED_DATA) -> tuple[str, ...]:
    """The names of the data folder's word list (:func:`read_dictionary` says what it skipped)."""
    return read_dictionary(data_dir)[0]


def dictionary_warnings(data_dir: Path = BUNDLED_DATA) -> list[str]:
    """What the word list holds that is not used, in Chinese and English, for the planner who wrote it."""
    return read_dictionary(data_dir)[1]


def read_dictionary(data_dir: Path = BUNDLED_DATA) -> tuple[tuple[str, ...], list[str]]:
    """The word list's names, and a warning naming the lines whose names are longer than
    :data:`MAX_WORD_CHARS` (skipped: jieba would exhaust memory on them)."""
    path = dictionary_path(data_dir)
    words: list[str] = []
    too_long: list[tuple[int, int]] = []  # (line, characters)
    for number, line in _listed_lines(path, "word list", "词表"):
        first, *rest = line.split()
        fields = [first, *(field for field in rest if not _JIEBA_FIELD.fullmatch(field))]
        for name in (name for field in fields for name in _WORD_SEPARATORS.split(field) if name):
            if len(name) > MAX_WORD_CHARS:
                too_long.append((number, len(name)))
            else:
                words.append(name)
    return tuple(dict.fromkeys(words)), _long_word_warnings(path, too_long)


def _long_word_warnings(path: Path, too_long: list[tuple[int, int]]) -> list[str]:
    if not too_long:
        return []
    shown = too_long[:10]
    lines = "、".join(str(number) for number, _ in shown) + ("等" if len(too_long) > len(shown) else "")
    said = ", ".join(f"{number} ({length:,} characters)" for number, length in shown)
    more = f" and {len(too_long) - len(shown)} more" if len(too_long) > len(shown) else ""
    one = len(too_long) == 1
    return [f"{path}, line {too_long[0][0]}: 词表第 {lines} 行的词超过 {MAX_WORD_CHARS} 个字，未采用（项目名、地名不会这么长）"
            f" the word list's {'line' if one else 'lines'} {said}{more} {'holds a name' if one else 'hold names'} "
            f"longer than {MAX_WORD_CHARS} characters, skipped: a project or place name is shorter (a paragraph "
            "pasted in?); write one name a line."]


#: A term longer than this in the synonym list is a sentence pasted in, not a name for a thing.
MAX_SYNONYM_CHARS = 16


class Synonyms:
    """Terms the matcher reads as one: each written form and the term it is read as (its group's first).

    Built once per list: the alternation of every written form, longest first (so 停车位 is not read as
    停 + 车位), is compiled here, and the hash taken once, for the caches keyed by it.
    """

    __slots__ = ("pairs", "_pattern", "_read_as", "_hash")

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.pairs: tuple[tuple[str, str], ...] = tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))
        self._read_as = dict(self.pairs)
        self._pattern = re.compile("|".join(re.escape(term) for term, _ in self.pairs)) if self.pairs else None
        self._hash = hash(self.pairs)

    def read(self, text: str) -> str:
        """``text`` with each synonym written as its group's first term (街角游园8个 → 口袋公园8个)."""
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda found: self._read_as[found.group(0)], text)

    def between(self, source_text: str, target_text: str) -> list[tuple[str, str]]:
        """``(街角游园, 口袋公园)``: each term of the source that the target writes as a different synonym
        (for the reasons, and the highlight, which shared spans alone leave blank)."""
        if self._pattern is None:
            return []
        target_terms: dict[str, str] = {}
        for found in self._pattern.findall(target_text):
            target_terms.setdefault(self._read_as[found], found)
        pairs = []
        for found in dict.fromkeys(self._pattern.findall(source_text)):
            other = target_terms.get(self._read_as[found])
            if other is not None and other != found and other not in source_text and found not in target_text:
                pairs.append((found, other))
        return pairs

    def digest(self) -> str:
        """What a cached match depends on: a changed list rematches."""
        return hashlib.sha256("\n".join(f"{a}\t{b}" for a, b in self.pairs).encode()).hexdigest()[:12]

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Synonyms) and self.pairs == other.pairs

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple:  # pickles as its pairs (a fitted index ships to a distributed engine's workers)
        return (Synonyms, (self.pairs,))

    def __repr__(self) -> str:
        return f"Synonyms({len(self.pairs)} terms)"


NO_SYNONYMS = Synonyms()


def load_synonyms(data_dir: Path = BUNDLED_DATA) -> Synonyms:
    """The data folder's synonyms (:func:`read_synonyms` says what it skipped)."""
    return read_synonyms(data_dir)[0]


def synonym_warnings(data_dir: Path = BUNDLED_DATA) -> list[str]:
    """What the synonym list holds that is not used, in Chinese and English."""
    return read_synonyms(data_dir)[1]


def read_synonyms(data_dir: Path = BUNDLED_DATA) -> tuple[Synonyms, list[str]]:
    """The synonym list: one group a line, its first term the one the others are read as
    (``口袋公园 街角游园 小微游园``: a district's 街角游园 meets the city's 口袋公园).

    Two plans name one deliverable in words that share no character (长者餐厅 and 老年食堂, 积水点 and
    易涝点), and n-grams cannot see it; reading both as one term can. A line naming a term of an earlier
    group joins that group; a term of another earlier group keeps its own (said in a warning). A term
    of one character (园 would rewrite every 园; a stray zero-width space normalises to nothing and
    matched everywhere) or of more than :data:`MAX_SYNONYM_CHARS` (a sentence pasted in), and a line
    left with one term, are skipped with a warning. Text after `` #`` is a comment.
    """
    path = synonyms_path(data_dir)
    read_as: dict[str, str] = {}
    skipped: list[str] = []
    for number, line in _listed_lines(path, "synonym list", "同义词表"):
        terms = [normalize_text(term) for term in _WORD_SEPARATORS.split(line) if term]
        if unusable := [term for term in terms if not 2 <= len(term) <= MAX_SYNONYM_CHARS]:
            shown = "、".join(f"“{term[:20]}{'…' if len(term) > 20 else ''}”" for term in unusable)
            skipped.append(f"line {number}: {shown} skipped, a term is 2 to {MAX_SYNONYM_CHARS} characters "
                           f"(第 {number} 行的词过短或过长，未采用)")
            terms = [term for term in terms if term not in unusable]
        if len(set(terms)) < 2:
            if terms:
                skipped.append(f"line {number}: {terms[0]} alone, no synonym to read as it (第 {number} 行只有一个词)")
            continue
        known = [read_as[term] for term in terms if term in read_as]
        canonical = known[0] if known else terms[0]  # 街角游园 街心公园 after 口袋公园 街角游园 joins 口袋公园's group
        for term in terms:
            if read_as.setdefault(term, canonical) != canonical:
                skipped.append(f"line {number}: {term} is already read as {read_as[term]}, and stays so "
                               f"(第 {number} 行的 {term} 已在前面的同义词组中)")
    warnings = [f"{path}: the synonym list's {'; '.join(skipped[:10])}"
                + (f"; and {len(skipped) - 10} more" if len(skipped) > 10 else "")] if skipped else []
    return Synonyms(read_as.items()), warnings


def char_text(text: str, synonyms: Synonyms = NO_SYNONYMS) -> str:
    """The text char n-grams are taken from: synonyms read as one term, then :func:`topical_text`.
    A module function (with :func:`functools.partial`), so a fitted index pickles."""
    return topical_text(synonyms.read(text))


@lru_cache(maxsize=1)
def general_dictionary() -> jieba.Tokenizer:
    """jieba's own dictionary, loaded once per process (about 0.55 s); never given extra words.

    It is jieba's default tokenizer, which the target parser's part-of-speech tagging
    (``align.targets``) uses too, so a process that parses and matches loads it once.
    """
    jieba.dt.initialize()
    return jieba.dt


@lru_cache(maxsize=8)
def tokenizer(words: frozenset[str]) -> jieba.Tokenizer:
    """A private jieba tokenizer with ``words`` added (cached per word set).

    It starts from a copy of :func:`general_dictionary` (about 12 ms) instead of loading the
    dictionary again, so a new document pair does not wait half a second. ``add_word`` writes
    only the word table and the total, which the copy owns.
    """
    general = general_dictionary()
    cutter = copy.copy(general)
    cutter.FREQ, cutter.user_word_tag_tab = dict(general.FREQ), dict(general.user_word_tag_tab)
    for word in sorted(words):
        cutter.add_word(word, freq=200_000)
    return cutter


def tokenize(text: str, words: frozenset[str] = frozenset(), synonyms: Synonyms = NO_SYNONYMS) -> list[str]:
    """Content words of ``text``: no punctuation, no stopwords, no bare numbers; synonyms read as one term."""
    return list(_tokenize(synonyms.read(text), words))


@lru_cache(maxsize=262_144)
def _tokenize(text: str, words: frozenset[str]) -> tuple[str, ...]:
    """Memoised: the same item text is cut once however often a pair is rematched."""
    cutter = tokenizer(words)
    tokens = []
    for token in cutter.lcut(_QUANTITY.sub(" ", normalize_text(text)), HMM=False):
        token = token.strip()
        if not token or token in STOPWORDS or not _TOKEN_OK.search(token) or _NUMBER_TOKEN.match(token):
            continue
        tokens.append(token)
    return tuple(tokens)


def entities(text: str, words: frozenset[str]) -> set[str]:
    """Named programmes, projects and places in ``text`` (a new set each call)."""
    return set(_entities(text, words))


@lru_cache(maxsize=65_536)
def _entities(text: str, words: frozenset[str]) -> frozenset[str]:
    """Named programmes, projects and places in ``text``.

    Quoted terms, dictionary words that occur in the text, and project-shaped names
    (``…项目``, ``…工程``, ``…水库``).
    """
    text = normalize_text(text)
    found = {t for t in _QUOTED.findall(text) if 2 <= len(t) <= 16}
    found.update(w for w in words if len(w) >= 2 and w in text)
    for name in _PROJECT.findall(text):
        name = _LEADING_VERB.sub("", name)
        if len(name) >= 4:
            found.add(name)
    return frozenset(found)


@lru_cache(maxsize=1)
def _general_idf_table() -> tuple[dict[str, float], float]:
    """jieba's general-corpus IDF per word, and the median for words it has not seen.

    A dict, read once per process: looking up a pair's few thousand words is then well
    under a millisecond, where a join against the 270k-row table took 15 ms per pair.
    """
    try:
        table = pl.read_csv(
            GENERAL_IDF_FILE, separator=" ", has_header=False, new_columns=["word", "idf"], quote_char=None,
            schema_overrides={"word": pl.String, "idf": pl.Float64},
        ).unique("word", keep="first")
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise PlanAlignError(
            f"jieba's word-frequency table {GENERAL_IDF_FILE} is missing or damaged ({exc}); "
            "reinstall it with 'python -m pip install --force-reinstall jieba'.",
            zh="jieba 的词频表缺失或已损坏，请重新安装 jieba",
        ) from exc
    median = table["idf"].median()
    if not isinstance(median, float):  # no rows, or no number in the idf column
        raise PlanAlignError(
            f"jieba's word-frequency table {GENERAL_IDF_FILE} has no word weights; reinstall jieba.",
            zh="jieba 的词频表里没有词的权重，请重新安装 jieba",
        )
    return dict(zip(table["word"].to_list(), table["idf"].fill_null(median).to_list())), median


def general_idf(words: Iterable[str]) -> np.ndarray:
    """Word weights from Chinese at large rather than from the two documents being matched.

    Two plans of a hundred items each estimate IDF badly: a word in three items looks
    rare, and the boilerplate of one government looks specific. A word the general table
    lacks (a project or place name, a new coinage) gets its median: rare but not special.
    """
    table, unseen = _general_idf_table()
    return np.array([table.get(word, unseen) for word in words], dtype=np.float64)
