"""What operators see of the departments' systems: each connector's health, read from the
recorded attempts, and the items the system gave up on."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.integrations import contract
from chalicelib.services.context import Services, iso
from chalicelib.store.records import ItemRecord
from chalicelib.store.repository import ConnectorHealth, Cursor

FAILED_LIST_MAX = 500


def health(svc: Services) -> list[tuple[ConnectorHealth, str, bool]]:
    """(health, department, configured) per connector: configured means this stage has the
    gateway's URL for the department and its credentials."""
    since = iso(svc.clock() - timedelta(hours=1))
    found = []
    for connector in contract.CONNECTORS:
        department = contract.DEPARTMENT_OF[connector]
        configured = svc.departments.configured(department)
        found.append((svc.repo.connector_health(connector, since), department, configured))
    return found


def failed_items(svc: Services) -> list[ItemRecord]:
    found: list[ItemRecord] = []
    cursor: Cursor = None
    while len(found) < FAILED_LIST_MAX:
        page = svc.repo.failed_items(cursor, 100)
        found += [row for row in page.rows if isinstance(row, ItemRecord)]
        if not page.cursor:
            break
        cursor = page.cursor
    return found[:FAILED_LIST_MAX]
