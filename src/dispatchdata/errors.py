"""Problems as values, and the few exceptions the library raises.

Parsers and rules *yield* :class:`Problem` values; nothing in the core prints or exits. Only
``load(strict=True)`` and operational failures (a path that does not exist) raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from .display import printable

if TYPE_CHECKING:
    from collections.abc import Iterable


class Severity(str, Enum):
    """How bad a problem is: errors make a dataset invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with the data, with a stable code and a place a user can click.

    ``file`` is relative to the dataset folder and uses ``/``; ``line`` and ``column`` are 1-based
    (0 when unknown); ``pointer`` is an RFC 6901 JSON pointer into the file's data.
    """

    code: str
    severity: Severity
    message: str
    file: str = ""
    line: int = 0
    column: int = 0
    pointer: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order problems by place, then code: the order a reader walks a file in."""
        return (self.file, self.line, self.column, self.code, self.message)

    def as_dict(self) -> dict[str, object]:
        """The problem as a plain JSON-ready mapping (the documented JSON shape)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
        }


class DispatchDataError(Exception):
    """Base class of every exception dispatchdata raises on purpose."""


class DataNotFoundError(DispatchDataError):
    """A dataset path, file or packaged resource does not exist or cannot be read."""


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating a dataset: every problem found, and what was looked at."""

    problems: tuple[Problem, ...]
    files: int = 0
    records: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that make the dataset invalid."""
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems worth a look that do not make the dataset invalid."""
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


class InvalidDatasetError(DispatchDataError):
    """The dataset is invalid; ``report`` carries every problem found."""

    def __init__(self, report: Report) -> None:
        self.report = report
        shown = "\n".join(_format(p) for p in report.errors[:10])
        more = len(report.errors) - 10
        tail = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"invalid dataset: {len(report.errors)} error(s)\n{shown}{tail}")


def _format(problem: Problem) -> str:
    # The exception's text ends up on a terminal too: escaped like every renderer's output.
    place = problem.file or "<dataset>"
    if problem.line:  # a file-level problem (unreadable, a link refused) has no line
        place += f":{problem.line}:{problem.column}"
    return printable(f"{place}: {problem.code} {problem.message}")


def sorted_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems in a stable reading order, exact duplicates removed."""
    return tuple(sorted(set(problems), key=Problem.sort_key))
