"""The package's modules import each other without a cycle (counting imports made inside
functions too: hiding one there does not break it), and each stage of the pipeline imports only
the stages before it: read/, check/, release/, export/, cli/."""

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


#: The pipeline's stages, in order: a stage imports only the stages before it (reading comes
#: before checking, checking before releasing, and so on), and nothing but ``__main__`` imports
#: the command line.
STAGES = ("read", "check", "release", "export", "cli")


def _stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def upward(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """The imports of ``graph`` from a stage to a later one (or to the command line)."""
    found = set()
    for module, imported in graph.items():
        here = _stage(module)
        for other in imported:
            there = _stage(other)
            if there is None or module == "dispatchdata.__main__":
                continue
            if (here is None and there == STAGES.index("cli")) or (here is not None and there > here):
                found.add((module, other))
    return found


def test_each_stage_imports_only_the_stages_before_it() -> None:
    """read/ imports no check/, release/, export/ or cli/; check/ no release/ …; and the modules
    beside the stages (the model, errors, the public API) never import the command line."""
    assert upward(_graph()) == set()


def test_an_import_up_the_stages_is_found() -> None:
    """What the test above relies on: a reader importing a check, and a library module
    importing the command line, are found."""
    graph = {
        "dispatchdata.read.yaml": {"dispatchdata.check.schema"},
        "dispatchdata.model": {"dispatchdata.cli"},
    }
    assert upward(graph) == {
        ("dispatchdata.read.yaml", "dispatchdata.check.schema"),
        ("dispatchdata.model", "dispatchdata.cli"),
    }


def test_the_cycle_finder_finds_a_cycle() -> None:
    """What the first test relies on: a cycle hidden two modules deep is found."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
