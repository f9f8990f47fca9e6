"""The scheduled jobs: each job's name (what ``make job``, the admin route and the reports
call it), its Lambda function and its schedule, written once. ``app.py`` registers one
handler per entry; ``services.jobs`` maps each name to what it does."""

from __future__ import annotations

from dataclasses import dataclass

SUBSIDY_REMINDERS = "subsidy-reminders"
DEADLINE_BREACHES = "deadline-breaches"
RESTART_UNSTARTED = "restart-unstarted"
RECOMPUTE_PROVISIONAL = "recompute-provisional"
CALENDAR_CHECK = "calendar-check"


@dataclass(frozen=True)
class Schedule:
    job: str
    expression: str  # an EventBridge schedule expression (UTC)
    why: str
    timeout_s: int  # the Lambda's: pages through due rows 100 at a time

    @property
    def function(self) -> str:
        """The Lambda function (and ``app.py`` handler) that runs the job."""
        return self.job.replace("-", "_")


SCHEDULES = (
    Schedule(SUBSIDY_REMINDERS, "cron(0 0 * * ? *)", "08:00 Asia/Shanghai, once a day", 300),
    Schedule(DEADLINE_BREACHES, "rate(15 minutes)", "breaches flagged within a quarter", 300),
    Schedule(RESTART_UNSTARTED, "rate(5 minutes)", "a case never waits long to start", 120),
    Schedule(RECOMPUTE_PROVISIONAL, "cron(30 16 * * ? *)", "00:30 Asia/Shanghai", 300),
    # Reads the calendar, writes at most one row: the day's alert.
    Schedule(CALENDAR_CHECK, "cron(0 1 * * ? *)", "09:00 Asia/Shanghai, once a day", 60),
)
JOB_NAMES = tuple(s.job for s in SCHEDULES)
