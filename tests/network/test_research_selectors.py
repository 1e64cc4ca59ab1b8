"""Reads of research: the list with its filters and counts, a project with outputs, milestones (overdue
flagged) and measures with their indicators, the projects behind a measure; each in a fixed number of queries."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.network.selectors import research as selectors
from cleanasia.network.services import research as services

from ..factories import CountryFactory
from ..measures.factories import make_indicator, make_measure
from .test_research_builders import make_field, make_group, make_project, organisation, set_status

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def add_milestones(project, *, overdue: int = 0, done: int = 0, upcoming: int = 0):
    for n in range(overdue):
        services.milestone_add(
            actor=None, project=project, due_on=TODAY - dt.timedelta(days=n + 1), title_en=f"Late {n}"
        )
    for n in range(done):
        milestone = services.milestone_add(
            actor=None, project=project, due_on=TODAY - dt.timedelta(days=n + 1), title_en=f"Done {n}"
        )
        services.milestone_mark_done(actor=None, milestone=milestone, expected_version=milestone.version)
    for n in range(upcoming):
        services.milestone_add(actor=None, project=project, due_on=TODAY + dt.timedelta(days=n), title_en=f"Next {n}")


@pytest.fixture
def catalogue():
    air, water = make_field("air"), make_field("water")
    group = make_group(air, code="wg-air")
    vn, th = organisation("VN"), organisation("TH")
    projects = {
        "air_vn": make_project(field=air, code="air-vn", partners=(vn,), working_group=group),
        "air_th": make_project(field=air, code="air-th", partners=(th,)),
        "water_vn": make_project(field=water, code="water-vn", partners=(vn,)),
        "hidden": make_project(field=air, code="hidden", partners=(vn,), visibility="secretariat"),
    }
    set_status(projects["air_th"], "ongoing")
    return projects


def codes(qs):
    return sorted(p.code for p in qs)


@pytest.mark.parametrize(
    ("filters", "wanted"),
    [
        ({}, ["air-th", "air-vn", "water-vn"]),
        ({"field": "air"}, ["air-th", "air-vn"]),
        ({"country": "VN"}, ["air-vn", "water-vn"]),
        ({"status": "ongoing"}, ["air-th"]),
        ({"working_group": "wg-air"}, ["air-vn"]),
        ({"field": "water", "country": "VN"}, ["water-vn"]),
        ({"field": "air", "country": "KH"}, []),
    ],
)
def test_projects_are_filtered_among_those_the_user_sees(filters, wanted, catalogue):
    assert codes(selectors.projects_for(user=AnonymousUser(), **filters)) == wanted


def test_filters_take_records_too(catalogue, make_user):
    staff = make_user(Role.SECRETARIAT)
    found = selectors.projects_for(
        user=staff, field=make_field("air"), country=CountryFactory(code="VN"), working_group=None
    )
    assert codes(found) == ["air-vn", "hidden"]


def test_the_list_counts_outputs_milestones_and_overdue_ones(catalogue):
    project = catalogue["air_vn"]
    services.output_add(actor=None, project=project, kind="publication", title="Paper")
    services.output_add(actor=None, project=project, kind="dataset", title="Data")
    add_milestones(project, overdue=2, done=1, upcoming=1)
    row = next(p for p in selectors.projects_for(user=AnonymousUser()) if p.pk == project.pk)
    assert (row.output_count, row.milestone_count, row.overdue_count) == (2, 4, 2)
    assert [c.code for c in row.countries.all()] == ["JP", "VN"]


def test_the_list_runs_a_fixed_number_of_queries(django_assert_max_num_queries, make_user):
    user = make_user(Role.FOCAL_POINT)
    air = make_field("air")
    for n in range(12):
        project = make_project(
            field=air, partners=(organisation("VN"), organisation("TH")), working_group=make_group(air)
        )
        services.output_add(actor=None, project=project, kind="publication", title=f"Paper {n}")
        add_milestones(project, overdue=1, upcoming=1)
    user.active_roles  # noqa: B018 (the roles are read once per request, before the page)
    with django_assert_max_num_queries(2):
        rows = list(selectors.projects_for(user=user, field="air", country="VN"))
        for row in rows:
            assert row.field.code == "air"
            assert row.lead_organisation
            assert row.working_group
            assert {c.code for c in row.countries.all()} >= {"VN"}
    assert len(rows) == 12


def test_a_project_detail_has_its_outputs_milestones_and_measures(make_user, django_assert_max_num_queries):
    partner = organisation("VN")
    project = make_project(partners=(partner,), ends_on=TODAY + dt.timedelta(days=400))
    services.output_add(
        actor=None, project=project, kind="publication", title="Older", published_on=dt.date(2025, 6, 1)
    )
    services.output_add(actor=None, project=project, kind="dataset", title="Newer", published_on=dt.date(2026, 1, 1))
    add_milestones(project, overdue=1, done=1, upcoming=1)
    public_measure = make_measure(visibility="public", code="M-PUB")
    make_indicator(public_measure, code="IND-PUB", public_approved=True)
    make_indicator(public_measure, code="IND-DRAFT")
    hidden_measure = make_measure(visibility="secretariat", code="M-SEC")
    services.project_link_measure(actor=None, project=project, measure=public_measure)
    services.project_link_measure(actor=None, project=project, measure=hidden_measure, relation="evidence")

    with django_assert_max_num_queries(8):
        public = selectors.project_detail_for(user=AnonymousUser(), pk=project.pk)
    assert [o.title for o in public["outputs"]] == ["Newer", "Older"]
    assert [m.overdue for m in public["milestones"]] == [True, False, False]
    assert public["overdue_count"] == 1
    assert list(public["project"].partner_organisations.all()) == [partner]
    assert [(m["measure"].code, [i.code for i in m["indicators"]]) for m in public["measures"]] == [
        ("M-PUB", ["IND-PUB"])
    ], "the public sees only public measures and indicators approved for publication"
    assert not public["may_change"]
    assert public["next_statuses"] == []

    staff = make_user(Role.SECRETARIAT)
    detail = selectors.project_detail_for(user=staff, pk=project.pk)
    assert [(m["measure"].code, m["relation"]) for m in detail["measures"]] == [
        ("M-PUB", "advances"),
        ("M-SEC", "evidence"),
    ]
    assert [i.code for i in detail["measures"][0]["indicators"]] == ["IND-DRAFT", "IND-PUB"]
    assert detail["may_change"]
    assert detail["next_statuses"] == ["ongoing"]
    assert list(detail["project"].partner_organisations.all()) == [partner]


def test_a_project_the_user_may_not_see_is_not_found():
    hidden = make_project(visibility="secretariat")
    with pytest.raises(Http404):
        selectors.project_detail_for(user=AnonymousUser(), pk=hidden.pk)
    with pytest.raises(Http404):
        selectors.project_detail_for(user=AnonymousUser(), pk=hidden.pk + 1000)


def test_the_projects_behind_a_measure(make_user):
    measure = make_measure(visibility="public")
    shown = make_project(code="shown")
    hidden = make_project(code="secret", visibility="secretariat")
    unlinked = make_project(code="other")
    for project in (shown, hidden):
        services.project_link_measure(actor=None, project=project, measure=measure)
    assert [p.code for p in selectors.projects_for_measure(user=AnonymousUser(), measure=measure)] == ["shown"]
    staff_view = selectors.projects_for_measure(user=make_user(Role.SECRETARIAT), measure=measure)
    assert sorted(p.code for p in staff_view) == ["secret", "shown"]
    assert staff_view[0].relation_label == "advances the measure"
    assert unlinked.code not in {p.code for p in staff_view}
    assert selectors.projects_for_measure(user=AnonymousUser(), measure=make_measure()) == []
