"""The workflow's queues: one per joint item, one for the final step, one dead-letter queue.

The same names build the local resources (moto), the tests and the deployment template, and
the placeholders are what the state machine definition is rendered with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from chalicelib.domain.case import ItemCode

FINALIZE = "finalize"
MAX_RECEIVE_COUNT = 3  # SQS redeliveries before a message goes to the dead-letter queue
VISIBILITY_TIMEOUT_S = 60


@dataclass(frozen=True)
class QueueSpec:
    key: str  # item code, or FINALIZE
    name: str
    placeholder: str  # ${...} in the state machine definition


QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec(ItemCode.LICENSE_VERIFICATION, "yjs-license-verification", "LicenceQueueUrl"),
    QueueSpec(ItemCode.TAXPAYER_CONFIRMATION, "yjs-taxpayer-confirmation", "TaxpayerQueueUrl"),
    QueueSpec(ItemCode.EMPLOYMENT_CERTIFICATE, "yjs-employment-certificate", "CertificateQueueUrl"),
    QueueSpec(ItemCode.PENSION_REGISTRATION, "yjs-pension-registration", "PensionQueueUrl"),
    QueueSpec(ItemCode.STARTUP_SUBSIDY, "yjs-startup-subsidy", "SubsidyQueueUrl"),
    QueueSpec(FINALIZE, "yjs-finalize", "FinalizeQueueUrl"),
)
DEAD_LETTER_QUEUE = "yjs-dead-letters"
QUEUE_NAME = {spec.key: spec.name for spec in QUEUES}
STATE_MACHINE_NAME = "yjs-joint-case"


def definition_template() -> str:
    return (resources.files("chalicelib.workflow") / "definition.asl.json").read_text("utf-8")


def render_definition(queue_urls: Mapping[str, str]) -> str:
    """The definition with every ``${Placeholder}`` replaced by its queue's URL (by queue name),
    as CloudFormation's ``DefinitionSubstitutions`` does in deployment."""
    text = definition_template()
    for spec in QUEUES:
        text = text.replace("${" + spec.placeholder + "}", queue_urls[spec.name])
    return text
