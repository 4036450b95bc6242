"""The one settings object of plan-align, validated once when it is built.

Paths, matching knobs and store location live here so that the CLI, the app and the
tests pass one value around instead of reading globals or environment variables deep
inside the core.
"""

from __future__ import annotations

import difflib
import logging
import math
import os
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from align.exceptions import Problem, SettingsError

logger = logging.getLogger(__name__)

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = PACKAGE_ROOT / "data"
#: A data folder's files besides its registry and documents: the word list jieba keeps whole and the
#: synonyms the matcher reads as one term (``matching.text``), and the link model its planners adopted (``matching.scoring``); named here
#: so that what reads a path (the CLI's ``--out`` check) need not load the matcher.
DICTIONARY_FILE = "dictionary.txt"
SYNONYMS_FILE = "synonyms.txt"
ADOPTED_WEIGHTS_FILE = "weights.json"
#: The link model plan-align ships, refit by ``plan-align fit-weights`` on the bundled gold.
SHIPPED_WEIGHTS = PACKAGE_ROOT / "matching" / "weights.json"

Direction = Literal["source_to_target", "target_to_source"]
DIRECTIONS: tuple[str, ...] = ("source_to_target", "target_to_source")
# Files larger than this are refused before reading (the max_file_mb setting's default).
DEFAULT_MAX_FILE_MB = 20.0


def _known_timezone(name: object) -> bool:
    """Whether both clocks plan-align shows times with know ``name``: polars (its own time-zone
    table, for tables) and zoneinfo (for export metadata); polars alone took +08:00, which the
    export then failed on."""
    if not isinstance(name, str) or not name:
        return False
    try:
        pl.Series([datetime(2024, 1, 1)]).dt.replace_time_zone(name)
        ZoneInfo(name)
    except (pl.exceptions.PolarsError, ValueError, TypeError, ZoneInfoNotFoundError):
        return False
    return True


def _whole(value: object) -> bool:
    """An int that is not a bool (True is an int to Python, and read as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def finite_number(value: object) -> bool:
    """A finite number that is not a bool (True is 1 to Python): a setting's, or a weight of the link model."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _from_text(name: str, text: str) -> Any:
    """An environment variable's text as the setting's type; the settings object validates the value."""
    declared = next(f.type for f in fields(Settings) if f.name == name)  # a string: annotations are postponed
    kind = {"int": int, "float": float}.get(str(declared), str)
    try:
        return kind(text.strip())
    except ValueError:
        raise SettingsError(
            f"{ENVIRONMENT[name]}={text!r} is not a{'n int' if kind is int else ' number'}.",
            zh=f"环境变量 {ENVIRONMENT[name]}={text!r} 应为{'整数' if kind is int else '数字'}",
        ) from None


# Bounds past which a setting is a typo, not a choice: a block of 10 million rows is already more than a
# machine holds in one sparse product, and a million MB is a terabyte (both overflowed further on).
MAX_BLOCK_SIZE = 10_000_000
MAX_FILE_MB_LIMIT = 1_000_000


