"""The SMS channel's pure rules: whose number, when, how often, and what each notice says."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain import sms
from chalicelib.domain.sms_notices import TEXTS, Facts, Template, candidate_types, plan
from chalicelib.integrations.sms import Outcome, classify

SHANGHAI = "+08:00"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + SHANGHAI)


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("0086-13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("19912345678", "19912345678"),
        ("0379-63211234", None),  # a Luoyang landline
        ("+852 9123 4567", None),  # Hong Kong
        ("+853 6612 3456", None),  # Macao
        ("+886 912 345 678", None),  # Taiwan
        ("12345678901", None),
        ("１３８００１３８０００", None),  # full-width digits are not a number we can text
        ("", None),
    ],
)
def test_only_mainland_mobiles_get_an_sms(raw: str, number: str | None) -> None:
    assert sms.mainland_mobile(raw) == number


def test_quiet_hours_span_midnight_and_end_at_eight() -> None:
    quiet = sms.QuietHours.parse("21:00-08:00")
    assert quiet is not None
    assert quiet.ends_after(at("2026-11-27T20:59:59")) is None
    assert quiet.ends_after(at("2026-11-27T21:00:00")) == at("2026-11-28T08:00:00")
    assert quiet.ends_after(at("2026-11-28T07:59:00")) == at("2026-11-28T08:00:00")
    assert quiet.ends_after(at("2026-11-28T08:00:00")) is None
    # whatever the server's zone: 13:30 UTC is 21:30 in Luoyang
    assert quiet.ends_after(datetime(2026, 11, 27, 13, 30, tzinfo=UTC)) is not None


@pytest.mark.parametrize("text", ["off", "OFF", ""])
def test_quiet_hours_can_be_switched_off(text: str) -> None:
    assert sms.QuietHours.parse(text) is None


@pytest.mark.parametrize("text", ["21-08", "25:00-08:00", "08:00-08:00", "night"])
def test_a_malformed_quiet_window_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="quiet hours"):
        sms.QuietHours.parse(text)


def test_a_daytime_window_works_too() -> None:
    quiet = sms.QuietHours.parse("12:00-13:30")
    assert quiet is not None
    assert quiet.ends_after(at("2026-11-27T12:10:00")) == at("2026-11-27T13:30:00")
    assert quiet.ends_after(at("2026-11-27T22:00:00")) is None


def test_per_phone_limits_say_when_the_next_sms_may_go() -> None:
    limits = sms.parse_limits("1/30s,5/1h,10/1d")
    now = at("2026-11-27T10:00:00")
    assert sms.next_free(limits, [], now) is None
    assert sms.next_free(limits, [now - timedelta(seconds=10)], now) == now + timedelta(seconds=20)
    assert sms.next_free(limits, [now - timedelta(seconds=30)], now) is None
    five = [now - timedelta(minutes=m) for m in (50, 40, 30, 20, 10)]
    assert sms.next_free(limits, five, now) == now + timedelta(minutes=10)
    ten = [now - timedelta(hours=h) for h in range(2, 12)]
    assert sms.next_free(limits, ten, now) == now + timedelta(hours=13)
    assert sms.recent_sends([*ten, now - timedelta(days=2)], limits, now) == sorted(ten)
    assert sms.parse_limits("off") == ()


def test_template_variables_respect_the_providers_limits() -> None:
    assert sms.param_problems({"code": "602749", "due": "12月11日"}, 6) == []
    assert sms.param_problems({"item": "就业创业证申领"}, 6)  # 7 characters
    assert sms.param_problems({"link": "t.cn/abc"}, 10)
    assert sms.param_problems({"link": "www.x"}, 10)
    assert sms.param_problems({"empty": ""}, 6)


def facts(kind: str, **known: object) -> Facts:
    return Facts(type=kind, **known)  # type: ignore[arg-type]


def test_each_notice_the_applicant_must_not_miss_has_its_template_and_variables() -> None:
    assert plan(facts("accepted", due_date=date(2026, 12, 11))).params == {"due": "12月11日"}
    assert plan(facts("correction_required")).template == Template.CORRECTION_REQUIRED
    refused = plan(facts("item_finished", item="pension_registration", item_status="refused"))
    assert (refused.template, refused.params) == (Template.ITEM_REFUSED, {"item": "养老保险登记"})
    assert (
        plan(facts("item_finished", item="taxpayer_confirmation", item_status="completed")).reason
        == "not_refused"
    )
    assert plan(facts("case_finished", case_status="partially_completed")).params == {
        "outcome": "部分办结"
    }
    assert plan(facts("subsidy_reminder", subsidy_amount=5000)).params == {"amount": "5000"}
    decided = plan(facts("startup_subsidy_decided", item="startup_subsidy", item_status="rejected"))
    assert (decided.template, decided.params) == (Template.SUBSIDY_DECIDED, {"decision": "未通过"})
    pension = plan(
        facts("pension_registration_decided", item="pension_registration", item_status="refused")
    )
    assert pension.template == Template.ITEM_REFUSED
    assert plan(facts("delivery_ready", pickup_code="602749")).params == {"code": "602749"}
    assert plan(facts("delivery_ready")).reason == "not_pickup"
    assert plan(facts("case_withdrawn")).reason == "not_sms_type"


def test_every_template_text_has_as_many_variables_as_its_plan_fills() -> None:
    counts = {
        Template.ACCEPTED: 1,
        Template.CORRECTION_REQUIRED: 0,
        Template.ITEM_REFUSED: 1,
        Template.CASE_FINISHED: 1,
        Template.SUBSIDY_REMINDER: 1,
        Template.SUBSIDY_DECIDED: 1,
        Template.PICKUP_CODE: 1,
    }
    for template, count in counts.items():
        assert TEXTS[template].count("{") == count, template
        assert "http" not in TEXTS[template]
    assert "startup_subsidy_decided" in candidate_types()
    assert "case_withdrawn" not in candidate_types()


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("FailedOperation.TemplateIncorrectOrUnapproved", Outcome.PERMANENT),
        ("FailedOperation.PhoneNumberInBlacklist", Outcome.PERMANENT),
        ("InvalidParameterValue.TemplateParameterLengthLimit", Outcome.PERMANENT),
        ("LimitExceeded.PhoneNumberThirtySecondLimit", Outcome.THROTTLED),
        ("LimitExceeded.PhoneNumberDailyLimit", Outcome.THROTTLED),
        ("InternalError.Timeout", Outcome.TRANSIENT),
        ("ServerNetworkError", Outcome.TRANSIENT),
        ("ClientNetworkError", Outcome.TRANSIENT),
        ("AuthFailure.SignatureFailure", Outcome.TRANSIENT),  # fixed by rotating the secret
        ("Something.New", Outcome.TRANSIENT),
    ],
)
def test_provider_errors_are_sorted_into_what_the_sender_does(code: str, outcome: Outcome) -> None:
    assert classify(code) == outcome
