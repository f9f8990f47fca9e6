"""Structured logs: one JSON object per line, with the fields callers pass as ``extra``."""

from __future__ import annotations

import json
import logging
import re
import traceback
from types import TracebackType
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({})))
# A run of 7 or more digits (with an optional trailing X) may be an ID number, a phone or an
# account: never logged. Nor the value a pydantic error quotes.
_DIGITS = re.compile(r"[0-9]{7,}[0-9Xx]?")
_INPUT_VALUE = re.compile(r"input_value=.*?(?=, input_type=|\]$|\]\n|$)", re.MULTILINE)


def redact(exc: BaseException) -> str:
    """The exception's message without personal data: a pydantic error by where and why it
    failed only; anything else with its input values and long digit runs blanked."""
    errors = getattr(exc, "errors", None)
    if callable(errors) and type(exc).__name__ == "ValidationError":
        try:
            found = errors(include_input=False, include_url=False)
            return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in found)
        except TypeError:
            pass
    return _DIGITS.sub("<digits>", _INPUT_VALUE.sub("input_value=<redacted>", str(exc)))


def _type_name(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def describe(exc: BaseException, tb: TracebackType | None) -> str:
    """Where it failed (the frames, code only) and what, redacted, for the chain of causes."""
    lines = ["Traceback (most recent call last):\n"]
    lines += [
        f'  File "{f.filename}", line {f.lineno}, in {f.name}\n' for f in traceback.extract_tb(tb)
    ]
    lines.append(f"{_type_name(exc)}: {redact(exc)}")
    cause = exc.__cause__ or exc.__context__
    depth = 0
    while cause is not None and depth < 5:
        lines.append(f"\ncaused by {_type_name(cause)}: {redact(cause)}")
        cause, depth = cause.__cause__ or cause.__context__, depth + 1
    return "".join(lines)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            line["exception_type"] = _type_name(exc)
            line["exception"] = describe(exc, record.exc_info[2])
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(app: Any) -> None:
    """Format the app's own loggers as JSON lines (Lambda ships stdout to CloudWatch)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("chalicelib")
    for logger in (root, logging.getLogger("yijianshi.access"), app.log):
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
