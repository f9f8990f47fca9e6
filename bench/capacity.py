"""DynamoDB request units of every call the app's DynamoDB client makes, by DynamoDB's published
rules, with the items' real sizes read from moto.

Every call is sent with ``ReturnConsumedCapacity=INDEXES`` (a botocore hook on the app's own
client; the service's code is unchanged), and what moto answers is kept as ``moto_reported``.
moto 5.2.5 does not compute consumed capacity: it answers a constant (PutItem, DeleteItem,
Query, Scan 1.0; GetItem 0.5; UpdateItem nothing usable; TransactWriteItems an empty list) and
counts no index. So the units are computed here, per the DynamoDB developer guide:

- item size: attribute names plus values (S: UTF-8 bytes; N: 1 byte per 2 significant digits
  + 1; B: bytes; BOOL/NULL: 1; L/M: 3 bytes + 1 per element + the elements; sets: the sum);
- writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem): 1 WRU per started KB of the larger
  of the item before and after; in TransactWriteItems 2 WRU per KB (ConditionCheck counted as
  a transactional write of the checked item: the guide prices every transactional item alike);
- every global secondary index whose key the item has before or after (all of ours project
  ALL): 1 WRU per KB of the index entry, 2 writes when the index key changes (delete + put);
- reads: 1 RRU per started 4 KB strongly consistent, half eventually consistent (every index
  Query); a Query is charged on the summed size of the items it read, at least one unit.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from decimal import Decimal
from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType

WRITES = ("PutItem", "UpdateItem", "DeleteItem")
KB, READ_BLOCK = 1024, 4096


def value_size(value: dict[str, Any]) -> int:
    (kind, inner), = value.items()  # fmt: skip
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = str(Decimal(inner).normalize()).lstrip("-").replace(".", "").lstrip("0")
        return math.ceil(len(digits.split("E")[0]) / 2) + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in inner.items())
    return sum(value_size({kind[0]: v}) for v in inner)  # SS, NS, BS


def item_size(item: dict[str, Any] | None) -> int:
    return sum(len(k.encode()) + value_size(v) for k, v in (item or {}).items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / KB))


class Capacity:
    """Attach to the app's DynamoDB client; ``by_label`` sums the units per labelled
    operation (the label of the thread's current operation, from ``calls``)."""

    def __init__(self, calls: Any, account: str, region: str, indexes: list[str]) -> None:
        self._calls = calls
        self._backend = dynamodb_backends[account][region]
        self._indexes = indexes
        self._lock = threading.Lock()
        self.by_label: dict[str, Counter[str]] = {}

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-parameter-build.dynamodb.*", self._before)
        client.meta.events.register("after-call.dynamodb.*", self._after)

    # -- the images ------------------------------------------------------------------------
    def _image(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        found = self._backend.get_table(table)
        hash_key = DynamoType(key[found.hash_key_attr])
        range_key = DynamoType(key[found.range_key_attr]) if found.range_key_attr else None
        item = found.get_item(hash_key, range_key)
        return None if item is None else dict(item.to_json()["Attributes"])

    def _targets(self, api: str, params: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
        """(table, how, key) of every item a write touches; how: put, update, delete, check."""
        if api in WRITES:
            key = params.get("Key") or self._key_of(params["TableName"], params["Item"])
            return [(params["TableName"], api, key)]
        found = []
        for entry in params.get("TransactItems", []):
            (how, op), = entry.items()  # fmt: skip
            key = op.get("Key") or self._key_of(op["TableName"], op["Item"])
            found.append((op["TableName"], f"transact:{how}", key))
        for table, requests in params.get("RequestItems", {}).items():
            for request in requests if api == "BatchWriteItem" else []:
                (how, op), = request.items()  # fmt: skip
                found.append((table, how, op.get("Key") or self._key_of(table, op["Item"])))
        return found

    def _key_of(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        found = self._backend.get_table(table)
        names = [found.hash_key_attr, found.range_key_attr]
        return {name: item[name] for name in names if name}

    def _before(
        self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        params["ReturnConsumedCapacity"] = "INDEXES"
        targets = self._targets(model.name, params)
        context["capacity"] = (targets, [self._image(t, k) for t, _, k in targets])

    # -- the units -------------------------------------------------------------------------
    def _index_units(self, before: dict[str, Any] | None, after: dict[str, Any] | None) -> int:
        units = 0
        for name in self._indexes:
            keys = (f"{name}PK", f"{name}SK")
            old = tuple((before or {}).get(k) for k in keys)
            new = tuple((after or {}).get(k) for k in keys)
            had, has = None not in old, None not in new
            if had and has and old != new:
                units += write_units(item_size(before)) + write_units(item_size(after))
            elif has:
                units += write_units(item_size(after))
            elif had:
                units += write_units(item_size(before))
        return units

    def _writes(self, context: dict[str, Any]) -> Counter[str]:
        targets, befores = context.get("capacity", ([], []))
        units: Counter[str] = Counter()
        for (table, how, key), before in zip(targets, befores, strict=True):
            after = self._image(table, key)
            size = max(item_size(before), item_size(after))
            factor = 2 if how.startswith("transact:") else 1
            units["table_wru"] += factor * write_units(size)
            if how != "transact:ConditionCheck":
                units["index_wru"] += self._index_units(before, after)
        return units

    @staticmethod
    def _reads(api: str, params: dict[str, Any], parsed: dict[str, Any]) -> float:
        strong = params.get("ConsistentRead") and not params.get("IndexName")
        per_block = 1.0 if strong else 0.5
        if api == "GetItem":
            return per_block * max(1, math.ceil(item_size(parsed.get("Item")) / READ_BLOCK))
        if api in ("Query", "Scan"):
            items = parsed.get("Items", [])
            size = sum(item_size(i) for i in items)
            skipped = parsed.get("ScannedCount", len(items)) - len(items)
            if skipped and items:  # filtered out: read at the returned items' mean size
                size += skipped * size // len(items)
            return per_block * max(1, math.ceil(size / READ_BLOCK))
        return 0.0

    def _after(
        self, parsed: dict[str, Any], model: Any, context: dict[str, Any], **kw: Any
    ) -> None:
        api = model.name
        units = self._writes(context)
        units["rru"] += self._reads(api, kw.get("params") or context.get("params", {}), parsed)
        reported = parsed.get("ConsumedCapacity")
        if isinstance(reported, list):
            reported = {"CapacityUnits": sum(r.get("CapacityUnits", 0) for r in reported)}
        units["moto_reported"] += float((reported or {}).get("CapacityUnits", 0))
        label = self._calls.current or "unlabelled"
        with self._lock:
            self.by_label.setdefault(label, Counter()).update(units)
