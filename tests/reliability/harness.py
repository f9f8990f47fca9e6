"""Instruments shared by the reliability suite and the benchmarks: count the AWS calls each
operation makes, make a chosen call fail as AWS would, and drive the queues with every
handler invocation labelled (and, if asked, delivered twice)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType, SimpleNamespace
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError
from moto.core.botocore_stubber import BotocoreStubber, MockRawResponse

from chalicelib import deps
from chalicelib.sms_queue import SMS_QUEUE
from chalicelib.workflow.queues import DEAD_LETTER_QUEUE, queues
from devtools.pump import Pump

APP_SERVICES = ("dynamodb", "stepfunctions", "sns", "sqs", "s3", "kms")
SERVICE_OF_ID = {"dynamodb": "dynamodb", "sfn": "stepfunctions", "sns": "sns", "sqs": "sqs"}
HANDLER_LABEL = {spec.name: f"item:{spec.key}" for spec in queues()} | {
    DEAD_LETTER_QUEUE: "dead-letters",
    SMS_QUEUE: "sms",
}
ONE_BY_ONE = frozenset({"sms"})  # labels counted per message: each SMS notice's own calls


class Calls:
    """Every call the app's own boto3 clients make, attributed to the labelled operation in
    progress on the calling thread (an HTTP request, one handler invocation, one job run)."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self.total: Counter[str] = Counter()
        self.service: dict[str, str] = {}
        self.runs: dict[str, list[Counter[str]]] = defaultdict(list)

    def attach(self) -> None:
        for name in APP_SERVICES:
            deps.client(name).meta.events.register("before-call", self._count)

    def _count(self, event_name: str, **_: Any) -> None:
        _, service_id, api = event_name.split(".", 2)
        with self._lock:
            self.total[api] += 1
            self.service[api] = SERVICE_OF_ID.get(service_id, service_id)
        counter = getattr(self._local, "counter", None)
        if counter is not None:
            counter[api] += 1

    @property
    def current(self) -> str | None:
        return getattr(self._local, "label", None)

    @property
    def current_run(self) -> object:
        """The operation run in progress on this thread (one request, one invocation)."""
        return getattr(self._local, "counter", None)

    @contextlib.contextmanager
    def label(self, name: str) -> Iterator[Counter[str]]:
        counter: Counter[str] = Counter()
        self._local.counter, self._local.label = counter, name
        try:
            yield counter
        finally:
            self._local.counter, self._local.label = None, None
            with self._lock:
                self.runs[name].append(counter)

    def reset(self) -> None:
        with self._lock:
            self.total.clear()
            self.runs.clear()

    def first(self) -> dict[str, dict[str, int]]:
        """Each operation's first run, as ``{operation: {API: count}}``."""
        return {name: dict(sorted(runs[0].items())) for name, runs in self.runs.items() if runs}


# -- faults ----------------------------------------------------------------------------------
THROTTLING, TIMEOUT, INTERNAL, LOST = "throttling", "timeout", "internal error", "response lost"
FAILURES = (THROTTLING, TIMEOUT, INTERNAL)

_ERRORS = {  # (HTTP status, code) as each service answers it
    ("dynamodb", THROTTLING): (400, "ThrottlingException"),
    ("dynamodb", INTERNAL): (500, "InternalServerError"),
    ("sfn", THROTTLING): (400, "ThrottlingException"),
    ("sfn", INTERNAL): (500, "InternalFailure"),
    ("sns", THROTTLING): (400, "Throttling"),
    ("sns", INTERNAL): (500, "InternalError"),
}


def _error_response(url: str, service_id: str, kind: str) -> AWSResponse:
    status, code = _ERRORS[(service_id, kind)]
    if service_id == "sns":
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>injected</Message></Error><RequestId>1</RequestId></ErrorResponse>"
        ).encode()
        headers = {"Content-Type": "text/xml"}
    else:
        body = json.dumps({"__type": code, "message": "injected"}).encode()
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": code}
    return AWSResponse(url, status, headers, MockRawResponse(body))  # type: ignore[arg-type]


@dataclass
class Fault:
    api: str  # e.g. TransactWriteItems
    label: str | None  # the operation whose call fails; None: any labelled operation
    kinds: list[str]  # one per attempt, in order
    # An outage fails every attempt of the first request or invocation that reaches the call
    # (all botocore's retries), then clears; otherwise each kind is used once.
    outage: bool = False
    hits: list[str] = field(default_factory=list)
    run: object = None

    def next_kind(self, run: object) -> str | None:
        if not self.outage:
            return self.kinds.pop(0) if self.kinds else None
        if self.run is None:
            self.run = run
        if self.run is not run:
            return None
        return self.kinds[len(self.hits) % len(self.kinds)]


