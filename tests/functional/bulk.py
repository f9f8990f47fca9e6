"""Loading many stored cases quickly for tests and benchmarks of the scheduled jobs.

moto's TransactWriteItems copies the whole table on every call (its rollback), so thousands
of submissions through the real path would take minutes; the rows are the same ones the
submit use case builds, written with BatchWriteItem instead."""

from __future__ import annotations

from datetime import datetime

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from chalicelib.domain.access import Principal, Role
from chalicelib.services import submit
from chalicelib.services.context import Services
from chalicelib.store import codec

OLD, RECENT = "2026-11-02T10:00:00+08:00", "2026-11-27T10:00:00+08:00"


def bulk_load(svc: Services, cases: int, due: int) -> None:
    """``cases`` licence-only cases; the first ``due`` accepted long enough ago to be late."""
    who = Principal(Role.CLERK, "clerk-1", county="410302")
    form = {k: v for k, v in APPLICATION_EXAMPLE.items() if k not in ("pension", "subsidy")}
    form["items"] = ["license_verification"]
    persons = (svc.person_key("resident_id_card", "410302199001019018"),)
    requests = []
    for n in range(cases):
        now = datetime.fromisoformat(OLD if n < due else RECENT)
        case, items, events = submit._build(svc, who, form, persons, now)
        requests += [{"PutRequest": {"Item": codec.encode(r)}} for r in (case, *items, *events)]
    client = svc.repo._client  # type: ignore[attr-defined]
    table = svc.settings.table_name
    for start in range(0, len(requests), 25):
        client.batch_write_item(RequestItems={table: requests[start : start + 25]})
