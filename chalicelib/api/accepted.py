"""What a submission (or a correction) answers: the case's id, its status and its address. A
module of its own so that a cold submission loads the form's models and these, not every
response model of the API (``api.schemas`` re-exports them)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.form import Out


class Links(Out):
    self: str = Field(description="本办件的地址")


class Accepted(Out):
    id: str = Field(description="办件编号")
    status: str = Field(description="办件状态")
    links: Links
