"""The errors the domain, the services and the repository raise. None of them knows HTTP: the
API layer alone turns them into statuses and problem+json (``chalicelib.api.problems``)."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.domain.problems import Problem


class DomainError(Exception):
    """A request the service cannot carry out, with a stable code and a Chinese reason."""

    code = "internal_error"
    default_detail = "服务内部错误"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        super().__init__(detail or self.default_detail)
        self.detail = detail or self.default_detail
        self.code = code or self.code
        self.problems = list(problems)


class InvalidArgument(DomainError):
    """A parameter (not the form) is malformed: a cursor, a limit, a date."""

    code, default_detail = "bad_request", "请求格式错误"


class NotPermitted(DomainError):
    """The caller may not do this (role, department or county)."""

    code, default_detail = "forbidden", "无权执行此操作"


class NotFound(DomainError):
    """Nothing by that name, or nothing the caller may know of (the same answer)."""

    code, default_detail = "not_found", "未找到该资源"


class InvalidState(DomainError):
    """The case, item or record is not in a state that allows this."""

    code, default_detail = "invalid_state", "与当前状态冲突"


class InvalidInput(DomainError):
    """What the caller sent breaks the rules: every problem listed at once (一次告知)."""

    code, default_detail = "validation_failed", "申请信息有误，请按提示一次性修改"


class Unavailable(DomainError):
    """Something the request needs did not answer in time (a department's system): nothing
    was changed, and the same request may be sent again shortly."""

    code, default_detail = "department.unavailable", "相关部门系统暂时无法访问，请稍后重试"


class IllegalTransition(InvalidState):
    """A status change that ``domain.lifecycle`` does not allow (one place, one error)."""


class WorkflowUnavailable(Exception):
    """The workflow engine did not take the request (throttled, unreachable); the caller may
    leave it to a sweeper."""


class AlreadyExistsError(Exception):
    """Repository: a conditional write found the row already there."""


class StaleStateError(Exception):
    """Repository: a conditional transition found the row in another state."""


class TransientStoreError(Exception):
    """Repository: a write kept colliding with concurrent ones (DynamoDB's TransactionConflict)
    after its retries; nothing was written and the same request may simply be sent again."""


class SubsidyAlreadyGranted(StaleStateError):
    """Repository: the person already has a start-up subsidy on record."""


class UploadAlreadyCited(StaleStateError):
    """Repository: an upload the change cites is cited by another case already."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(f"uploads cited elsewhere: {len(keys)}")
        self.keys = keys
