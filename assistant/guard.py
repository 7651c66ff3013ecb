"""Read and check each document in a worker process bounded from outside in time and memory.

A hostile file (a regular-expression trap, a decompression bomb, a page of a million objects, a
paste of ten thousand lines) can then cost at most `Budget.seconds` of wall clock and
`Budget.memory_mb` of address space: the worker is killed and replaced, and the caller gets an
`InputError` with a Chinese reason. The whole check runs there (rules and NLP too), so a web
server process only waits and never competes with a check for the interpreter lock. Workers are
reused: a document costs one round trip, not one process.
"""
from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TypeVar

from .errors import InputError, caused_by_memory
from .limits import Budget

T = TypeVar("T")
R = TypeVar("R")
WARM_SECONDS = 120  # loading the models in a worker (once); a document's own budget starts after
OCR_LOAD_SECONDS = 20  # loading the OCR models in a worker (once), added when a document needs them
_idle: list[_Worker] = []
_lock = threading.Lock()


def _context():
    """fork while this process is plain (cheap, and the child inherits loaded models); a fork server
    once threads or torch are loaded, whose preload (warm.py) loads the models once for all workers."""
    if threading.active_count() == 1 and "torch" not in sys.modules:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["assistant.warm"])
    return context


def _limit_memory(extra_mb: int | None) -> None:
    """Allow `extra_mb` of address space beyond what the worker holds now (None: no limit). Only the
    soft limit is set, so the worker can lift it to load its own models (trusted code) and set it again."""
    try:
        import resource
    except ImportError:  # not on Linux/Unix: the time limit still holds
        return
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if extra_mb is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    with open("/proc/self/status", encoding="ascii") as status:
        size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    limit = size_kb * 1024 + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


_worker_memory_mb: int | None = None  # set in a worker: the memory it may add for a document
_worker_conn = None  # set in a worker: where notify() sends its messages
_worker_extra_mb = 0  # memory a worker may add beyond memory_mb, granted for OCR


def allow_ocr_memory(extra_mb: int) -> None:
    """In a worker about to OCR: allow `extra_mb` more (onnxruntime's buffers and thread arenas).
    The caller retires such a worker after the document, so the grant never outlives it."""
    global _worker_extra_mb
    if _worker_memory_mb is None or _worker_extra_mb >= extra_mb:
        return
    _worker_extra_mb = extra_mb
    _limit_memory(_worker_memory_mb + extra_mb)


def notify(message: tuple) -> None:
    """Tell the waiting caller something while a document is read: ("ocr_plan", pages, loaded) lets
    its deadline grow with the pages to OCR; ("ocr_page", done, total) is progress. Outside a worker
    it does nothing."""
    if _worker_conn is not None:
        _worker_conn.send(("progress", message))


@contextmanager
def trusted_load():
    """Load models (trusted code) outside the memory limit meant for documents, then limit again
    from the new size. Outside a worker it does nothing."""
    if _worker_memory_mb is None:
        yield
        return
    _limit_memory(None)
    try:
        yield
    finally:
        _limit_memory(_worker_memory_mb + _worker_extra_mb)


def _job(request, memory_mb: int):
    from .document.reader import read_source

    kind, *args, budget = request
    if kind == "warm":  # load the models outside the memory limit meant for documents
        from .nlp.analysis import load_models

        _limit_memory(None)
        load_models()
        _limit_memory(memory_mb)
        return None
    if kind == "read":
        source, ocr, then = args
        document = read_source(source, budget, ocr)
        return document if then is None else then(document)
    from .checker import check_document

    source, previous, options, then = args
    result = check_document(read_source(source, budget, options.ocr),
                            read_source(previous, budget, options.ocr) if previous else None, options)
    return result if then is None else then(result)  # reduced here: less to send back


def _serve(conn, memory_mb: int) -> None:
    global _worker_memory_mb, _worker_conn
    _worker_memory_mb, _worker_conn = memory_mb, conn
    try:
        _limit_memory(memory_mb)
    except (OSError, ValueError, StopIteration):
        pass
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", _job(request, memory_mb))
        except InputError as exc:
            reply = ("error", exc.message)
        except MemoryError:
            reply = ("memory", None)
        except RecursionError:
            reply = ("error", "文件结构嵌套过深，无法作为年度报告读取")
        except Exception as exc:  # any other failure on hostile bytes is a reason, not a traceback
            reply = ("memory", None) if caused_by_memory(exc) else ("error", "文件内容异常，无法读取（格式已损坏或不受支持）")
        request = None
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))


