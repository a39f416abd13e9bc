"""Releases are only ever added: compared with the git history, no release file and no line of
``dataset/releases/SHA256SUMS`` that once existed was changed or removed.

SHA256SUMS catches a release edited on its own; this catches a release edited together with its
line (what the hash alone cannot). Each commit that touched ``dataset/releases/`` is compared with
the commits before it that touched it (its parents in the history of that folder, so that
branches releasing different versions merge cleanly), and the working tree with ``HEAD``. In a
shallow clone the oldest commit there is taken as it is, and everything after it is still
compared: a change made within the history that is there is found, and the working tree is
always checked. Outside a git checkout (an sdist) the test is skipped, saying why.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

RELEASES = "dataset/releases"
SUMS = "SHA256SUMS"


@dataclass(frozen=True, slots=True)
class Entry:
    """A file under ``dataset/releases/`` at one point of the history: its git blob id, and its
    lines when it is a SHA256SUMS."""

    blob: str
    lines: frozenset[str] = frozenset()


State = dict[str, Entry]


def _git(root: Path, *args: str, input: str | None = None) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, input=input
    ).stdout


def is_checkout(root: Path) -> bool:
    """Whether ``root`` is the top of a git checkout (not, say, an sdist unpacked in another)."""
    if shutil.which("git") is None:
        return False
    try:
        top = _git(root, "rev-parse", "--show-toplevel").strip()
    except subprocess.CalledProcessError:
        return False
    return Path(top).resolve() == root.resolve()


def _lines(text: str) -> frozenset[str]:
    return frozenset(text.splitlines())


def _state(root: Path, revision: str) -> State:
    """The files under dataset/releases/ at ``revision``."""
    state: State = {}
    for row in _git(root, "ls-tree", "-r", revision, "--", f"{RELEASES}/").splitlines():
        meta, path = row.split("\t", 1)
        blob = meta.split()[2]
        lines = _lines(_git(root, "cat-file", "blob", blob)) if path.endswith(f"/{SUMS}") else frozenset()
        state[path] = Entry(blob, lines)
    return state


def _working_tree(root: Path) -> State:
    """The files under dataset/releases/ in the working tree, tracked or not (dot files aside)."""
    folder = root / RELEASES
    paths = sorted(
        p.relative_to(root).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    if not paths:
        return {}
    blobs = _git(root, "hash-object", "--stdin-paths", input="\n".join(paths) + "\n").split()
    return {
        path: Entry(
            blob,
            _lines((root / path).read_text(encoding="utf-8")) if path.endswith(f"/{SUMS}") else frozenset(),
        )
        for path, blob in zip(paths, blobs, strict=True)
    }


def _compare(before: State, after: State, where: str) -> list[str]:
    """What ``after`` changed or removed of ``before``: only additions are allowed."""
    found = []
    for path, entry in sorted(before.items()):
        now = after.get(path)
        if now is None:
            found.append(f"{where}: {path} was removed")
        elif path.endswith(f"/{SUMS}"):
            found += [
                f"{where}: {path}: line changed or removed: {x!r}" for x in sorted(entry.lines - now.lines)
            ]
        elif now.blob != entry.blob:
            found.append(f"{where}: {path} was changed")
    return found


def history_problems(root: Path) -> list[str]:
    """Every change (not an addition) to dataset/releases/ in the history of ``root``'s HEAD
    that is there, and in its working tree."""
    found: list[str] = []
    states: dict[str, State] = {}

    def state(revision: str) -> State:
        if revision not in states:
            states[revision] = _state(root, revision)
        return states[revision]

    # Each commit that touched the folder, with its parents in the folder's history (rewritten
    # by git to the nearest commits that touched it; none for the oldest, or a shallow clone's).
    for row in _git(root, "rev-list", "--parents", "HEAD", "--", RELEASES).splitlines():
        commit, *parents = row.split()
        for parent in parents:
            found += _compare(state(parent), state(commit), f"commit {commit[:12]}")
    found += _compare(state("HEAD"), _working_tree(root), "the working tree")
    return found


def test_releases_were_only_ever_added() -> None:
    """In this repository's history (as far as the clone has it) and its working tree, no
    release file nor SHA256SUMS line was changed or removed."""
    if not is_checkout(ROOT):
        pytest.skip("not a git checkout (an sdist, say): the history of dataset/releases/ cannot be compared")
    assert history_problems(ROOT) == []


# -- the comparison itself, on a repository made for the purpose ---------------------------------


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository that released 1.0.0, then recorded its line, then released 1.1.0."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    folder = repo / RELEASES
    folder.mkdir(parents=True)
    _git(repo, "init", "-q")
    (folder / "1.0.0.json").write_text("{}\n")
    _commit(repo, "1.0.0")
    (folder / SUMS).write_text(f"{'a' * 64}  1.0.0.json\n")
    _commit(repo, "sums")
    (folder / "1.1.0.json").write_text("{ }\n")
    (folder / SUMS).write_text(f"{'a' * 64}  1.0.0.json\n{'b' * 64}  1.1.0.json\n")
    _commit(repo, "1.1.0")
    return repo


def test_additions_only_are_no_problem(repo: Path) -> None:
    """Releases and lines added, commit after commit: nothing to report."""
    assert is_checkout(repo)
    assert history_problems(repo) == []


def test_a_release_changed_with_its_line_is_found_in_the_history(repo: Path) -> None:
    """A commit that edits a release and its line together (what SHA256SUMS alone cannot catch)."""
    folder = repo / RELEASES
    (folder / "1.0.0.json").write_text('{"edited": true}\n')
    (folder / SUMS).write_text(f"{'c' * 64}  1.0.0.json\n{'b' * 64}  1.1.0.json\n")
    _commit(repo, "tamper")
    commit = _git(repo, "rev-parse", "HEAD").strip()[:12]
    assert history_problems(repo) == [
        f"commit {commit}: {RELEASES}/1.0.0.json was changed",
        f"commit {commit}: {RELEASES}/{SUMS}: line changed or removed: '{'a' * 64}  1.0.0.json'",
    ]


def test_a_release_changed_or_removed_in_the_working_tree_is_found(repo: Path) -> None:
    """Uncommitted: an edited release, a removed one."""
    folder = repo / RELEASES
    (folder / "1.0.0.json").write_text("[]\n")
    (folder / "1.1.0.json").unlink()
    (folder / "1.2.0.json").write_text("{}\n")  # an addition: fine
    assert history_problems(repo) == [
        f"the working tree: {RELEASES}/1.0.0.json was changed",
        f"the working tree: {RELEASES}/1.1.0.json was removed",
    ]


def test_a_shallow_clone_still_compares_what_it_has(repo: Path, tmp_path: Path) -> None:
    """A clone of depth 2 has no first commit: the history it has and its working tree are still
    compared (a change there is found), without failing on the missing history."""
    folder = repo / RELEASES
    (folder / "1.1.0.json").write_text('{"edited": true}\n')
    _commit(repo, "tamper")
    commit = _git(repo, "rev-parse", "HEAD").strip()[:12]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True)
    assert _git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    assert history_problems(clone) == [f"commit {commit}: {RELEASES}/1.1.0.json was changed"]
    (clone / RELEASES / SUMS).write_text(f"{'b' * 64}  1.1.0.json\n")
    assert history_problems(clone) == [
        f"commit {commit}: {RELEASES}/1.1.0.json was changed",
        f"the working tree: {RELEASES}/{SUMS}: line changed or removed: '{'a' * 64}  1.0.0.json'",
    ]


def test_outside_a_checkout_there_is_no_history(repo: Path, tmp_path: Path) -> None:
    """An sdist unpacked anywhere (even inside another repository) is not taken for a checkout."""
    unpacked = repo / "dispatchdata-1.0.0"
    unpacked.mkdir()
    assert (is_checkout(unpacked), is_checkout(tmp_path)) == (False, False)
