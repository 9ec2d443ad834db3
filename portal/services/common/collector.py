"""Python's cyclic garbage collector held off while a piece of work makes and lets go of
many objects (the reports page: a period's rows, its charts' figures).

Objects that live through a collection of the youngest generation move to an older one,
and once enough have moved, the next collection looks at every object in the process
(some 300,000 in a web process: 0.1 to 0.5 s, on whichever request it falls). A page's
rows and figures live for a few milliseconds each, but long enough to be moved, so that a
report at 1,000,000 records set off such a collection on most first views. Held off,
they are made and freed (by reference counting, or, for those in cycles, such as a
matplotlib figure, by the next young collection, which looks at them alone) without ever
being moved.

The collector is process-wide: work in another thread meanwhile finds it held off
already and leaves it to the first to turn it back on, so it is never left off.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def without_collections():
    """Hold the collector off for the ``with`` block (or the function it decorates)."""
    held = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if held:
            gc.enable()  # and the next allocation collects the youngest generation
