"""Reading the form as the applicant sent it, before its model accepts it: the form's rules
(``application``, ``window``, the items' sections) look at raw JSON, which may hold anything."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.domain.identity import Result, check_id


def section(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The named section, or an empty one when it is missing or not an object."""
    value = raw.get(name)
    return value if isinstance(value, Mapping) else {}


def text(part: Mapping[str, Any], name: str) -> str | None:
    """The field's text as the model will keep it (trimmed), if it is non-empty text."""
    value = part.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def identity_of(part: Mapping[str, Any], today: date, field: str = "applicant.id_number") -> Result:
    """The ID document a section names, checked (``field`` names its number in problems);
    nothing when the type or number is not text (the model reports that)."""
    id_type, number = part.get("id_type"), part.get("id_number")
    if not isinstance(id_type, str) or not isinstance(number, str):
        return None, []
    return check_id(id_type, number, today, field)