class _Worker:
    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        self.warm = False  # whether it has loaded the NLP models
        self.retire = False  # an OCR worker holds extra memory: closed after its document
        parent, child = multiprocessing.Pipe()
        self.conn = parent
        self.process = _context().Process(target=_serve, args=(child, memory_mb), daemon=True,
                                          name="nianbao-worker")
        self.process.start()
        child.close()

    def run(self, request: tuple, budget: Budget, progress=None) -> tuple[str, object]:
        """("ok", result) or ("error", reason); a worker that failed itself is closed and raises.

        The deadline is `budget.seconds`, grown by `ocr_page_seconds` for each page the worker
        announces it will OCR (at most `max_ocr_pages`); `progress` receives its messages."""
        try:
            self.conn.send(request)
            allowed = budget.seconds
            deadline = time.monotonic() + allowed
            while True:
                if not self.conn.poll(max(0.0, deadline - time.monotonic())):
                    self.close()
                    raise InputError(f"处理超时（超过 {allowed:g} 秒）：文件过于复杂或篇幅过长，无法在限定时间内读取和检查")
                status, value = self.conn.recv()
                if status != "progress":
                    break
                if value[0] == "ocr_plan":
                    self.retire = True
                    pages = max(0, min(int(value[1]), budget.max_ocr_pages))
                    extra = pages * budget.ocr_page_seconds + (0 if value[2] else OCR_LOAD_SECONDS)
                    allowed += extra
                    deadline += extra
                if progress is not None:
                    try:
                        progress(value)
                    except Exception:  # a display that fails must not lose the check
                        pass
        except (EOFError, OSError):
            self.close()
            raise InputError("读取文件时处理程序异常退出：文件可能已损坏或过于复杂") from None
        if status == "memory":
            self.close()
            raise InputError(f"处理时内存超限（超过 {budget.memory_mb} MB）：文件可能是压缩炸弹或过于复杂")
        return status, value

    def close(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


def run(request: tuple, budget: Budget, progress=None):
    """Run ("read", source, ocr, then, budget) or ("check", source, previous, options, then, budget)
    in a worker; `then` (a module-level function or None) reduces the Document or CheckResult before
    it is sent back; `progress` receives the worker's messages (see notify)."""
    with _lock:
        worker = next((w for w in _idle if w.memory_mb == budget.memory_mb), None)
        if worker is not None:
            _idle.remove(worker)
    if worker is None or not worker.process.is_alive():
        worker = _Worker(budget.memory_mb)
    if request[0] == "check" and request[3].nlp and not worker.warm:
        worker.run(("warm", budget), replace(budget, seconds=WARM_SECONDS))  # not charged to the document
        worker.warm = True
    status, value = worker.run(request, budget, progress)  # raises after closing a worker it gave up on
    if worker.retire:
        worker.close()
    else:
        with _lock:
            _idle.append(worker)
    if status == "error":
        raise InputError(value)
    return value


def prestart(count: int, budget: Budget) -> None:
    """Have `count` idle workers now: called before the caller starts threads, so they are forked
    from this process as it is (with its loaded models) instead of from a fork server."""
    with _lock:
        alive = sum(1 for w in _idle if w.memory_mb == budget.memory_mb and w.process.is_alive())
        _idle.extend(_Worker(budget.memory_mb) for _ in range(count - alive))


def parallel_map(function: Callable[[T], R], items: list[T], jobs: int, budget: Budget) -> Iterator[R]:
    """`function` over `items` in order, `jobs` at a time. The work is done by the workers, so threads
    of this process suffice to keep `jobs` of them busy: no second layer of processes to start and
    feed, and each report crosses one process boundary, not two."""
    if items:
        prestart(min(jobs, len(items)), budget)  # now, before the caller's progress bar starts its thread
    if jobs <= 1 or len(items) <= 1:
        return map(function, items)
    return _threaded(function, items, jobs)


def _threaded(function: Callable[[T], R], items: list[T], jobs: int) -> Iterator[R]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="nianbao-check") as pool:
        yield from pool.map(function, items)


def shutdown() -> None:
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.close()


def worker_pids() -> list[int]:
    """Process ids of the idle workers (for tests and benchmarks)."""
    with _lock:
        return [w.process.pid for w in _idle if w.process.pid is not None and w.process.is_alive()]
