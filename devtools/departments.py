"""A stand-in for the departments' systems (market regulation, tax, HRSS) behind the province's
data-sharing gateway, locally (``make run``) and in tests; never packaged, never used in
production. One HTTP server on 127.0.0.1 implementing the published contract
(``chalicelib.integrations.contract``): signature and replay checks, strict request models,
idempotency per (operation, key) and the departments' answers (``devtools.department_rules``).

Modes per department, switchable while running (``set_mode``, ``PUT /_standin/modes/{dept}``,
``make department``): ok; slow (answers after ``slow_s``, past the adapter's read timeout); down
(503); refuse (the department's refusal). Calls and registrations are kept in memory (methods,
``GET /_standin/calls``, ``GET /_standin/registrations``); nothing is logged.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from pydantic import BaseModel

from chalicelib.integrations import contract
from chalicelib.integrations.contract import Licence, Operation
from devtools.department_rules import (
    DEPARTMENTS,
    MODES,
    Answer,
    Departments,
    Registration,
    Rejected,
    Verifier,
    check,
    failure,
    load_registry,
    route,
    today,
)

LOCAL_APP_ID = "yjs-local-gateway"
LOCAL_SECRET = "local-demo-only-gateway-key"  # noqa: S105 - local demo only, no secret  # nosec B105
REGISTRY_PATH = Path(__file__).resolve().parent / "data" / "registry.json"
REPLAYED_HEADER = "Idempotency-Replayed"
MAX_BODY_BYTES = 1 << 20
_UNAVAILABLE = failure("department.unavailable", "部门系统暂不可用，请稍后重试")
_NO_ROUTE = failure("route.unknown", "无此接口")


@dataclass(frozen=True)
class Call:
    """A call the stand-in answered (ids only: no personal data)."""

    operation: str
    department: str
    idempotency_key: str
    replayed: bool
    status: int
    at: float  # Unix seconds, by the stand-in's clock


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    call: Call | None = None


def _reply(status: int, payload: object, headers: dict[str, str] | None = None) -> _Reply:
    if isinstance(payload, BaseModel):
        text = payload.model_dump_json()
    else:
        text = json.dumps(payload, ensure_ascii=False)
    return _Reply(status, text.encode("utf-8"), headers or {})


class DepartmentStandins:
    """The departments' systems behind the gateway, on 127.0.0.1 (``port=0``: a free one)."""

    def __init__(
        self,
        app_id: str,
        secret: str,
        registry_path: Path = REGISTRY_PATH,
        slow_s: float = 7.0,
        clock: Callable[[], float] = time.time,
        port: int = 0,
    ) -> None:
        self.slow_s = slow_s
        self._clock = clock
        self._port = port
        self._verifier = Verifier({app_id: secret})
        self._registry_path = registry_path
        self._departments = Departments(load_registry(Path(registry_path)))
        self._modes: dict[str, str] = dict.fromkeys(DEPARTMENTS, "ok")
        self._failing: dict[str, int] = {}  # department -> calls still to answer 503
        self._calls: list[Call] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the department stand-ins are not running")
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> str:
        """Serve in a background thread; returns the base URL (the same for all departments)."""
        if self._server is not None:
            raise RuntimeError("the department stand-ins are already running")
        self._stopping.clear()
        self._server = _Server(self._port, self)
        serve = partial(self._server.serve_forever, poll_interval=0.05)
        self._thread = threading.Thread(target=serve, name="department-standins", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving; a slow answer still waiting is dropped (its connection closed)."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> DepartmentStandins:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def set_mode(self, department: str, mode: str) -> None:
        if department not in DEPARTMENTS:
            raise ValueError(f"unknown department {department!r}: one of {', '.join(DEPARTMENTS)}")
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
        with self._lock:
            self._modes[department] = mode

    def reset(self) -> None:
        """Forget every call, answer and registration; the registry as its file has it and
        every department answering normally (a test's fresh start)."""
        with self._lock:
            self._departments = Departments(load_registry(Path(self._registry_path)))
            self._calls.clear()
            self._modes = dict.fromkeys(DEPARTMENTS, "ok")
            self._failing.clear()

    def put_licence(self, licence: Licence) -> None:
        """Change the registry (a licence cancelled, a business registered): tests' set-up."""
        with self._lock:
            self._departments.put_licence(licence)

    def fail_next(self, department: str, count: int = 1) -> None:
        """The department's next ``count`` calls (after the gateway's checks) answer 503, then
        its mode applies again: one failure injected at one call."""
        with self._lock:
            self._failing[department] = self._failing.get(department, 0) + count

    def _mode_for(self, department: str) -> str:
        with self._lock:
            if self._failing.get(department, 0) > 0:
                self._failing[department] -= 1
                return "down"
            return self._modes[department]

    def modes(self) -> dict[str, str]:
        with self._lock:
            return dict(self._modes)

    def calls(self, department: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if department in (None, c.department)]

    def registrations(self, operation: str | None = None) -> list[Registration]:
        with self._lock:
            found = self._departments.registrations
            return [r for r in found if operation in (None, r.operation)]

    def _handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> _Reply:
        path, _, query = target.partition("?")
        if path.startswith("/_standin/"):
            return self._control(method, path, query, body)
        routed = route(path)
        error = self._verifier.verify(method, path, headers, body, self._clock())
        if routed is None:
            return _reply(401, error) if error else _reply(404, _NO_ROUTE)
        op, uscc = routed
        key = headers.get(contract.IDEMPOTENCY_HEADER.lower(), "")
        try:
            if error is not None:
                raise Rejected(401, error)
            request = check(op, method, key, body)
            mode = self._mode_for(op.department)
            if mode == "down":
                raise Rejected(503, _UNAVAILABLE)
        except Rejected as rejected:
            return self._called(op, key, _reply(rejected.status, rejected.error), replayed=False)
        fresh = partial(self._fresh, op, request, uscc, mode)
        with self._lock:
            answer, replayed = self._departments.call(op, key, body, fresh)
        reply = _reply(answer.status, answer.body, {REPLAYED_HEADER: "true"} if replayed else None)
        reply = replace(reply, delay_s=self.slow_s if mode == "slow" else 0.0)
        return self._called(op, key, reply, replayed)

    def _fresh(self, op: Operation, request: BaseModel | None, uscc: str, mode: str) -> Answer:
        if mode == "refuse":
            return Departments.refusal(op.name)
        return self._departments.answer(request, uscc, today(self._clock()))

    def _called(self, op: Operation, key: str, reply: _Reply, replayed: bool) -> _Reply:
        call = Call(op.name, op.department, key, replayed, reply.status, self._clock())
        return replace(reply, call=call)

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def _control(self, method: str, path: str, query: str, body: bytes) -> _Reply:
        """The stand-in's own control plane (no auth: it listens on the loopback only)."""
        parts = path.strip("/").split("/")[1:]
        wanted = {name: values[0] for name, values in parse_qs(query).items()}
        if method == "GET" and parts == ["modes"]:
            return _reply(200, self.modes())
        if method == "GET" and parts == ["calls"]:
            return _reply(200, [asdict(c) for c in self.calls(wanted.get("department"))])
        if method == "GET" and parts == ["registrations"]:
            found = self.registrations(wanted.get("operation"))
            return _reply(200, [asdict(r) for r in found])
        if method == "PUT" and len(parts) == 2 and parts[0] == "modes":
            return self._put_mode(parts[1], body)
        return _reply(404, _NO_ROUTE)

    def _put_mode(self, department: str, body: bytes) -> _Reply:
        if department not in DEPARTMENTS:
            return _reply(404, failure("department.unknown", f"没有该部门：{department}"))
        try:
            given = json.loads(body)
        except ValueError:
            given = None
        mode = given.get("mode") if isinstance(given, dict) else None
        if mode not in MODES:
            return _reply(400, failure("mode.unknown", f"模式应为 {'、'.join(MODES)} 之一"))
        self.set_mode(department, str(mode))
        return _reply(200, {"department": department, "mode": mode})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, standins: DepartmentStandins) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.standins = standins


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "DepartmentStandins/1"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def _serve(self) -> None:
        standins = self.server.standins
        body = self._body()
        if body is None:
            reply = _reply(413, failure("request.too_large", "请求体过大或长度无效"))
        else:
            # Lower-cased names; of a repeated header the first, as Message.get() reads it.
            headers = {name.lower(): value for name, value in reversed(self.headers.items())}
            reply = standins._handle(self.command, self.path, headers, body)
        if reply.delay_s and standins._stopping.wait(reply.delay_s):
            self.close_connection = True  # stopping: no answer at all, as a hung system
            return
        if reply.call is not None:  # before the answer leaves: whoever got it can see it
            standins._record(reply.call)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except ConnectionError:
            pass  # the caller gave up waiting (a slow answer): the department answered anyway

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if not 0 <= length <= MAX_BODY_BYTES:
            return None
        return self.rfile.read(length)

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing: request lines carry credit codes; the calls are recorded in memory."""