@dataclass(frozen=True)
class Settings:
    """All knobs of plan-align.

    Parameters
    ----------
    data_dir : folder holding ``registry.toml`` and the document files.
    cache_dir : where parsed item tables are kept as Parquet; defaults to ``data_dir/.cache``.
    db_path : the SQLite decision store; defaults to ``data_dir/decisions.sqlite``.
    top_k : candidates kept per source item.
    one_to_one_threshold : minimum score for the optional one-to-one assignment. (Which candidates
        are ``linked`` is the link model's own threshold, chosen by cross-validation and stored
        with its weights; ``plan-align match --threshold`` overrides it for one run.)
    block_size : source rows per block in candidate search (bounds memory).
    max_file_mb : files larger than this are refused before reading.
    timezone : the clock review times are shown and exported in (stored in UTC).
    """

    data_dir: Path = BUNDLED_DATA
    # Given as None, both are resolved in __post_init__ (so they are always a Path after).
    cache_dir: Path = None  # type: ignore[assignment]
    db_path: Path = None  # type: ignore[assignment]
    top_k: int = 10
    one_to_one_threshold: float = 0.3
    direction: Direction = "source_to_target"
    block_size: int = 2048
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    reviewer: str = "planner"
    timezone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        for name in ("data_dir", "cache_dir", "db_path"):
            value = getattr(self, name)
            if not (isinstance(value, str | os.PathLike) or value is None and name != "data_dir"):
                raise SettingsError(f"The '{name}' setting must be a folder or file path. Got {value!r} instead.",
                                    zh=f"设置 {name} 应为路径，现为 {value!r}")
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        if self.cache_dir is None:
            object.__setattr__(self, "cache_dir", self.data_dir / ".cache")
        else:
            object.__setattr__(self, "cache_dir", Path(self.cache_dir))
        if self.db_path is None:
            object.__setattr__(self, "db_path", self.data_dir / "decisions.sqlite")
        else:
            object.__setattr__(self, "db_path", Path(self.db_path))
        if not _whole(self.top_k) or not 1 <= self.top_k <= 1000:
            problems.append((
                f"The 'top_k' setting must be an int in [1, 1000]. Got {self.top_k!r} instead.",
                f"每条的候选数 top_k 应为 1 到 1000 的整数，现为 {self.top_k!r}",
            ))
        value = self.one_to_one_threshold
        if not finite_number(value) or not 0.0 <= float(value) <= 1.0:
            problems.append((
                f"The 'one_to_one_threshold' setting must be a float in [0, 1]. Got {value!r} instead.",
                f"一对一阈值 one_to_one_threshold 应在 0 到 1 之间，现为 {value!r}",
            ))
        if self.direction not in DIRECTIONS:
            problems.append((
                f"The 'direction' setting must be one of {', '.join(DIRECTIONS)}. Got {self.direction!r} instead.",
                f"方向 direction 只能是 {'、'.join(DIRECTIONS)}，现为 {self.direction!r}",
            ))
        if not _whole(self.block_size) or not 1 <= self.block_size <= MAX_BLOCK_SIZE:
            problems.append((
                f"The 'block_size' setting must be an int in [1, {MAX_BLOCK_SIZE:,}]. Got {self.block_size!r} instead.",
                f"分块大小 block_size 应为 1 到 {MAX_BLOCK_SIZE:,} 的整数，现为 {self.block_size!r}",
            ))
        if not finite_number(self.max_file_mb) or not 0 < self.max_file_mb <= MAX_FILE_MB_LIMIT:
            problems.append((
                f"The 'max_file_mb' setting must be a number above 0 and at most {MAX_FILE_MB_LIMIT:,}. "
                f"Got {self.max_file_mb!r} instead.",
                f"文件大小上限 max_file_mb 应大于 0 且不超过 {MAX_FILE_MB_LIMIT:,}，现为 {self.max_file_mb!r}",
            ))
        if not str(self.reviewer).strip():
            problems.append(("The 'reviewer' setting must be a non-empty name.", "审核人 reviewer 不能为空"))
        if not _known_timezone(self.timezone):
            problems.append((
                f"The 'timezone' setting must be an IANA name such as Asia/Shanghai. Got {self.timezone!r} instead.",
                f"时区 timezone 应为 Asia/Shanghai 这样的名称，现为 {self.timezone!r}",
            ))
        if problems:
            raise SettingsError.from_problems(problems)

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Build settings from the environment plus explicit overrides: ``PLAN_ALIGN_DATA`` and
        ``PLAN_ALIGN_DB`` for the data folder and the store, ``PLAN_ALIGN_<SETTING>`` for any other
        (``PLAN_ALIGN_MAX_FILE_MB=60``, ``PLAN_ALIGN_TIMEZONE=Asia/Urumqi``), so the app and the CLI
        read them alike.

        Explicit overrides win; ``None`` overrides are ignored so CLI flags left unset fall through.
        """
        _say_unknown_variables()
        values: dict[str, Any] = {name: _from_text(name, os.environ[variable]) for name, variable in ENVIRONMENT.items()
                                  if name not in ("data_dir", "db_path") and os.environ.get(variable, "").strip()}
        if os.environ.get("PLAN_ALIGN_DATA"):
            values["data_dir"] = Path(os.environ["PLAN_ALIGN_DATA"])
        if os.environ.get("PLAN_ALIGN_DB"):
            store = os.environ["PLAN_ALIGN_DB"]
            if store.endswith(("/", os.sep)):  # Path() would drop the slash and make a file of the folder's name
                raise SettingsError(
                    f"PLAN_ALIGN_DB={store} names a folder; give the store's file, such as {store}decisions.sqlite.",
                    zh=f"PLAN_ALIGN_DB={store} 是一个文件夹，请写出记录库文件，例如 {store}decisions.sqlite",
                )
            values["db_path"] = Path(store)
        from_environment = {name: ENVIRONMENT[name] for name in values if name not in overrides or overrides[name] is None}
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.from_dict(values)
        except SettingsError as exc:  # a bad value the planner set in the environment: say where it came from
            named = [f"{variable}={os.environ[variable]}" for name, variable in from_environment.items()
                     if f"'{name}'" in str(exc) or name in (exc.zh or "")]
            if not named:
                raise
            raise SettingsError(f"{exc} (from the environment: {', '.join(named)})",
                                zh=f"{exc.zh}（来自环境变量 {'、'.join(named)}）") from exc

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingsError(
                f"Unknown setting(s): {', '.join(unknown)}. Known settings: {', '.join(sorted(known))}.",
                zh=f"没有这项设置：{'、'.join(unknown)}",
            )
        return cls(**values)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}

    @property
    def max_bytes(self) -> int:
        """``max_file_mb`` in bytes, as the readers take it."""
        return int(self.max_file_mb * 2**20)

    @property
    def match_key(self) -> tuple[Any, ...]:
        """The settings that change which candidates a match finds and their scores (for caching); the
        one-to-one threshold only decides among them, applied to a cached result."""
        return (self.top_k, self.direction)


#: The environment variable of each setting :meth:`Settings.from_env` reads.
ENVIRONMENT: dict[str, str] = {
    f.name: {"data_dir": "PLAN_ALIGN_DATA", "db_path": "PLAN_ALIGN_DB"}.get(f.name, f"PLAN_ALIGN_{f.name.upper()}")
    for f in fields(Settings)
}
#: Variables of the test suite (README, Tests), which no setting reads.
TEST_VARIABLES = ("PLAN_ALIGN_FUZZ_SCALE", "PLAN_ALIGN_SCREENSHOT")


def _say_unknown_variables() -> None:
    """A PLAN_ALIGN_ variable no setting reads is said, with the setting it most looks like: PLAN_ALIGN_TOPK=20
    was ignored without a word, and the planner took the 10 candidates shown for 20. A warning, not a refusal: it
    changes nothing that was asked for."""
    known = {*ENVIRONMENT.values(), *TEST_VARIABLES}
    # a setting's own name spelt as a variable (PLAN_ALIGN_DB_PATH) points to the variable it is read from
    spellings = {**{f"PLAN_ALIGN_{name.upper()}": variable for name, variable in ENVIRONMENT.items()},
                 **{variable: variable for variable in ENVIRONMENT.values()}}
    for variable in sorted(v for v in os.environ if v.startswith("PLAN_ALIGN_") and v not in known):
        like = difflib.get_close_matches(variable, sorted(spellings), n=1, cutoff=0.6)
        logger.warning(f"the environment variable {variable} is no setting of plan-align and is ignored"
                       + (f"; did you mean {spellings[like[0]]}?" if like
                          else f" (the settings are {', '.join(sorted(ENVIRONMENT.values()))})."))
