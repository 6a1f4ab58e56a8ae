"""A time limit on checking one line, so that no typed line can freeze the kernel.

:func:`time_limit` runs a block in the calling thread and, once the block has used more
than its limit of CPU time, raises :class:`TooLarge` inside it (``PyThreadState_SetAsyncExc``:
the exception arrives between two Python bytecodes). CPU time of the checking thread, not
wall time: on a machine busy with other work a normal line must not be called too large.
A wall-clock backstop (:data:`WALL_FACTOR` times the limit) still ends a check that waits.
SymPy and mpmath are pure Python, so a runaway simplification or a high-precision
evaluation stops within milliseconds of the limit. What this cannot interrupt is one long
call into C, such as a power of a huge integer; :mod:`nblib.yourturn.parse` refuses
everything that could lead to one before evaluating.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# CPU seconds a line may take to be read and checked.
CHECK_SECONDS = 1.0
# The wall-clock backstop, as a multiple of the limit (a busy machine gets slack).
WALL_FACTOR = 5.0
# How often the watcher looks at the clock.
POLL_SECONDS = 0.02


class TooLarge(BaseException):
    """Checking the line took longer than the limit.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way (in
    SymPy or here) mistakes it for a failure of the check itself.
    """


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Ask the interpreter to raise ``exception`` in the thread (None cancels a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None)


@contextmanager
def time_limit(seconds: float = CHECK_SECONDS) -> Iterator[None]:
    """Run the block; raise :class:`TooLarge` in it once it has used ``seconds`` of CPU
    time (or ``WALL_FACTOR * seconds`` of wall time).

    Over the limit, the exception is raised again every :data:`POLL_SECONDS` until the
    block has ended: one that arrives while Python runs a callback of the garbage
    collector is printed and dropped there, and the check would run on. Once the block has
    ended (normally or not) no exception is raised any more: the block's end is marked, and
    a pending exception cancelled, under the lock the watcher holds to raise one.
    """
    thread_id = threading.get_ident()
    cpu_time = cpu_clock(thread_id)
    cpu_start, wall_start = cpu_time(), time.monotonic()
    lock = threading.Lock()
    stop = threading.Event()
    state = {"done": False}

    def watch() -> None:
        while not stop.wait(min(POLL_SECONDS, seconds)):
            if (cpu_time() - cpu_start > seconds
                    or time.monotonic() - wall_start > WALL_FACTOR * seconds):
                with lock:
                    if state["done"]:
                        return
                    _raise_in(thread_id, TooLarge)

    watcher = threading.Thread(target=watch, name="check-time-limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        _end(lock, state, thread_id)
        stop.set()


def _end(lock: threading.Lock, state: dict, thread_id: int) -> None:
    """Mark the block ended and cancel any exception still pending for its thread.

    A pending exception may arrive here, before the lock is taken: it is caught and the
    marking tried again, so that the block never ends with the watcher still armed.
    """
    while True:
        try:
            with lock:
                state["done"] = True
                _raise_in(thread_id, None)
            return
        except TooLarge:
            continue


def cpu_clock(thread_id: int | None = None) -> Callable[[], float]:
    """The CPU-time clock of a thread (the calling one by default), or the wall clock where
    the platform has none."""
    if thread_id is None:
        thread_id = threading.get_ident()
    try:
        clock = time.pthread_getcpuclockid(thread_id)
        time.clock_gettime(clock)
    except (AttributeError, OSError):  # no per-thread CPU clock (e.g. Windows)
        return time.monotonic
    return lambda: time.clock_gettime(clock)
