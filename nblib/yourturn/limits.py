"""A wall-clock limit on checking one line, so that no typed line can freeze the kernel.

:func:`time_limit` runs a block in the calling thread and, if it is still running after the
limit, raises :class:`TooLarge` inside it (``PyThreadState_SetAsyncExc``: the exception
arrives between two Python bytecodes). SymPy and mpmath are pure Python, so a runaway
simplification or a high-precision evaluation stops within milliseconds of the limit.
What this cannot interrupt is one long call into C, such as a power of a huge integer;
:mod:`nblib.yourturn.parse` refuses everything that could lead to one before evaluating.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Seconds a line may take to be read and checked.
CHECK_SECONDS = 1.0


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
    """Run the block; raise :class:`TooLarge` in it once ``seconds`` have passed.

    Once the block has ended (normally or not) no exception is raised any more: a pending
    one is cancelled under the same lock the timer takes to raise it.
    """
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _raise_in(thread_id, TooLarge)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:
                _raise_in(thread_id, None)  # not delivered yet: it never will be
