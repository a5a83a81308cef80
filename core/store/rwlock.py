"""A shared/exclusive lock: many cursors at once, or one rewrite of the file alone.

Every ``Store.cursor()`` holds the lock shared while it is open; ``Store.rewrite()`` takes it
exclusive, so it waits until no cursor is open and no cursor opens until the new file is in
place. Shared holders never wait for a waiting rewrite (a thread may open a cursor inside
another), so a rewrite gives up after a timeout instead of waiting forever.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SharedExclusiveLock:
    """Many shared holders or one exclusive holder."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._exclusive = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the lock shared (waits only while an exclusive holder has it)."""
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            self._shared += 1
        try:
            yield
        finally:
            with self._cond:
                self._shared -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self, timeout: float) -> Iterator[bool]:
        """Hold the lock alone; yields False (without holding it) after ``timeout`` seconds."""
        with self._cond:
            got = self._cond.wait_for(lambda: not self._exclusive and self._shared == 0, timeout)
            if got:
                self._exclusive = True
        try:
            yield got
        finally:
            if got:
                with self._cond:
                    self._exclusive = False
                    self._cond.notify_all()
