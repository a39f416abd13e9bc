"""Checking the files of a dataset folder in worker processes, when a folder holds enough work.

Files are independent until their facts are joined, and the join stays in the main process, in
reading order. The documents come first, since which source text each anchor is checked against
depends on every document. With workers, one pool reads the documents and goes straight on to
the other files, parsing them while the main process finds the texts; the texts reach the
workers when they are known (:func:`check_folder`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .filecheck import Checked, Document, FolderFiles, Timings, check_parsed, new_timings, rule_records
from .jsontext import Canonical
from .layout import located_later
from .rules.anchors import Texts

if TYPE_CHECKING:  # concurrent.futures imports logging and threading: 7 ms a run that starts no worker
    from concurrent.futures import Executor

#: Below this much YAML, starting workers costs more than it saves (measured on 2 cores, see
#: benchmarks/README.md: 3.8 MB took 0.46 s alone, 0.38 s with two workers). JSON does not count:
#: reading it costs about what sending a file's results back from a worker does (100k statements:
#: 1.8 s in one process, 2.3 s with two workers; 1M: 19.5 s and 25.9 s).
PARALLEL_MIN_YAML = 4 * 1024 * 1024

#: Given the documents files' first step, in order: the texts the other files are checked against,
#: and their digest.
TextsFor = Callable[[list[Document]], tuple[Texts, str]]


class _Handoff:
    """The texts, from the main process to the workers of a pool started before they were known:
    written once to a private temporary file, then announced by an event. (Through a pipe, the
    main process would wait until every worker had read its copy, and a worker that gets no
    more files never does.) Announced empty when there will be none: the workers waiting stop."""

    def __init__(self, ready: Any) -> None:
        import tempfile

        self.ready = ready  # a multiprocessing Event of the pool's start method
        descriptor, self.path = tempfile.mkstemp(prefix="dispatchdata-texts-", suffix=".pickle")
        os.close(descriptor)

    def give(self, texts: Texts, digest: str) -> bool:
        """Hand the workers ``texts`` and their digest; False if they could not be written."""
        import pickle

        try:
            with open(self.path, "wb") as out:
                pickle.dump((texts, digest), out, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            return False
        self.ready.set()
        return True

    def stop(self) -> None:
        """Tell the workers there will be no texts: those waiting for them stop."""
        with contextlib.suppress(OSError), open(self.path, "wb"):
            pass  # emptied, in case a failed write left a part
        self.ready.set()

    def take(self) -> tuple[Texts, str]:
        """In a worker: the texts and their digest, once the main process has handed them over."""
        import pickle

        self.ready.wait()
        with open(self.path, "rb") as given:
            data = given.read()
        if not data:
            raise RuntimeError("validation stopped before the source texts were known")
        texts, digest = pickle.loads(data)
        return texts, digest

    def close(self) -> None:
        """Remove the file (in the main process, once the pool has stopped)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


_WORKER: tuple[FolderFiles, Texts | None, str, _Handoff | None] | None = None
_KEPT: list[Canonical] = []  # in a worker that keeps records: those of the file in hand


def _start_worker(
    root: Path,
    cache: str | Path | None,
    texts: Texts | None,
    digest: str,
    keep: bool,
    handoff: _Handoff | None,
) -> None:
    global _WORKER
    # Ctrl-C reaches every process of the terminal's group: the main process says so, once, and
    # ends the run (its workers with it); a worker's own KeyboardInterrupt would print a traceback.
    # The worker started with SIGINT held (see _sigint_held): ignored first, then let through.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_parent()
    gc.disable()  # the data holds no cycles (see parse_common.gc_paused)
    kept = (lambda _collection, records: _KEPT.append(records)) if keep else None
    _WORKER = (FolderFiles(root, cache, new_timings(), kept), texts, digest, handoff)


def _die_with_parent() -> None:
    """Make this worker end when the process that started it does: a killed run otherwise leaves
    its workers blocked for ever on the pool's pipe (each holding its memory), since every worker
    holds a copy of the pipe's other end and so never sees it close. Linux tells the worker (a
    SIGTERM when its parent ends); everywhere, a thread waits on multiprocessing's parent
    sentinel, a pipe only the parent holds open, and ends the worker when it closes, which also
    covers a parent that died before the signal was asked for. (Linux sends the signal when the
    thread that started the worker ends: the pool starts its workers from the thread that submits
    work, which waits for their results.)"""
    import multiprocessing
    import sys
    import threading

    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:  # pragma: no cover - not started by multiprocessing
        return
    sentinel = parent.sentinel

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="dispatchdata-parent-watch", daemon=True).start()


def _in_worker(task: tuple[str, Path]) -> tuple[Any, Timings, list[Canonical]]:
    """One file in a worker: a documents file's first step (the Document without its parsed
    file, whose positions are not sent, and the file's records in a tuple, None when it came from
    the cache), or any other file checked; with the time it took and the records it kept."""
    global _WORKER
    assert _WORKER is not None
    files, texts, digest, handoff = _WORKER
    before = dict(files.timings)
    collection, path = task
    result: Any
    if collection == "documents":
        document = files.document(path)
        # Its records as the rules see them (see rule_records): all the checks against the texts use.
        result = (document, (rule_records(document.file),) if document.file is not None else None)
        document.file = None
    elif texts is None:  # the texts come once the documents are in: parse the file meanwhile
        assert handoff is not None
        assert files.cache is None
        file = files.parse_file(collection, path, path.relative_to(files.root).as_posix())
        texts, digest = handoff.take()
        _WORKER = (files, texts, digest, None)
        result = check_parsed(file, files.timings, texts=texts)  # as files.other does without a cache
    else:
        result = files.other(collection, path, texts, digest)
    kept = _KEPT[:]
    _KEPT.clear()
    return result, {k: v - before[k] for k, v in files.timings.items()}, kept


