"""Checking the files of a dataset folder in worker processes, when a folder holds enough work.

Files are independent until their facts are joined, and the join stays in the main process, in
reading order. What workers buy: parsing and checking the files is most of the work (YAML's
parsing above all), and with them it is spread over every processor; what they cost: each
file's facts sent back, and the workers' start. The documents are read first (which source text
each anchor is checked against depends on every document), by workers when the folder holds
enough work; then the other files, by workers that start with the texts. With a cache, what it
holds is read in the main process and only the other files are work.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..processes import signalled_when_parent_ends
from ..read.folder import located_later
from ..read.jsontext import Canonical
from .file import Checked, DocumentsFile, FolderFiles, Timings, new_timings, rule_records
from .rules.anchors import Texts

if TYPE_CHECKING:  # imported when workers start (see _pool): a run that starts none does not pay
    from concurrent.futures import Executor

#: Below this much work, starting workers costs more than it saves (measured on 2 cores: see
#: benchmarks/README.md). Work is counted in bytes of YAML: a byte of JSON counts JSON_WEIGHT of
#: one, as checking it costs that much of a YAML byte's parsing and checking, while what a worker
#: sends back (a file's facts, and for an export or a diff each record's canonical text) costs
#: the same for both.
PARALLEL_MIN_YAML = 4 * 1024 * 1024
JSON_WEIGHT = 0.25

#: The most files a worker is given at once: fewer, and each costs a round trip; more, and at the
#: end one worker may still have a batch in hand while the others idle (see benchmarks/README.md).
CHUNK = 16


class _Worker(NamedTuple):
    """What a worker checks files with: the folder's files, and the texts (and their digest)
    the files other than documents are checked against (None while the documents are read)."""

    files: FolderFiles
    texts: Texts | None
    digest: str


class _Done(NamedTuple):
    """What a worker sends back for one file: what :func:`_in_worker` gave, the seconds it took
    per phase, and the records it kept (when records are kept)."""

    result: Any
    timings: Timings
    kept: list[Canonical]


class _DocumentRead(NamedTuple):
    """A documents file's first step as a worker sends it: the DocumentsFile without its parsed file
    (whose positions are not sent), and the file's data when it was parsed (not from the cache)."""

    document: DocumentsFile
    parsed: bool
    data: Any


_WORKER: _Worker | None = None
_KEPT: list[Canonical] = []  # in a worker that keeps records: those of the file in hand


def _keep_in_worker(_collection: str, records: Canonical) -> None:
    _KEPT.append(records)


def _start_worker(root: Path, cache: str | Path | None, texts: Texts | None, digest: str, keep: bool) -> None:
    global _WORKER
    # Ctrl-C reaches every process of the terminal's group: the main process says so, once, and
    # ends the run (its workers with it); a worker's own KeyboardInterrupt would print a traceback.
    # The worker started with SIGINT held (see _sigint_held): ignored first, then let through.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_parent()
    gc.disable()  # the data holds no cycles (see parse_common.gc_paused)
    files = FolderFiles(root, cache, new_timings(), _keep_in_worker if keep else None)
    _WORKER = _Worker(files, texts, digest)


def _die_with_parent() -> None:
    """Make this worker end when the process that started it does: a killed run otherwise leaves
    its workers blocked for ever on the pool's pipe (each holding its memory), since every worker
    holds a copy of the pipe's other end and so never sees it close. Linux tells the worker (a
    SIGTERM when its parent ends); everywhere, a thread waits on multiprocessing's parent
    sentinel, a pipe only the parent holds open, and ends the worker when it closes, which also
    covers a parent that died before the signal was asked for. (Linux sends the signal when the
    thread that started the worker ends: the pool starts its workers from the thread that submits
    work, which waits for their results.)"""
    # Deferred: multiprocessing is heavy, and loaded here only in a worker (where it already is).
    import multiprocessing

    signalled_when_parent_ends(int(signal.SIGTERM))
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:  # pragma: no cover - not started by multiprocessing
        return
    threading.Thread(
        target=_exit_with, args=(parent.sentinel,), name="dispatchdata-parent-watch", daemon=True
    ).start()


def _exit_with(sentinel: int) -> None:
    """End this worker once ``sentinel`` (the parent's) closes."""
    # Deferred: imported only in a worker, where multiprocessing already is.
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(1)


def _in_worker(task: tuple[str, Path]) -> _Done:
    """One file in a worker: a documents file's first step, or any other file checked; with the
    time it took and the records it kept."""
    assert _WORKER is not None
    files, texts, digest = _WORKER
    before = dict(files.timings)
    collection, path = task
    result: Any
    if collection == "documents":
        document = files.document(path)
        parsed = document.file is not None
        # Its records as the rules see them (see rule_records): what the checks against the texts use.
        result = _DocumentRead(
            document, parsed, rule_records(document.file) if document.file is not None else None
        )
        document.file = None
    else:
        assert texts is not None
        result = files.other(collection, path, texts, digest)
    kept = _KEPT[:]
    _KEPT.clear()
    return _Done(result, {k: v - before[k] for k, v in files.timings.items()}, kept)


