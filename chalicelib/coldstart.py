"""A cold start without the cyclic garbage collector.

A Lambda process imports the app, then its first invocation's modules (pydantic, boto3 and its
service models, the service's own): hundreds of thousands of objects that live as long as the
process. While they load, the collector runs again and again over a growing heap and frees
nothing (about 50 ms of a cold first request: ``python -m bench --only coldreq``).

So the collector is held from the app's import until the first invocation has answered; then
everything loaded so far is moved out of its view for good (``gc.freeze``: it is never garbage,
and later collections need not walk it) and collection resumes. Reference counting frees all
other objects as usual meanwhile; what one request leaves in cycles is all that waits."""

from __future__ import annotations

import gc


def hold() -> None:
    gc.disable()


def release() -> None:
    """After a process's first invocation (every later call: nothing to do)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


hold()  # on import: app.py imports this module before anything heavy