class Faults:
    """Faults at the wire, where moto answers botocore: throttling and internal errors come
    back as AWS sends them (botocore retries them), a timeout is raised before the request
    reaches moto, and a lost response is applied by moto and then times out."""

    def __init__(self, calls: Calls) -> None:
        self._calls = calls
        self._armed: list[Fault] = []
        self._lock = threading.Lock()

    def arm(
        self, api: str, kinds: Sequence[str], label: str | None = None, outage: bool = False
    ) -> Fault:
        fault = Fault(api, label, list(kinds), outage)
        with self._lock:
            self._armed.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()

    def _take(self, api: str) -> str | None:
        label = self._calls.current
        if label is None:
            return None  # not the app's call (moto's own engine, the pump, the test)
        with self._lock:
            for fault in self._armed:
                if fault.api != api or fault.label not in (None, label):
                    continue
                kind = fault.next_kind(self._calls.current_run)
                if kind is not None:
                    fault.hits.append(kind)
                    return kind
        return None

    @contextlib.contextmanager
    def installed(self) -> Iterator[Faults]:
        original = BotocoreStubber.__call__
        faults = self

        def stub(stubber: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
            _, service_id, api = event_name.split(".", 2)
            kind = faults._take(api)
            if kind is None:
                return original(stubber, event_name, request, **kwargs)
            if kind == LOST:
                original(stubber, event_name, request, **kwargs)
            if kind in (TIMEOUT, LOST):
                raise ReadTimeoutError(endpoint_url=request.url)
            return _error_response(request.url, service_id, kind)

        BotocoreStubber.__call__ = stub  # type: ignore[method-assign]
        try:
            yield self
        finally:
            BotocoreStubber.__call__ = original  # type: ignore[method-assign]


# -- the queues ------------------------------------------------------------------------------
Handler = Callable[[dict[str, Any], Any], Any]


def _twice(handler: Handler) -> Handler:
    """At-least-once delivery: the same batch again, in the opposite order."""

    def deliver(event: dict[str, Any], context: Any) -> Any:
        first = handler(event, context) or {}
        again = handler({"Records": list(reversed(event["Records"]))}, context) or {}
        failed = {f["itemIdentifier"] for r in (first, again) for f in r["batchItemFailures"]}
        return {"batchItemFailures": [{"itemIdentifier": m} for m in sorted(failed)]}

    return deliver


class LabelledPump(Pump):
    """The dev pump, on its own SQS client (its calls are not the app's), with every handler
    invocation labelled ``item:<code>``; ``twice`` delivers each batch two times; every
    event delivered is kept in ``events`` for replaying later."""

    def __init__(
        self,
        app_module: ModuleType,
        sqs: Any,
        queue_urls: dict[str, str],
        calls: Calls,
        twice: bool = False,
    ) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.failures: Counter[str] = Counter()  # messages a handler reported failed, by label
        self.handled: Counter[str] = Counter()  # messages a handler took, by label
        self.durations: dict[str, list[float]] = {}  # each invocation's wall time (ms), by label
        proxy = SimpleNamespace(app=app_module.app)
        for source in app_module.app.event_sources:
            queue = getattr(source, "queue", None)
            if queue in HANDLER_LABEL:
                handler = getattr(app_module, source.name)
                wrapped = self._labelled(HANDLER_LABEL[queue], handler, calls)
                setattr(proxy, source.name, _twice(wrapped) if twice else wrapped)
        self.handlers: dict[str, Handler] = {
            HANDLER_LABEL[s.queue]: getattr(app_module, s.name)
            for s in app_module.app.event_sources
            if getattr(s, "queue", None) in HANDLER_LABEL
        }
        super().__init__(proxy, sqs, queue_urls)  # type: ignore[arg-type]

    def _labelled(self, label: str, handler: Handler, calls: Calls) -> Handler:
        def invoke(event: dict[str, Any], context: Any) -> Any:
            self.events.append((label, event))
            started = time.perf_counter()
            with calls.label(label):
                result = handler(event, context)
            self.durations.setdefault(label, []).append((time.perf_counter() - started) * 1000)
            failed = len((result or {}).get("batchItemFailures", []))
            self.failures[label] += failed
            self.handled[label] += len(event["Records"]) - failed
            return result

        return _one_by_one(invoke) if label in ONE_BY_ONE else invoke


def _one_by_one(labelled: Handler) -> Handler:
    """A batch as single-message invocations (so the label's first run is one message's)."""

    def deliver(event: dict[str, Any], context: Any) -> Any:
        failed = []
        for record in event["Records"]:
            result = labelled({"Records": [record]}, context) or {}
            failed += result.get("batchItemFailures", [])
        return {"batchItemFailures": failed}

    return deliver


def forget_data_keys() -> None:
    """What a new process holds: no data key made or opened yet (the field cipher's caches
    emptied, as a cold Lambda container starts)."""
    deps.cipher().forget()
