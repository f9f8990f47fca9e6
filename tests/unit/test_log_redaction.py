"""Exception log lines carry the exception's type and a redacted message: never a pydantic
``input_value`` nor a number that may be an ID, a phone or an account (docs/domain.md §10)."""

from __future__ import annotations

import json
import logging
import sys

from pydantic import BaseModel, ValidationError

from chalicelib.logs import JsonFormatter

ID_NUMBER = "410302199001019018"


class _Form(BaseModel):
    age: int


def _line(exc: BaseException) -> dict:
    try:
        raise exc
    except BaseException:
        record = logging.getLogger("t").makeRecord(
            "t", logging.ERROR, __file__, 1, "unhandled error", (), exc_info=sys.exc_info()
        )
    return json.loads(JsonFormatter().format(record))


def test_a_pydantic_error_is_logged_with_its_type_and_where_it_failed_only():
    try:
        _Form(age=f"身份证 {ID_NUMBER}")
    except ValidationError as exc:
        line = _line(exc)
    text = json.dumps(line, ensure_ascii=False)
    assert line["exception_type"] == "pydantic_core._pydantic_core.ValidationError"
    assert ID_NUMBER not in text and "input_value" not in text
    assert "age" in line["exception"]  # where it failed is kept


def test_long_digit_runs_in_any_message_are_redacted():
    line = _line(KeyError(f"no case for {ID_NUMBER} / 13800138000"))
    text = json.dumps(line, ensure_ascii=False)
    assert ID_NUMBER not in text and "13800138000" not in text
    assert line["exception_type"] == "builtins.KeyError"
