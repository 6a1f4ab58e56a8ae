"""A time limit on checking one line, so that no typed line can freeze the kernel.

:func:`time_limit` runs a block in the calling thread and, once the block has used more
than its limit of CPU time, raises :class:`TooLarge` inside it (``PyThreadState_SetAsyncExc``:
the exception arrives between two Python bytecodes). CPU time of the checking thread, not
wall time: on a machine busy with other work a normal line must not be called too large.
A wall-clock backstop (:data:`WALL_FACTOR` times the limit) still ends a check that waits.
The cyclic garbage collector is paused during the block: a full collection of a kernel
that holds many objects (figures, earlier checks) costs a third of a second and more, and
it is not the line's cost. The block lasts at most the limit, so little can pile up.
SymPy and mpmath are pure Python, so a runaway simplification or a high-precision
evaluation stops within milliseconds of the limit. What this cannot interrupt is one long
call into C, such as a power of a huge integer; :mod:`nblib.yourturn.parse` refuses
everything that could lead to one before evaluating.
"""

from __future__ import annotations

import ctypes
import gc
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
    ended (normally or not) no exception is raised any more: the block's end is marked
    under the lock the watcher holds to raise one, and an exception still pending is
    delivered and dropped.
    """
    thread_id = threading.get_ident()
    cpu_time = cpu_clock(thread_id)
    cpu_start, wall_start = cpu_time(), time.monotonic()
    lock = threading.Lock()
    stop = threading.Event()
    state = {"done": False, "raised": False}

    def watch() -> None:
        while not stop.wait(min(POLL_SECONDS, seconds)):
            if (cpu_time() - cpu_start > seconds
                    or time.monotonic() - wall_start > WALL_FACTOR * seconds):
                with lock:
                    if state["done"]:
                        return
                    state["raised"] = True
                    _raise_in(thread_id, TooLarge)

    watcher = threading.Thread(target=watch, name="check-time-limit", daemon=True)
    collecting = gc.isenabled()
    gc.disable()
    watcher.start()
    try:
        yield
    finally:
        _end(lock, state, thread_id)
        stop.set()
        if collecting:
            gc.enable()


def _end(lock: threading.Lock, state: dict, thread_id: int) -> None:
    """Mark the block ended, then make sure no exception is left pending for its thread.

    A pending exception may arrive while the end is being marked: it is caught and the
    marking tried again. A pending one is not cancelled (``SetAsyncExc(NULL)``): CPython
    clears its "asynchronous exception" signal only when one is delivered, and a signal
    left standing hangs a later ``cProfile`` run. So, once the watcher has raised at all,
    one more exception is raised here, in place of any still pending, and caught.
    """
    while True:
        try:
            with lock:
                state["done"] = True
            break
        except TooLarge:
            continue
    if state["raised"]:
        _deliver_pending(thread_id)


def _deliver_pending(thread_id: int) -> None:
    """Raise :class:`TooLarge` in this thread and drop it, leaving nothing pending."""
    try:
        _raise_in(thread_id, TooLarge)
        for _ in range(1_000_000):  # delivered at the first backward jump
            pass
    except TooLarge:
        return
    _raise_in(thread_id, None)  # not delivered (cannot happen in CPython): cancel it


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
