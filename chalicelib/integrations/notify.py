"""The notifications port and its SNS adapter: one topic, message attributes say who and
what, so SMS and mini-app subscription messages subscribe with filter policies later."""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)


class Notifier(ABC):
    @abstractmethod
    def send(self, audience: str, kind: str, payload: dict[str, Any]) -> None:
        """Deliver once. ``audience`` is ``applicant`` or ``department``; the payload carries
        no personal data beyond the person key and the text written for its reader."""


class SnsNotifier(Notifier):
    def __init__(self, client: Any, topic_arn: str) -> None:
        self._client = client
        self._topic = topic_arn

    def send(self, audience: str, kind: str, payload: dict[str, Any]) -> None:
        if not self._topic:
            log.warning("no notification topic configured", extra={"kind": kind})
            return
        attributes = {
            "audience": {"DataType": "String", "StringValue": audience},
            "type": {"DataType": "String", "StringValue": kind},
        }
        try:
            self._client.publish(
                TopicArn=self._topic,
                Message=json.dumps(payload, ensure_ascii=False),
                MessageAttributes=attributes,
            )
        except (BotoCoreError, ClientError):
            # The stored notification is the record of truth (我的消息); delivery is best effort
            # and is never retried by re-running the state change (that would send it twice).
            log.exception("notification not delivered", extra={"kind": kind})
