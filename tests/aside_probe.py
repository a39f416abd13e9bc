"""Run by tests/test_identity.py in a fresh interpreter (``python -m tests.aside_probe CASE
FOLDER OUT``), a process of one thread as the CLI's is: a table export's identity decided in a
forked child (:meth:`~dispatchdata.identity.IdentifiedBundle.decide_aside`), reported as JSON."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from dispatchdata import identity as aside
from dispatchdata.export import csv_tables, export
from dispatchdata.identity import Identity, identified, identify, releases_of
from dispatchdata.release.release import open_bundle


def _as_list(identity: Identity) -> list[Any]:
    return [identity.version, identity.released, identity.sha256]


def _recording(children: list[int], then: Any = None) -> None:
    """Have every child started recorded (and ``then`` run in the parent once it is)."""
    start = aside._Aside.start

    def recorded(bundle: Any) -> Any:
        child = start(bundle)
        assert child is not None
        children.append(child.pid)
        if then is not None:
            then()
        return child

    aside._Aside.start = recorded  # type: ignore[method-assign]


def _refused(*_: Any) -> Any:
    raise AssertionError("the identity was decided in the parent")


def child(folder: Path, out: Path) -> dict[str, Any]:
    """csv export; identify refused in the parent once the child is started."""
    bundle = identified(open_bundle(folder, compact=True), releases_of(folder))
    children: list[int] = []
    _recording(children, lambda: setattr(aside, "identify", _refused))
    export(bundle, "csv", out)
    return {"children": len(children), "identity": _as_list(bundle.identity)}


def failing_child(folder: Path, out: Path) -> dict[str, Any]:
    """A child whose identify fails; then an export whose writer fails."""
    parent, decide = os.getpid(), identify

    def fails_in_a_child(*args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return decide(*args)

    aside.identify = fails_in_a_child  # type: ignore[assignment]
    bundle = identified(open_bundle(folder, compact=True), releases_of(folder))
    bundle.decide_aside()
    assert bundle._aside is not None
    identity = _as_list(bundle.identity)

    def broken(*_: Any) -> None:
        raise OSError("disk full")

    children: list[int] = []
    _recording(children)
    csv_tables.write = broken  # type: ignore[assignment]
    try:
        export(identified(open_bundle(folder, compact=True), releases_of(folder)), "csv", out)
        raised = "nothing"
    except OSError as error:
        raised = f"OSError: {error}"
    try:
        os.kill(children[0], 0)
        gone = False
    except ProcessLookupError:
        gone = True  # ended and waited for
    left = sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))
    return {
        "identity": identity,
        "raised": raised,
        "children": len(children),
        "child_gone": gone,
        "left": left,
    }


def not_alone(folder: Path, out: Path) -> dict[str, Any]:
    """Whether a fork may happen with another thread, with SIGCHLD ignored or handled; then a
    csv export with SIGCHLD ignored."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    with_a_thread = aside._may_fork()
    stop.set()
    other.join()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    ignored = aside._may_fork()
    signal.signal(signal.SIGCHLD, lambda *_: None)
    handled = aside._may_fork()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    export(identified(open_bundle(folder, compact=True), releases_of(folder)), "csv", out)
    label = json.loads((out / ".dispatchdata-export").read_text(encoding="utf-8"))["version"]
    return {
        "with_a_thread": with_a_thread,
        "sigchld_ignored": ignored,
        "sigchld_handled": handled,
        "label": label,
    }


CASES = {"child": child, "failing-child": failing_child, "not-alone": not_alone}

if __name__ == "__main__":
    case, folder, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    forks = aside._may_fork()
    report = CASES[case](folder, out) if forks or case == "not-alone" else {}
    print(json.dumps({"forks": forks, **report}))
