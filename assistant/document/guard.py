"""Read each document in a worker process that the budget's time and memory limits bound from outside.

A hostile file (a regular-expression trap, a decompression bomb, a page of a million objects) can
then cost at most `Budget.seconds` of wall clock and `Budget.memory_mb` of address space: the worker
is killed and replaced, and the caller gets an `InputError` with a Chinese reason. Workers are
reused, so a document costs one round trip, not one process.
"""
from __future__ import annotations

import multiprocessing
import sys
import threading

from ..errors import InputError
from ..limits import Budget
from .model import Document

_PRELOAD = ["assistant.document.reader", "lxml.etree", "lxml.html"]
_idle: list[_Worker] = []
_lock = threading.Lock()


def _context():
    """fork when this process is plain (cheap); a fork server once threads or torch are loaded."""
    if threading.active_count() == 1 and "torch" not in sys.modules:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def _limit_memory(extra_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not on Linux/Unix: the time limit still holds
        return
    with open("/proc/self/status", encoding="ascii") as status:
        size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    limit = size_kb * 1024 + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _serve(conn, memory_mb: int) -> None:
    from .reader import document_from_bytes, document_from_text

    try:
        _limit_memory(memory_mb)
    except (OSError, ValueError, StopIteration):
        pass
    while True:
        try:
            kind, payload, name, budget = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reader = document_from_text if kind == "text" else document_from_bytes
            reply = ("ok", reader(payload, name, budget))
        except InputError as exc:
            reply = ("error", exc.message)
        except MemoryError:
            reply = ("memory", None)
        except RecursionError:
            reply = ("error", "文件结构嵌套过深，无法作为年度报告读取")
        except Exception as exc:  # any other failure of a parser on hostile bytes is a reason, not a traceback
            reply = ("memory", None) if _out_of_memory(exc) else ("error", "文件内容异常，无法读取（格式已损坏或不受支持）")
        payload = None
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))


def _out_of_memory(exc: BaseException | None) -> bool:
    """Whether a parser's exception was caused by running out of memory (pdfminer wraps it)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, MemoryError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class _Worker:
    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        parent, child = multiprocessing.Pipe()
        self.conn = parent
        self.process = _context().Process(target=_serve, args=(child, memory_mb), daemon=True,
                                          name="nianbao-reader")
        self.process.start()
        child.close()

    def read(self, kind: str, payload, name: str, budget: Budget) -> tuple[str, object]:
        """("ok", Document) or ("error", reason); a worker that failed itself is closed and raises."""
        try:
            self.conn.send((kind, payload, name, budget))
            if not self.conn.poll(budget.seconds):
                self.close()
                raise InputError(f"读取超时（超过 {budget.seconds:g} 秒）：文件过于复杂或已损坏，无法在限定时间内读取")
            status, value = self.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.close()
            raise InputError("读取文件时解析程序异常退出：文件可能已损坏或过于复杂") from None
        if status == "memory":
            self.close()
            raise InputError(f"读取时内存超限（超过 {budget.memory_mb} MB）：文件可能是压缩炸弹或过于复杂")
        return status, value

    def close(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


def read(kind: str, payload, name: str, budget: Budget) -> Document:
    """`kind` "text" (a str) or "bytes" (a file's content) into a Document, within `budget`."""
    with _lock:
        worker = next((w for w in _idle if w.memory_mb == budget.memory_mb), None)
        if worker is not None:
            _idle.remove(worker)
    if worker is None or not worker.process.is_alive():
        worker = _Worker(budget.memory_mb)
    status, value = worker.read(kind, payload, name, budget)  # raises after closing a worker it gave up on
    with _lock:
        _idle.append(worker)
    if status == "error":
        raise InputError(value)
    return value


def shutdown() -> None:
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.close()


def worker_pids() -> list[int]:
    """Process ids of the idle reading workers (for tests and benchmarks)."""
    with _lock:
        return [w.process.pid for w in _idle if w.process.pid is not None and w.process.is_alive()]