@contextlib.contextmanager
def _pool(files: FolderFiles, workers: int, texts: Texts | None, digest: str) -> Iterator[Executor]:
    """A pool of ``workers`` processes checking ``files``' files against ``texts`` (None: for
    the documents' first step, which needs none), shut down when done. On Ctrl-C, an error, or
    results no longer wanted, its workers are stopped, not waited for: a worker busy with a large
    file, or one an interrupt left waiting on the pool's lock, would keep the run from ending."""
    # Deferred: concurrent.futures imports logging, threading and multiprocessing, which a run
    # that starts no worker does not need.
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        workers,
        initializer=_start_worker,
        initargs=(files.root, files.cache_folder, texts, digest, files.keep is not None),
    )
    try:
        yield pool
    except BaseException:
        processes = list((pool._processes or {}).values())  # the pool names no public way to them
        # (typeshed calls it a _ThreadWakeup: it is the pool's threading.Thread, or None)
        manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        # The pool's thread closes its wake-up pipe as it ends; were it still ending at exit,
        # concurrent.futures' exit hook could write to the pipe as it closes (CPython's race): a
        # traceback after "interrupted". Its workers are stopped, so it ends at once.
        if manager is not None:
            manager.join(timeout=5)
        raise
    pool.shutdown(wait=True)


def _submit(pool: Executor, tasks: list[tuple[str, Path]], workers: int) -> Iterator[_Done]:
    """Every task queued in ``pool`` now (``map`` submits them all at once); their results, in order."""
    with _sigint_held():  # the workers start here
        return pool.map(_in_worker, tasks, chunksize=max(1, min(CHUNK, len(tasks) // (8 * workers))))


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT held back in this thread while it starts workers, which inherit the mask and ignore
    SIGINT before letting it through (:func:`_start_worker`): a Ctrl-C while one starts is the
    main process's alone, delivered to it when released, never a worker's traceback."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _results(files: FolderFiles, tasks: list[tuple[str, Path]], results: Iterator[_Done]) -> Iterator[Any]:
    """What :func:`_in_worker` gave for each task, in order; its timings added to ``files``' and
    the records it kept handed to ``files.keep``, in reading order."""
    for (collection, _), done in zip(tasks, results, strict=True):
        for phase, seconds in done.timings.items():
            files.timings[phase] += seconds
        if files.keep is not None:
            for batch in done.kept:
                files.keep(collection, batch)
        yield done.result


def _documents(results: Iterable[_DocumentRead]) -> list[DocumentsFile]:
    """The documents files' first step as workers give it: each file's data (when it was
    parsed) held again, its positions read again only if a message needs one."""
    documents = []
    for document, parsed, data in results:
        if parsed:
            document.file = located_later(document.path, document.rel, "documents", data)
        documents.append(document)
    return documents


def read_documents(
    files: FolderFiles, paths: list[Path], jobs: int | None, others: list[tuple[str, Path]]
) -> list[DocumentsFile]:
    """The documents files' first step (:meth:`FolderFiles.document`), in order: in this process,
    or in worker processes when the folder holds enough work (``others``: its other files, which
    count unless a cache may hold them), as for the other files (see :func:`check_others`). A
    worker sends back each file's data, not its positions: those are read again only if a check
    against the texts has something to say."""
    tasks = [("documents", p) for p in paths]
    # Workers for the documents too when the folder pays for them: else one processor idles
    # while this one reads every document.
    workers = _worker_count(tasks + (others if files.cache is None else []), jobs)
    if workers <= 1:
        return [files.document(p) for p in paths]
    with _pool(files, workers, None, "") as pool:
        return _documents(_results(files, tasks, _submit(pool, tasks, workers)))


def default_jobs() -> int:
    """The processors this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_others(
    files: FolderFiles, tasks: list[tuple[str, Path]], texts: Texts, digest: str, jobs: int | None
) -> Iterator[Checked]:
    """Check the files of ``tasks`` ((collection, path), none of them documents), in order: in
    this process, or in ``jobs`` worker processes when that pays (``None``: as many as there are
    processors, for enough work). With a cache, what it holds is read here; only the other files
    are work (what the cache buys: a file whose bytes are unchanged is neither parsed nor checked
    again)."""
    if files.cache is None:
        yield from _check_all(files, tasks, texts, digest, jobs)
        return
    keys = [files.key_of(path, digest) for _, path in tasks]
    known = [key is not None and files.cache.has(key) for key in keys]
    checked = _check_all(files, [t for t, k in zip(tasks, known, strict=True) if not k], texts, digest, jobs)
    for (collection, path), key, hit in zip(tasks, keys, known, strict=True):
        result = (
            files.cached(collection, path.relative_to(files.root).as_posix(), key) if hit else next(checked)
        )
        # An entry that was there but could not be read is ignored (and rewritten).
        yield result if result is not None else files.other(collection, path, texts, digest)


def _check_all(
    files: FolderFiles, tasks: list[tuple[str, Path]], texts: Texts, digest: str, jobs: int | None
) -> Iterator[Checked]:
    workers = _worker_count(tasks, jobs)
    if workers <= 1:
        for collection, path in tasks:
            yield files.other(collection, path, texts, digest)
        return
    with _pool(files, workers, texts, digest) as pool:
        yield from _results(files, tasks, _submit(pool, tasks, workers))


def _worker_count(tasks: Iterable[tuple[str, Path]], jobs: int | None) -> int:
    """How many processes check ``tasks``: ``jobs`` if given, else one per processor when they
    hold enough work (see PARALLEL_MIN_YAML and JSON_WEIGHT)."""
    if jobs is not None:
        return jobs
    available = default_jobs()
    if available <= 1:
        return 1
    work = 0.0
    for _, path in tasks:
        try:
            size = path.stat().st_size
        except OSError:
            continue
        work += size * JSON_WEIGHT if path.suffix == ".json" else size
        if work >= PARALLEL_MIN_YAML:
            return available
    return 1
