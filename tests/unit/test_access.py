"""Who may see a case and who may change what the applicant asked for."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Principal, Role, acts_for_applicant, can_view_case

OWNER, COUNTY = "person-key-1", "410302"
DEPARTMENTS = ("hrss", "market_regulation")


@pytest.mark.parametrize(
    ("who", "clerk", "sees"),
    [
        (Principal(Role.APPLICANT, OWNER), None, True),
        (Principal(Role.APPLICANT, "person-key-2"), None, False),
        (Principal(Role.CLERK, "c-1", county=COUNTY), None, True),  # the county's window
        (Principal(Role.CLERK, "c-2", county="410311"), None, False),
        (Principal(Role.CLERK, "c-3", county="410300"), "c-3", True),  # took it in the city
        (Principal(Role.OFFICER, "o-1", department="hrss", county=COUNTY), None, True),
        (Principal(Role.OFFICER, "o-2", department="hrss", county="410311"), None, False),
        (Principal(Role.OFFICER, "o-3", department="tax", county=COUNTY), None, False),
        (Principal(Role.ADMIN, "a-1"), None, True),
    ],
)
def test_who_sees_a_case(who, clerk, sees):
    assert can_view_case(who, OWNER, clerk, COUNTY, DEPARTMENTS) is sees


@pytest.mark.parametrize(
    ("who", "clerk", "acts"),
    [
        (Principal(Role.APPLICANT, OWNER), None, True),
        (Principal(Role.APPLICANT, "person-key-2"), None, False),
        (Principal(Role.CLERK, "c-1", county=COUNTY), None, False),  # an online case
        (Principal(Role.CLERK, "c-1", county=COUNTY), "c-1", True),  # took it at the window
        (Principal(Role.CLERK, "c-2", county=COUNTY), "c-1", False),
        (Principal(Role.OFFICER, "o-1", department="hrss", county=COUNTY), None, False),
        (Principal(Role.ADMIN, "a-1"), None, False),
    ],
)
def test_who_acts_for_the_applicant(who, clerk, acts):
    assert acts_for_applicant(who, OWNER, clerk) is acts
