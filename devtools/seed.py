"""Demo cases for the local service: ``python -m devtools.server --seed 5000`` (or
``make run SEED=5000``) stores that many accepted joint cases before it serves, with a
progress bar.

The rows are the ones the submit use case builds (case, items, history), each for its own
synthetic applicant, written with BatchWriteItem: thousands of submissions through the API
would also run thousands of workflows. They are marked started, as if their workflow had
begun, so the restart sweeper leaves them alone; nothing in them is due for weeks."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.identity import mod11_2_check_char
from chalicelib.services import submit
from chalicelib.services.context import Services
from chalicelib.store import codec

# Luoyang's county-level divisions (4103xx): each seeded case is filed in one of them.
COUNTIES = (
    "410302",
    "410303",
    "410304",
    "410305",
    "410307",
    "410308",
    "410311",
    "410322",
    "410323",
    "410324",
    "410325",
    "410326",
    "410327",
    "410328",
    "410329",
    "410381",
)
BATCH = 25  # BatchWriteItem's most


def id_number(n: int) -> str:
    """The n-th synthetic resident ID: a Luoyang division, born 1990-01-01, an odd (male)
    sequence number, a valid check character; distinct for n below 8,000."""
    county = COUNTIES[n % len(COUNTIES)]
    sequence = 2 * (n // len(COUNTIES)) % 1000 + 1
    first17 = f"{county}19900101{sequence:03d}"
    return first17 + mod11_2_check_char(first17)


def form_of(n: int) -> dict[str, Any]:
    form = copy.deepcopy(APPLICATION_EXAMPLE)
    form["applicant"]["id_number"] = id_number(n)
    form["county"] = COUNTIES[n % len(COUNTIES)]
    return form


def rows(svc: Services, n: int, now: datetime) -> list[dict[str, Any]]:
    """The n-th demo case's rows, encoded for DynamoDB."""
    form = form_of(n)
    who = Principal(Role.CLERK, "demo-clerk", county=form["county"])
    applicant = form["applicant"]
    persons = (svc.person_key(applicant["id_type"], applicant["id_number"]),)
    case, items, events = submit._build(svc, who, form, persons, now)
    started = case.model_copy(update={"started": True})
    return [codec.encode(r) for r in (started, *items, *events)]


def _batches(svc: Services, cases: int) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(cases done, the rows to write), a batch at a time."""
    now = datetime.now(UTC)
    pending: list[dict[str, Any]] = []
    for n in range(cases):
        pending += rows(svc, n, now)
        while len(pending) >= BATCH:
            yield n, pending[:BATCH]
            pending = pending[BATCH:]
    if pending:
        yield cases - 1, pending


def seed(svc: Services, dynamodb: Any, table: str, cases: int) -> None:
    """Store ``cases`` demo cases, showing a progress bar on the terminal."""
    from rich.progress import Progress  # dev tool only: never imported by the app

    with Progress(transient=False) as progress:
        task = progress.add_task(f"seeding {cases} demo cases", total=cases)
        for done, batch in _batches(svc, cases):
            requests = [{"PutRequest": {"Item": item}} for item in batch]
            unprocessed: dict[str, Any] = {table: requests}
            while unprocessed:
                unprocessed = dynamodb.batch_write_item(RequestItems=unprocessed).get(
                    "UnprocessedItems", {}
                )
            progress.update(task, completed=done + 1)