def _pool(
    files: FolderFiles,
    workers: int,
    texts: Texts | None,
    digest: str,
    handoff: _Handoff | None = None,
    context: Any = None,
) -> Any:
    """A pool of ``workers`` processes (started by ``context``, a multiprocessing context)
    checking ``files``' files against ``texts`` (or, when that is None, against the texts
    ``handoff`` brings them later)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(files.root, files.cache_folder, texts, digest, files.keep is not None, handoff),
    )


def _submit(pool: Executor, tasks: list[tuple[str, Path]], workers: int) -> Iterator[Any]:
    """Every task queued in ``pool`` now (``map`` submits them all at once); their results, in order."""
    with _sigint_held():  # the workers start here
        return pool.map(_in_worker, tasks, chunksize=max(1, min(64, len(tasks) // (8 * workers))))


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


def _results(files: FolderFiles, tasks: list[tuple[str, Path]], results: Iterator[Any]) -> Iterator[Any]:
    """What :func:`_in_worker` gave for each task, in order; its timings added to ``files``' and
    the records it kept handed to ``files.keep``, in reading order."""
    for (collection, _), (result, timings, kept) in zip(tasks, results, strict=True):
        for phase, seconds in timings.items():
            files.timings[phase] += seconds
        if files.keep is not None:
            for batch in kept:
                files.keep(collection, batch)
        yield result


def _documents(results: Iterable[tuple[Document, tuple[Any] | None]]) -> list[Document]:
    """The documents files' first step as workers give it: each file's data (when it was
    parsed) held again, its positions read again only if a message needs one."""
    documents = []
    for document, data in results:
        if data is not None:
            document.file = located_later(document.path, document.rel, "documents", data[0])
        documents.append(document)
    return documents


def read_documents(files: FolderFiles, paths: list[Path], jobs: int | None) -> list[Document]:
    """The documents files' first step (:meth:`FolderFiles.document`), in order: in this process,
    or in worker processes when that pays, as for the other files (see :func:`check_others`).
    A worker sends back each file's data, not its positions: those are read again only if a
    check against the texts has something to say."""
    tasks = [("documents", p) for p in paths]
    workers = _worker_count(tasks, jobs)
    if workers <= 1:
        return [files.document(p) for p in paths]
    with _pool(files, workers, None, "") as pool:
        return _documents(_results(files, tasks, _submit(pool, tasks, workers)))


def check_folder(
    files: FolderFiles,
    documents: list[Path],
    others: list[tuple[str, Path]],
    jobs: int | None,
    texts_for: TextsFor,
) -> Iterator[Checked]:
    """Every file of a folder: the documents files' first step, in order, handed to
    ``texts_for``; then the other files (``others``: (collection, path)) checked against the
    texts it gives, in order. In this process, or in ``jobs`` worker processes when that pays
    (``None``: one per processor, for enough YAML).

    Without a cache, one pool of workers reads the documents and goes straight on to the other
    files: each worker parses its next file while the main process finds the texts, which then
    reach the workers through a :class:`_Handoff`. (Reading the documents first, in this process
    unless they alone hold enough YAML, left the other processor idle meanwhile, and a second
    pool had to start.) With a cache, where the texts' digest is part of the other files' keys,
    or when the texts cannot be handed over, the documents are read first."""
    tasks = [("documents", p) for p in documents]
    workers = _worker_count(tasks + others, jobs)
    handoff = None
    if workers > 1 and files.cache is None:
        import multiprocessing

        context = multiprocessing.get_context()
        with contextlib.suppress(OSError):  # no temporary file: the documents first, as with a cache
            handoff = _Handoff(context.Event())
    if handoff is None:
        texts, digest = texts_for(read_documents(files, documents, jobs))
        yield from check_others(files, others, texts, digest, jobs)
        return
    given = False
    try:
        with _pool(files, workers, None, "", handoff, context) as pool:
            try:
                first = _submit(pool, tasks, workers)
                rest = _submit(pool, others, workers)  # queued behind the documents
                texts, digest = texts_for(_documents(_results(files, tasks, first)))
                given = handoff.give(texts, digest)
                if given:
                    yield from _results(files, others, rest)
            finally:
                if not given:
                    handoff.stop()
                pool.shutdown(cancel_futures=True)
    finally:
        handoff.close()
    if not given:  # the texts could not be written for them: workers that start with the texts
        yield from check_others(files, others, texts, digest, jobs)


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
    are work."""
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
    hold enough YAML (see PARALLEL_MIN_YAML)."""
    if jobs is not None:
        return jobs
    available = default_jobs()
    if available <= 1:
        return 1
    work = 0
    for _, path in tasks:
        if path.suffix == ".json":
            continue
        try:
            work += path.stat().st_size
        except OSError:
            continue
        if work >= PARALLEL_MIN_YAML:
            return available
    return 1
