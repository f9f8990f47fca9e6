"""The electronic archive (电子材料归档): the form as submitted and each corrected version,
every certificate and every decision, written once and never overwritten (docs/domain.md §10).

Written right after the change commits; each object's key is derived from what it records,
so a redelivered message writes nothing new."""

from __future__ import annotations

from chalicelib.domain.case import ItemStatus
from chalicelib.services.context import Services
from chalicelib.services.uploads import archive_certificate, archive_decision, archive_form
from chalicelib.store.records import CaseRecord, CertificateRecord
from chalicelib.store.repository import CaseChange

DECIDED = frozenset(
    {ItemStatus.COMPLETED, ItemStatus.REFUSED, ItemStatus.APPROVED, ItemStatus.REJECTED}
)


def record_change(svc: Services, case: CaseRecord, change: CaseChange) -> None:
    """Archive what a committed change produced: the form when the workflow first takes the
    case up (or a corrected version), certificates issued or shown, and decisions made."""
    store = svc.documents
    if change.case is not None and change.case.form_version >= case.form_version:
        archive_form(store, case.id, change.case.form_version, change.case.form)
    for row in [*change.created, *change.kept]:
        if isinstance(row, CertificateRecord):
            archive_certificate(store, case.id, row.number, row.model_dump(exclude={"person_key"}))
    for item in change.items:
        if item.status in DECIDED:
            record = {
                "item": item.code,
                "status": item.status,
                "result": item.result,
                "at": item.updated_at,
            }
            archive_decision(store, case.id, item.code, item.status, record)
