"""Make moto's DynamoDB behave like DynamoDB where `make run`, the reliability suite and the
benchmarks depend on it (one copy, used by all three). Nothing here changes what the service
does; it changes what moto does.

- Serialisability: moto has no lock around its DynamoDB backend, so two threads can both pass
  a condition (``attribute_not_exists``, ``version = :v``) that DynamoDB would let only one
  pass, and a cancelled transaction's rollback (it puts back a copy of the *whole table*)
  silently drops other threads' writes made meanwhile. Every DynamoDB action runs under one
  lock, as DynamoDB serialises conflicting writes.
- Rollback cost: moto deep-copies the whole table once per operation of every
  ``TransactWriteItems`` (a 9-row submission copies the table 9 times), so a transaction's
  cost grows with the table: ~0.4 ms per stored row per operation here, i.e. seconds per
  submission at a few thousand cases. Here only the rows the transaction touches are saved
  and put back on cancellation, which is all a rollback needs.
- ``ClientRequestToken``: DynamoDB answers a retried ``TransactWriteItems`` carrying the same
  token (botocore sends one and reuses it on retries) with the first call's success for ten
  minutes; moto ignores the token and re-runs it, so a retry after a lost response would be
  cancelled by its own first attempt. The first answer is replayed for a repeated token
  within DynamoDB's ten minutes (older answers are forgotten: a long ``make run`` stays
  bounded).
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
import types
from collections.abc import Iterator
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

_LOCK = threading.RLock()
TOKEN_WINDOW_S = 600.0  # how long DynamoDB answers a repeated ClientRequestToken


def _deepcopy_but_tables(value: Any, memo: Any = None) -> Any:
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _touched(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[Any]:
    saved = []
    for entry in transact_items:
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName", ""))
        attrs = op.get("Item") if op_type == "Put" else op.get("Key")
        if table is None or not attrs or table.hash_key_attr not in attrs:
            continue
        hash_key = DynamoType(attrs[table.hash_key_attr])
        range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
        if table.range_key_attr and table.range_key_attr not in attrs:
            continue
        before = table.get_item(hash_key, range_key)
        saved.append((table, hash_key, range_key, copy.deepcopy(before)))
    return saved


def _restore(saved: list[Any]) -> None:
    for table, hash_key, range_key, before in reversed(saved):
        if before is None:
            table.delete_item(hash_key, range_key)
        elif range_key is None:
            table.items[hash_key] = before
        else:
            table.items[hash_key][range_key] = before


def _patched() -> list[tuple[Any, str, Any]]:
    transact = DynamoDBBackend.transact_write_items
    call_action = DynamoHandler.call_action
    handle_transact = DynamoHandler.transact_write_items
    answered: dict[str, tuple[float, Any]] = {}  # token -> (when, the first answer)

    def scoped_transact(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        saved = _touched(self, transact_items)
        try:
            transact(self, transact_items)
        except Exception:
            _restore(saved)
            raise

    def serialised(self: DynamoHandler) -> Any:
        with _LOCK:
            return call_action(self)

    def idempotent(self: DynamoHandler) -> Any:
        token = self.body.get("ClientRequestToken")
        now = time.monotonic()
        while answered:  # oldest first (insertion order): drop what DynamoDB forgot
            oldest = next(iter(answered))
            if now - answered[oldest][0] <= TOKEN_WINDOW_S:
                break
            del answered[oldest]
        if token and token in answered:
            return answered[token][1]
        result = handle_transact(self)
        if token:
            answered[token] = (now, result)
        return result

    cheap_copy = types.SimpleNamespace(deepcopy=_deepcopy_but_tables)
    return [
        (DynamoDBBackend, "transact_write_items", scoped_transact),
        (DynamoHandler, "call_action", serialised),
        (DynamoHandler, "transact_write_items", idempotent),
        (dynamodb_models, "copy", cheap_copy),
    ]


def install() -> None:
    """Patch for the rest of the process (the local server started by the load test)."""
    for owner, name, value in _patched():
        setattr(owner, name, value)


@contextlib.contextmanager
def dynamodb_semantics() -> Iterator[None]:
    """Patch while the block runs, then put moto back as it was."""
    patches = _patched()
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, value in patches:
            setattr(owner, name, value)
        yield
    finally:
        for owner, name, value in originals:
            setattr(owner, name, value)
