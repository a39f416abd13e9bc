"""The package's modules import each other without a cycle (counting imports made inside
functions too: hiding one there does not break it), and the readers (``read/``) never import the
checks (``check/``): reading comes before checking."""

from __future__ import annotations

import ast
from pathlib import Path

import dispatchdata

PACKAGE = Path(dispatchdata.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The package's modules ``path`` imports, anywhere in it but under ``if TYPE_CHECKING:``."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for statement in block.body
        for node in ast.walk(statement)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only or not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        target = f"{base}.{node.module}" if node.module else base
        for alias in node.names:  # "from . import x" and "from .x import y": a module, or a name in one
            candidate = f"{target}.{alias.name}"
            found.add(candidate if _exists(candidate) else target)
    return {m for m in found if _exists(m)}


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    return {_module(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (its modules in order), or None."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for other in sorted(graph.get(node, ())):
            if other.startswith(f"{node}."):  # a package importing its own modules
                continue
            if state.get(other) == 1:
                return [*path[path.index(other) :], other]
            if other not in state and (found := visit(other)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_module_imports_itself_through_others() -> None:
    """No import cycle among the package's modules, imports inside functions included."""
    assert _cycle(_graph()) is None


def test_the_readers_import_no_checks() -> None:
    """``dispatchdata.read`` is below ``dispatchdata.check``: nothing there imports it."""
    graph = _graph()
    upward = {
        (module, other)
        for module, imported in graph.items()
        if module.startswith("dispatchdata.read")
        for other in imported
        if other.startswith("dispatchdata.check")
    }
    assert upward == set()


def test_the_cycle_finder_finds_a_cycle() -> None:
    """What the first test relies on: a cycle hidden two modules deep is found."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
