"""Counters the robustness tests fill in, printed at the end of the run (no ``-s`` needed).

Tests take the session fixture ``robustness_report`` and call ``count("group: what", n)``;
the summary prints one line per group, e.g.
``robustness: store crash: 10 SIGKILL cycles survived, 812 decisions acknowledged, 0 lost``.
"""

from __future__ import annotations

import pytest


class RobustnessReport:
    """Named counters, kept in insertion order and grouped by the text before the first colon."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.figures: dict[str, str] = {}

    def count(self, label: str, n: int = 1) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def figure(self, label: str, value: str) -> None:
        """A measured result, printed as it is (``"size limits: 50 MB text"``, ``"refused, peak 0.1 MB"``)."""
        self.figures[label] = value

    def lines(self) -> list[str]:
        groups: dict[str, list[str]] = {}
        for label, n in self.counts.items():
            group, _, what = label.partition(":")
            groups.setdefault(group.strip(), []).append(f"{n} {what.strip()}" if what else str(n))
        lines = [f"robustness: {group}: {', '.join(parts)}" for group, parts in groups.items()]
        return lines + [f"robustness: {label}: {value}" for label, value in self.figures.items()]


REPORT = RobustnessReport()


@pytest.fixture(scope="session")
def robustness_report() -> RobustnessReport:
    return REPORT


def pytest_terminal_summary(terminalreporter) -> None:
    for line in REPORT.lines():
        terminalreporter.write_line(line)
