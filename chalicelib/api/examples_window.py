"""Worked examples of a window case (综合受理窗口, 附件3 四（二）3②): the form a clerk submits for
an applicant whose spouse acts for them (受委托人, with the authorisation and the signed form
uploaded by the clerk), and that case as the clerk then reads it (the agent's and applicant's
numbers masked). Shown in the OpenAPI document next to each model's first example, and checked
against its schema like every other example."""

from __future__ import annotations

from typing import Any

from chalicelib.api.examples import CASE_ID, EXAMPLES
from chalicelib.api.schemas import APPLICATION_EXAMPLE

# A clerk's uploads sit under the clerk's staff id (never a person's ID number).
CLERK_UPLOADS = "uploads/clerk-410302-01"
AGENT = {
    "name": "李四",
    "id_type": "resident_id_card",
    "id_number": "410302198505050022",
    "relationship": "配偶",
}
WINDOW_APPLICATION: dict[str, Any] = {
    **APPLICATION_EXAMPLE,
    # A landline will do as the contact phone (it gets no SMS).
    "applicant": {**APPLICATION_EXAMPLE["applicant"], "phone": "0379-63211234"},
    "agent": AGENT,
    "signature": {"signer": "agent", "method": "signed_form", "reference": None},
    "data_sharing": True,
    "attachments": [
        {
            "purpose": "authorisation",
            "key": f"{CLERK_UPLOADS}/authorisation/0a1b2c3d4e5f60718293a4b5c6d7e8f9.pdf",
        },
        {
            "purpose": "signed_form",
            "key": f"{CLERK_UPLOADS}/signed_form/9f8e7d6c5b4a39281706f5e4d3c2b1a0.pdf",
        },
    ],
}
WINDOW_CASE_VIEW: dict[str, Any] = {
    **EXAMPLES["CaseView"],
    "channel": "window",
    # As the clerk who took it reads it: the names in clear, the numbers masked.
    "applicant": {
        "name": "张三",
        "id_type": "resident_id_card",
        "id_number": "4103**********9018",
        "phone": "037******1234",
        "subsidy_bank": "中国银行洛阳分行",
        "subsidy_account": "****4567",
        "masked": ["account", "id_number", "phone"],
    },
    "agent": {**AGENT, "id_number": "4103**********0022", "masked": ["id_number"]},
    "signature": {"signer": "agent", "method": "signed_form", "reference": None},
    "data_sharing": True,
    "history": [
        {
            "at": "2026-11-27T10:00:00+08:00",
            "type": "submitted",
            "actor": "clerk",
            "item": None,
            "detail": "提交联办申请",
        }
    ],
}
assert WINDOW_CASE_VIEW["id"] == CASE_ID  # noqa: S101 - the same case as the first example  # nosec B101

# More examples of a model, by name: (summary, value) each.
VARIANTS: dict[str, dict[str, tuple[str, Any]]] = {
    "ApplicationIn": {"window": ("综合受理窗口：受委托人代办，签字确认", WINDOW_APPLICATION)},
    "CaseView": {"window": ("窗口办件（受理窗口人员所见）", WINDOW_CASE_VIEW)},
}
