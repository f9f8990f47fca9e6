"""Sweep scaling: the scheduled jobs with 1,000 and then 10,000 stored cases and the same 50
due rows each. The real measure is the items each job reads (its Query pages): it must not
grow with the table. Times are reported too, with why moto's grow."""

from __future__ import annotations

import copy
import time
from datetime import datetime
from typing import Any

from bench.stack import local_stack
from chalicelib.api.schemas import APPLICATION_EXAMPLE
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.case import ItemStatus
from chalicelib.services import jobs, submit
from chalicelib.store import codec
from chalicelib.store.records import CalendarYearRecord

DUE = 50
RECENT, OLD, LATE_YEAR = (
    "2026-11-27T10:00:00+08:00",
    "2026-11-02T10:00:00+08:00",
    "2026-12-24T10:00:00+08:00",
)
JOB_AT = {
    "deadline-breaches": "2026-11-27T12:00:00+08:00",
    "restart-unstarted": "2026-11-27T12:00:00+08:00",
    "subsidy-reminders": "2026-11-28T08:00:00+08:00",
    "recompute-provisional": "2026-12-25T00:30:00+08:00",
}


def _form(items: list[str]) -> dict[str, Any]:
    form = copy.deepcopy(APPLICATION_EXAMPLE)
    form["items"] = items
    for section, item in (("pension", "pension_registration"), ("subsidy", "startup_subsidy")):
        if item not in items:
            form.pop(section, None)
    return form


def _rows(svc: Any, form: dict[str, Any], at: str, started: bool = True) -> list[Any]:
    who = Principal(Role.CLERK, "clerk-1", county="410302")
    persons = (svc.person_key("resident_id_card", "410302199001019018"),)
    case, items, events = submit._build(svc, who, form, persons, datetime.fromisoformat(at))
    return [case.model_copy(update={"started": started}), *items, *events]


def _reminded(rows: list[Any]) -> list[Any]:
    """The subsidy item as its handler leaves it: waiting for the licence's anniversary (a
    stored row made directly: the lifecycle's guard is for the service's own changes)."""
    update = {"status": ItemStatus.REMINDER_SCHEDULED, "reminder_date": "2026-10-15"}
    return [
        r.model_copy(update=update) if getattr(r, "code", None) == "startup_subsidy" else r
        for r in rows
    ]


def load(svc: Any, stored: int) -> None:
    """``stored`` cases due for nothing, and 50 due rows for each job."""
    licence_only, with_subsidy, with_pension = (
        _form(["license_verification"]),
        _form(["license_verification", "startup_subsidy"]),
        # the case's time limit is its longest item's: pension's 10 working days (the others
        # are instant), so only such a case accepted late in December is due in 2027
        _form(["license_verification", "pension_registration"]),
    )
    rows: list[Any] = []
    for _ in range(stored):
        rows += _rows(svc, licence_only, RECENT)
    for _ in range(DUE // 2):  # late: the case row and its licence item
        rows += _rows(svc, licence_only, OLD)
    for _ in range(DUE):  # accepted, workflow never started
        rows += _rows(svc, licence_only, RECENT, started=False)
    for _ in range(DUE):  # subsidy reminder due
        rows += _reminded(_rows(svc, with_subsidy, RECENT))
    for _ in range(DUE):  # deadline in 2027, computed before its holidays were known
        rows += _rows(svc, with_pension, LATE_YEAR)
    requests = [{"PutRequest": {"Item": codec.encode(r)}} for r in rows]
    client, table = svc.repo._client, svc.settings.table_name
    for start in range(0, len(requests), 25):
        client.batch_write_item(RequestItems={table: requests[start : start + 25]})
    year = CalendarYearRecord(
        year=2027, holidays=["2027-01-01"], workdays=[], source="bench", loaded_at=RECENT
    )
    svc.repo.put_calendar_year(year)
    svc.calendars.invalidate()
    svc.calendars()


def _table_copy_s(stack: Any) -> float:
    """What stock moto adds to every operation of every TransactWriteItems at this size."""
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends["123456789012"]["cn-north-1"]
    started = time.perf_counter()
    copy.deepcopy(backend.tables[stack.resources.table_name])
    return time.perf_counter() - started


def measure_size(stored: int) -> dict[str, Any]:
    with local_stack() as stack:
        started = time.perf_counter()
        load(stack.svc, stored)
        result: dict[str, Any] = {"stored_cases": stored, "load_s": time.perf_counter() - started}
        for name, at in JOB_AT.items():
            with stack.calls.label(name) as counted:
                started = time.perf_counter()
                report = jobs.run(stack.svc, name, datetime.fromisoformat(at))
                elapsed = time.perf_counter() - started
            result[name] = {
                "read": report.read,
                "changed": report.changed,
                "s": round(elapsed, 3),
                "calls": dict(counted),
            }
        result["stock_moto_copy_s"] = round(_table_copy_s(stack), 2)
        return result


def measure(sizes: tuple[int, int] = (1000, 10000)) -> dict[str, Any]:
    small, large = (measure_size(n) for n in sizes)
    read_small = sum(small[j]["read"] for j in JOB_AT)
    read_large = sum(large[j]["read"] for j in JOB_AT)
    return {
        "sizes": list(sizes),
        "items_read_1k": read_small,
        "items_read_10k": read_large,
        "ratio": round(read_large / read_small, 2),
        "jobs": {j: {"small": small[j], "large": large[j]} for j in JOB_AT},
        "stock_moto_copy_s": [small["stock_moto_copy_s"], large["stock_moto_copy_s"]],
        "load_s": [round(small["load_s"], 1), round(large["load_s"], 1)],
    }


WHY = (
    "Items read are the service's cost (DynamoDB bills and paces the Query by what it returns).\n"
    "moto's time grows with the table for two reasons that DynamoDB does not have: a Query on a\n"
    "global secondary index walks every stored item to find the index's rows, and stock moto's\n"
    "TransactWriteItems deep-copies the whole table once per operation before writing (its\n"
    "rollback). The bench runs with that copy scoped to the touched rows\n"
    "(devtools/moto_patches.py); the last line shows what one copy costs at each size,\n"
    "paid by each of a flagging write's two operations on stock moto."
)


def table(result: dict[str, Any]) -> str:
    small, large = result["sizes"]
    lines = [
        f"Sweep scaling: {small} vs {large} stored cases, {DUE} due rows per job",
        f"{'job':24} {'read':>7} {'read':>7} {'changed':>8} {'s':>8} {'s':>8}",
        f"{'':24} {small:>7} {large:>7} {'':>8} {small:>8} {large:>8}",
    ]
    for job, sizes in result["jobs"].items():
        a, b = sizes["small"], sizes["large"]
        lines.append(
            f"{job:24} {a['read']:7} {b['read']:7} {b['changed']:8} {a['s']:8.2f} {b['s']:8.2f}"
        )
    lines.append(
        f"items read, all jobs: {result['items_read_1k']} vs {result['items_read_10k']} "
        f"(ratio {result['ratio']})"
    )
    copy_small, copy_large = result["stock_moto_copy_s"]
    lines.append(f"stock moto table copy per transaction operation: {copy_small}s vs {copy_large}s")
    return "\n".join([*lines, "", WHY])
