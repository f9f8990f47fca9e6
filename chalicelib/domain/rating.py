"""好差评 (docs/domain.md §9): five levels, and two moments to rate. The plan, 附件3 四（五）:
"受理及联办事项办结后，各地应向申请人推送“好差评”服务": once the case is accepted, and once it
has finished, each rated at most once per case."""

from __future__ import annotations

from enum import StrEnum

LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
POOR = 2  # this level or lower needs a reason and opens a call-back (docs/domain.md §9)
RATING_INVITATION = "rating_invitation"  # the applicant's notification inviting a rating


class RatingStage(StrEnum):
    ACCEPTANCE = "acceptance"  # 受理: may be rated while the case runs
    COMPLETION = "completion"  # 办结: once the case has finished


STAGE_NAMES = {RatingStage.ACCEPTANCE: "受理环节", RatingStage.COMPLETION: "办结环节"}


def stage_for(asked: RatingStage | None, finished: bool) -> RatingStage:
    """The stage a rating is for: the one asked for; without one (clients from before ratings
    had stages), the completion once the case has finished, else the acceptance."""
    if asked is not None:
        return asked
    return RatingStage.COMPLETION if finished else RatingStage.ACCEPTANCE


def may_rate(stage: RatingStage, finished: bool) -> bool:
    """The acceptance may be rated from acceptance on; the completion once the case finished."""
    return stage is RatingStage.ACCEPTANCE or finished
