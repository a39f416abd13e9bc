"""The house rules of the package's source: small modules, short functions, imports at the top
(the import graph itself is tests/test_layering.py's), and a first line that says what each
module holds.

These are the rules a newcomer relies on to find things (issue: one module per job); a module or
function that breaks one fails here, by name, rather than in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "dispatchdata"
SOURCES = sorted(PACKAGE.rglob("*.py"))
MODULE_LINES = 400
FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", SOURCES, ids=module_name)
def test_a_module_is_small_and_says_what_it_holds(path: Path) -> None:
    """No module over 400 lines; each opens with a docstring whose first line is a sentence."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MODULE_LINES, f"{module_name(path)} has {lines} lines"
    docstring = ast.get_docstring(tree(path))
    assert docstring, f"{module_name(path)} has no docstring"
    assert docstring.splitlines()[0].strip(), f"{module_name(path)}'s docstring starts empty"


def long_functions(path: Path) -> list[str]:
    """Functions over 60 lines whose docstring has no line starting 'Long:' (the reason)."""
    found = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            reason = any(
                line.strip().startswith("Long:") for line in (ast.get_docstring(node) or "").splitlines()
            )
            if length > FUNCTION_LINES and not reason:
                found.append(f"{module_name(path)}.{node.name} ({length} lines)")
    return found


def test_no_function_is_long_without_saying_why() -> None:
    """A function over 60 lines says why in a docstring line starting 'Long:'."""
    assert [f for path in SOURCES for f in long_functions(path)] == []


def _says_deferred(lines: list[str], number: int) -> bool:
    """Whether the import on line ``number`` (1-based) carries a comment holding 'deferred' on
    its line or on one of the few lines above it (the comment over a block of imports)."""
    nearby = lines[max(0, number - 7) : number]
    return any("#" in line and "deferred" in line.lower().split("#", 1)[1] for line in nearby)


def inner_imports(path: Path) -> list[str]:
    """Imports made inside a function, but for those whose comment says what they defer (a heavy
    dependency, loaded only when used): '# deferred: <what>' on the line or just above it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(tree(path)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom) and not _says_deferred(lines, inner.lineno):
                found.append(f"{module_name(path)}:{inner.lineno}")
    return sorted(set(found))


def test_imports_are_at_the_top_unless_deferring_a_heavy_dependency() -> None:
    """No import inside a function except one that defers a heavy optional dependency, marked."""
    assert [i for path in SOURCES for i in inner_imports(path)] == []
