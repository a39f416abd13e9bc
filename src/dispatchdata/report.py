"""Renderers of a validation :class:`~dispatchdata.errors.Report`: text, JSON and GitHub.

Each renderer returns ``(stdout, stderr)``; the CLI only writes them out. Every renderer writes
file names and messages through :func:`~dispatchdata.display.printable` (the JSON renderer through
:func:`~dispatchdata.display.json_printable`): a name or value holding a line break, an ANSI
escape or a bidi override is shown escaped, never acted on.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable

from .display import json_printable, printable, printable_line
from .errors import Problem, Report, Severity

Renderer = Callable[[Report, str, bool], tuple[str, str]]


def _display_path(root: str, problem: Problem) -> str:
    """The problem's file as a user would open it: the dataset folder as given, then the file."""
    root = root.replace("\\", "/")
    shown = posixpath.join(root, problem.file) if problem.file else root.rstrip("/") + "/"
    return printable(shown)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    """``N error(s), M warning(s) in F file(s), R record(s)``."""
    return (
        f"{_n(len(report.errors), 'error')}, {_n(len(report.warnings), 'warning')} "
        f"in {_n(report.files, 'file')}, {_n(report.records, 'record')}"
    )


def verdict_line(report: Report) -> str:
    """``valid: `` or ``invalid: ``, then :func:`summary_line`: the last line of every text report."""
    return ("valid: " if report.valid else "invalid: ") + summary_line(report)


def render_text(report: Report, root: str, quiet: bool) -> tuple[str, str]:
    """Compiler-style lines, ``FILE:LINE:COL: CODE message``, then a summary line."""
    lines = []
    for p in report.problems:
        if quiet and p.severity is Severity.WARNING:
            continue
        place = _display_path(root, p)
        if p.line:
            place += f":{p.line}:{p.column}"
        tag = "" if p.severity is Severity.ERROR else " (warning)"
        lines.append(printable_line(f"{place}: {p.code}{tag} {printable(p.message)}"))
    if not quiet:
        lines.append(verdict_line(report))
    return "".join(line + "\n" for line in lines), ""


def report_as_dict(report: Report) -> dict[str, object]:
    """The documented, stable JSON shape of a report."""
    return {
        "valid": report.valid,
        "problems": [p.as_dict() for p in report.problems],
        "summary": {
            "files": report.files,
            "records": report.records,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
        },
    }


def render_json(report: Report, root: str, quiet: bool) -> tuple[str, str]:
    """One JSON object (see :func:`report_as_dict`), keys sorted, UTF-8 kept readable."""
    encoded = json.dumps(report_as_dict(report), indent=2, sort_keys=True, ensure_ascii=False)
    return json_printable(encoded) + "\n", ""


def _escape_data(value: str) -> str:
    """The workflow-command escaping of a message (GitHub's ``escapeData``), after the control
    characters are escaped (so no raw line break is left for it to encode)."""
    value = printable(value)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """The workflow-command escaping of a property value (GitHub's ``escapeProperty``)."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, root: str, quiet: bool) -> tuple[str, str]:
    """GitHub Actions workflow commands (``::error file=…,line=…,col=…,title=…::…``)."""
    lines = []
    for p in report.problems:
        if quiet and p.severity is Severity.WARNING:
            continue
        level = "error" if p.severity is Severity.ERROR else "warning"
        props = [f"file={_escape_property(_display_path(root, p))}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column}"]
        props.append(f"title={_escape_property(p.code)}")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(p.message)}\n")
    return "".join(lines), ("" if quiet else verdict_line(report) + "\n")


REPORTERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
