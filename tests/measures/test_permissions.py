"""Permission matrix of the progress module: every role over measures of each visibility, with and without VN."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from cleanasia.accounts.models import Role
from cleanasia.core.permissions import can, visible
from cleanasia.measures import services
from cleanasia.measures.models import Actual, Indicator, Measure, ProgressReport, ReportingPeriod, Target

from ..conftest import ROLES
from .factories import make_indicator, make_measure, make_period

pytestmark = pytest.mark.django_db

VISIBILITIES = ["public", "members", "groups", "secretariat"]


@pytest.fixture
def world(owner):
    """One measure per (visibility, with VN as partner or not), all owned by `owner`, plus one not owned."""
    measures = {}
    for vis in VISIBILITIES:
        for with_vn in (False, True):
            measures[(vis, with_vn)] = make_measure(
                visibility=vis, countries=("VN",) if with_vn else ("TH",), owner=owner
            )
    measures["other"] = make_measure(visibility="secretariat")
    return measures


def user_for(role, make_user):
    return AnonymousUser() if role == "public" else make_user(role)


def expected_measures(role, world):
    keys = [k for k in world if k != "other"]
    if role in (Role.SECRETARIAT, Role.ADMIN):
        return set(world)
    if role == "public":
        return {k for k in keys if k[0] == "public"}
    seen = {k for k in keys if k[0] in ("public", "members")}
    if role == Role.FOCAL_POINT:
        seen |= {k for k in keys if k[1]}
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_measure_visibility_matrix(role, make_user, world):
    user = user_for(role, make_user)
    shown = set(visible(Measure.objects.all(), user).values_list("pk", flat=True))
    expected = {world[k].pk for k in expected_measures(role, world)}
    assert shown == expected
    for key, measure in world.items():
        assert can(user, "view", measure) == (key in expected_measures(role, world)), key


def test_owner_sees_and_reports_on_own_measures_only(owner, world):
    shown = set(visible(Measure.objects.all(), owner).values_list("pk", flat=True))
    assert shown == {m.pk for k, m in world.items() if k != "other"}
    assert can(owner, "report", world[("secretariat", False)])
    assert not can(owner, "report", world["other"])
    assert not can(owner, "change", world[("public", False)])


def test_group_audience_sees_groups_measures(make_user, world):
    user = make_user(Role.EXPERT)
    group = Group.objects.create(name="WG air")
    user.groups.add(group)
    world[("groups", False)].audience_groups.add(group)
    shown = set(visible(Measure.objects.all(), user).values_list("pk", flat=True))
    assert world[("groups", False)].pk in shown
    assert world[("groups", True)].pk not in shown


@pytest.mark.parametrize("role", ROLES)
def test_actions_matrix(role, make_user, world):
    user = user_for(role, make_user)
    staff = role in (Role.SECRETARIAT, Role.ADMIN)
    measure = world[("public", True)]
    assert can(user, "report", measure) is staff  # none of these users owns it
    assert can(user, "change", measure) is staff
    assert can(user, "open_period", ReportingPeriod) is staff
    period = make_period()
    report = services.report_get_or_create_draft(actor=None, measure=measure, period=period)
    assert can(user, "approve", report) is staff
    assert can(user, "open_period", period) is staff


def test_owner_may_report_but_not_approve(owner, world):
    measure = world[("members", False)]
    report = services.report_get_or_create_draft(actor=owner, measure=measure, period=make_period())
    assert can(owner, "report", report)
    assert not can(owner, "approve", report)
    assert not can(owner, "open_period", ReportingPeriod)


@pytest.mark.parametrize("role", ROLES)
def test_indicator_visibility(role, make_user, world):
    user = user_for(role, make_user)
    public_measure = world[("public", False)]
    approved = make_indicator(public_measure, public_approved=True)
    unapproved = make_indicator(public_measure)
    hidden = make_indicator(world[("secretariat", False)], public_approved=True)
    services.target_set(actor=None, indicator=approved, year=2030, value=1)
    services.target_set(actor=None, indicator=unapproved, year=2030, value=1)
    shown = set(visible(Indicator.objects.all(), user))
    targets = {t.indicator for t in visible(Target.objects.all(), user)}
    staff = role in (Role.SECRETARIAT, Role.ADMIN)
    if role == "public":
        assert shown == {approved}
        assert targets == {approved}
    else:
        assert approved in shown
        assert unapproved in shown
        assert (hidden in shown) is staff
        assert targets == {approved, unapproved}
    assert not visible(Actual.objects.all(), user).exists()


def _approved_report(measure, period):
    report = services.report_get_or_create_draft(actor=None, measure=measure, period=period)
    report = services.report_update(
        actor=None, report=report, expected_version=report.version, changes={"rating": "on_track"}
    )
    report = services.report_submit(actor=None, report=report)
    return services.report_approve(actor=None, report=report)


@pytest.mark.parametrize("role", ROLES)
def test_report_visibility(role, make_user, world, owner):
    user = user_for(role, make_user)
    period = make_period()
    vn_draft = services.report_get_or_create_draft(actor=None, measure=world[("public", True)], period=period)
    vn_approved = _approved_report(world[("members", True)], period)
    th_approved = _approved_report(world[("public", False)], period)
    shown = set(visible(ProgressReport.objects.all(), user))
    if role in (Role.SECRETARIAT, Role.ADMIN):
        assert shown == {vn_draft, vn_approved, th_approved}
    elif role == Role.FOCAL_POINT:
        assert shown == {vn_approved}
    else:
        assert shown == set()
    assert set(visible(ProgressReport.objects.all(), owner)) == {vn_draft, vn_approved, th_approved}
    assert can(owner, "view", vn_draft)


def test_focal_point_of_another_country_sees_no_vn_measures(make_user, world):
    thai = make_user(Role.FOCAL_POINT, country="TH")
    shown = set(visible(Measure.objects.all(), thai).values_list("pk", flat=True))
    assert world[("secretariat", True)].pk not in shown
    assert world[("secretariat", False)].pk in shown  # its partner is Thailand


ADMIN_MODELS = [
    "measure",
    "measurebudget",
    "result",
    "indicator",
    "baseline",
    "target",
    "actual",
    "reportingperiod",
    "milestone",
    "progressreport",
    "measurelink",
    "remindersent",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_and_change_pages_render_for_administrators(model, client_for):
    client, _admin = client_for(Role.ADMIN)
    measure = make_measure(countries=("VN",))
    indicator = make_indicator(measure)
    services.target_set(actor=None, indicator=indicator, year=2030, value=3)
    _approved_report(measure, make_period())
    response = client.get(f"/en/admin/measures/{model}/")
    assert response.status_code == 200
    if model in ("measure", "indicator", "target", "progressreport"):
        obj = {"measure": measure, "indicator": indicator, "target": indicator.targets.get()}.get(
            model, ProgressReport.objects.first()
        )
        page = client.get(f"/en/admin/measures/{model}/{obj.pk}/change/")
        assert page.status_code == 200


def test_admin_cannot_change_an_approved_report(client_for):
    client, _admin = client_for(Role.ADMIN)
    report = _approved_report(make_measure(), make_period())
    page = client.get(f"/en/admin/measures/progressreport/{report.pk}/change/")
    assert b'name="_save"' not in page.content  # shown read-only
    response = client.post(f"/en/admin/measures/progressreport/{report.pk}/change/", {"narrative_ja": "改ざん"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert not report.narrative_ja


def test_admin_is_closed_to_the_secretariat_role_without_admin(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    assert client.get("/en/admin/measures/measure/").status_code == 302
