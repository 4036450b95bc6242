"""Errors that plan-align raises on purpose.

Every error a user can cause (a bad file, an unknown id, a wrong setting) is one of
these, so the CLI and the app can show a one-line message instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Self

# A problem said in English and in Chinese, for an error that reports several at once.
Problem = tuple[str, str]
# How many problems one error lists; the rest are counted (40,000 bad rows once made a 4 MB message).
PROBLEMS_LISTED = 10


class PlanAlignError(Exception):
    """Base class: a problem the user can fix, with a message that says how.

    The message is English (the CLI, logs, tests); ``zh`` optionally says the same
    problem in Chinese, and :meth:`for_planner` puts the two together for the app,
    whose readers are Chinese planners.
    """

    # What went wrong, in a few Chinese words: the first thing the app shows.
    TITLE_ZH = "无法完成"

    def __init__(self, message: str = "", *, zh: str | None = None):
        super().__init__(message)
        self.zh = zh

    @classmethod
    def from_problems(cls, problems: Sequence[Problem], *, lead: Problem = ("", ""), sep: str = " ") -> Self:
        """One error for all ``problems`` (each in English and Chinese), so a planner fixes them in one go;
        past the first :data:`PROBLEMS_LISTED` they are counted, not listed."""
        listed, more = problems[:PROBLEMS_LISTED], len(problems) - PROBLEMS_LISTED
        english, chinese = [en for en, _ in listed], [zh for _, zh in listed]
        if more > 0:
            english.append(f"… and {more} more ({len(problems)} problems in all).")
            chinese.append(f"……另有 {more} 处（共 {len(problems)} 处）")
        return cls(lead[0] + sep.join(english), zh=lead[1] + "；".join(chinese))

    def for_planner(self, file_name: str | None = None) -> str:
        """The Chinese kind of problem and its Chinese reason, then the English message."""
        reason = f"：{self.zh}" if self.zh else ""
        return f"{self.TITLE_ZH}{self._where_zh(file_name)}{reason}。 {self._english(file_name)}"

    def _where_zh(self, file_name: str | None) -> str:
        return ""

    def _english(self, file_name: str | None) -> str:
        return str(self)


class DocumentParseError(PlanAlignError, ValueError):
    """A document could not be read or parsed; carries the file and the line."""

    TITLE_ZH = "文件无法解析"

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None, zh: str | None = None
    ):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(f"{where}{message}", zh=zh)

    def _where_zh(self, file_name: str | None) -> str:
        """（计划.docx 第 12 行）: the upload's own name, not the temporary path it was read from."""
        where = " ".join(filter(None, [file_name or self.path, f"第 {self.line} 行" if self.line is not None else None]))
        return f"（{where}）" if where else ""

    def _english(self, file_name: str | None) -> str:
        return self.naming(file_name) if file_name else str(self)

    def naming(self, name: str) -> str:
        """The message with the file called ``name``: an upload's own name, not the temporary path it was read from."""
        return str(DocumentParseError(self.message, path=name, line=self.line))


class UnknownDocumentError(PlanAlignError, KeyError):
    """A document id that the registry does not hold."""

    TITLE_ZH = "没有这个文档"

    def __init__(self, doc_id: str, known: list[str]):
        self.doc_id = doc_id
        shown = ", ".join(known) if known else "none"
        super().__init__(
            f"Unknown document id '{doc_id}'. Registered ids: {shown}. "
            "Run 'plan-align docs' to list them or 'plan-align add' to register one.",
            zh=f"编号“{doc_id}”未登记",
        )

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


class UnknownItemError(PlanAlignError, LookupError):
    """An item id whose document is registered but holds no such item."""

    TITLE_ZH = "没有这个条目"


class JurisdictionMismatchError(PlanAlignError, ValueError):
    """Two documents of different jurisdictions were given to a year-to-year comparison."""

    TITLE_ZH = "辖区不同"


class RegistryError(PlanAlignError, ValueError):
    """The registry file is malformed or an entry is invalid."""

    TITLE_ZH = "文档登记有误"


class SettingsError(PlanAlignError, ValueError):
    """A setting has a value outside its allowed range or choices."""

    TITLE_ZH = "设置有误"


class StoreError(PlanAlignError, RuntimeError):
    """The decision store could not be opened or written."""

    TITLE_ZH = "审核记录库出错"


class OutputError(PlanAlignError, OSError):
    """A file could not be written (a folder that does not exist or is read-only, a full disk)."""

    TITLE_ZH = "无法写入文件"


class ExportError(PlanAlignError, ValueError):
    """An export was asked for with a bad path, format or empty selection."""

    TITLE_ZH = "无法导出"
