"""Every rule of the research services: projects, partners and countries, status, outputs with DOIs,
milestones, links to measures; each bad input refused naming its field."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.audit import action_label
from cleanasia.core.concurrency import StaleEditError
from cleanasia.measures.models import MeasureLink
from cleanasia.network.models import ProjectStatus, ResearchProject
from cleanasia.network.policies import research as policy
from cleanasia.network.services import research as services

from ..factories import CountryFactory
from ..measures.factories import make_measure
from .test_research_builders import START, make_field, make_group, make_project, organisation, set_status

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def refused(field_name, call, *args, **kwargs):
    """The call raises ValidationError naming `field_name`; returns the message."""
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert field_name in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field_name])


# --- projects ---------------------------------------------------------------------------------------


def test_a_project_is_proposed_with_the_countries_of_its_institutions(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    lead, partner_vn, partner_th = organisation("JP"), organisation("VN"), organisation("TH")
    project = services.project_create(
        actor=secretariat,
        code="aq-mekong",
        field=make_field("air"),
        lead_organisation=lead,
        partner_organisations=[partner_vn, partner_th],
        starts_on=START,
        title_en="Air quality in the Mekong cities",
        funding_amount=12_000_000,
        funding_currency="jpy",
    )
    assert project.status == ProjectStatus.PROPOSED
    assert project.funding_currency == "JPY"
    assert set(project.countries.values_list("code", flat=True)) == {"JP", "VN", "TH"}
    assert set(project.partner_organisations.all()) == {partner_vn, partner_th}
    row = project.history.latest()
    assert row.action_code == policy.PROJECT_CREATED
    assert row.history_user == secretariat
    assert action_label(policy.PROJECT_CREATED) == "Research project created"


def test_countries_given_explicitly_are_kept():
    project = make_project(partners=(organisation("VN"),), countries=[CountryFactory(code="KH")])
    assert list(project.countries.values_list("code", flat=True)) == ["KH"]


@pytest.mark.parametrize(
    ("field_name", "changes"),
    [
        ("code", {"code": "Bad Code"}),
        ("code", {"code": "  "}),
        ("title_ja", {"title_en": " ", "title_ja": ""}),
        ("ends_on", {"ends_on": START - dt.timedelta(days=1)}),
        ("funding_amount", {"funding_amount": -1}),
        ("funding_amount", {"funding_amount": "a lot"}),
        ("funding_currency", {"funding_currency": "円"}),
        ("visibility", {"visibility": "everyone"}),
    ],
)
def test_bad_project_input_is_refused_naming_the_field(field_name, changes):
    refused(field_name, make_project, **changes)
    assert not ResearchProject.objects.exists()


def test_a_project_code_is_unique():
    make_project(code="aq-1")
    assert "Another project" in refused("code", make_project, code="aq-1")


def test_the_lead_is_not_also_a_partner():
    lead = organisation("JP")
    refused("partner_organisations", make_project, lead=lead, partners=(lead,))


def test_the_working_group_works_on_the_projects_field():
    air, water = make_field("air"), make_field("water")
    refused("working_group", make_project, field=air, working_group=make_group(water))
    assert make_project(field=air, working_group=make_group(air)).working_group.field == air


def test_a_retired_field_is_refused_for_new_projects_but_kept_by_old_ones():
    field = make_field("air")
    project = make_project(field=field)
    field.is_active = False
    field.save()
    refused("field", make_project, field=field)
    updated = services.project_update(
        actor=None, project=project, expected_version=project.version, changes={"title_en": "Renamed"}
    )
    assert updated.field == field


def test_update_changes_fields_and_partners_with_a_new_version(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    project = make_project()
    partner = organisation("VN")
    updated = services.project_update(
        actor=secretariat,
        project=project,
        expected_version=project.version,
        changes={"title_en": "  New title ", "partner_organisations": [partner], "countries": []},
    )
    assert updated.version == project.version + 1
    assert updated.title_en == "New title"
    assert list(updated.partner_organisations.all()) == [partner]
    assert not updated.countries.exists()
    assert updated.history.latest().action_code == policy.PROJECT_UPDATED


def test_a_stale_edit_is_refused():
    project = make_project()
    services.project_update(actor=None, project=project, expected_version=project.version, changes={"funder": "JSPS"})
    with pytest.raises(StaleEditError):
        services.project_update(
            actor=None, project=project, expected_version=project.version, changes={"funder": "JICA"}
        )


def test_update_refuses_the_status_and_unknown_fields():
    project = make_project()
    refused(
        "status",
        services.project_update,
        actor=None,
        project=project,
        expected_version=1,
        changes={"status": "ongoing"},
    )
    refused("version", services.project_update, actor=None, project=project, expected_version=1, changes={"version": 9})


def test_a_new_period_keeps_the_milestones_inside_it():
    project = make_project(ends_on=dt.date(2027, 3, 31))
    services.milestone_add(actor=None, project=project, due_on=dt.date(2026, 6, 30), title_en="Field campaign")
    message = refused(
        "ends_on",
        services.project_update,
        actor=None,
        project=project,
        expected_version=project.version,
        changes={"ends_on": dt.date(2026, 3, 31)},
    )
    assert "Field campaign" in message
    refused(
        "starts_on",
        services.project_update,
        actor=None,
        project=project,
        expected_version=project.version,
        changes={"starts_on": dt.date(2026, 7, 1)},
    )


# --- status ---------------------------------------------------------------------------------------------


def test_a_project_goes_from_proposed_to_ongoing_to_completed(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    project = make_project()
    project = services.project_set_status(
        actor=secretariat, project=project, expected_version=project.version, status="ongoing"
    )
    project = services.project_set_status(
        actor=secretariat, project=project, expected_version=project.version, status="completed"
    )
    assert project.status == ProjectStatus.COMPLETED
    assert project.history.latest().action_code == policy.PROJECT_STATUS_SET


def test_a_suspended_project_may_resume():
    project = set_status(make_project(), "ongoing", "suspended", "ongoing")
    assert project.status == ProjectStatus.ONGOING


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ((), "completed"),  # proposed → completed: it never ran
        ((), "suspended"),  # proposed → suspended: nothing to suspend
        (("ongoing",), "proposed"),
        (("ongoing", "completed"), "ongoing"),  # completed is final
        (("ongoing", "completed"), "suspended"),
        (("ongoing", "suspended"), "completed"),
        ((), "cancelled"),
    ],
)
def test_nonsense_status_changes_are_refused(path, target):
    project = set_status(make_project(), *path)
    refused(
        "status",
        services.project_set_status,
        actor=None,
        project=project,
        expected_version=project.version,
        status=target,
    )


def test_setting_the_same_status_changes_nothing():
    project = make_project()
    same = services.project_set_status(actor=None, project=project, expected_version=project.version, status="proposed")
    assert same.version == project.version


def test_a_project_cannot_be_completed_before_it_starts():
    project = set_status(make_project(starts_on=TODAY + dt.timedelta(days=30)), "ongoing")
    assert "before it starts" in refused(
        "status",
        services.project_set_status,
        actor=None,
        project=project,
        expected_version=project.version,
        status="completed",
    )


# --- outputs and DOIs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("10.1016/j.atmosenv.2020.117500", "10.1016/j.atmosenv.2020.117500"),
        ("https://doi.org/10.1016/j.atmosenv.2020.117500", "10.1016/j.atmosenv.2020.117500"),
        ("http://dx.doi.org/10.5281/zenodo.1234567", "10.5281/zenodo.1234567"),
        ("doi:10.1000.10/abc(123)", "10.1000.10/abc(123)"),
        ("DOI: 10.1234/ABC-xyz", "10.1234/ABC-xyz"),
        ("https://doi.org/10.1002%2F%28SICI%291097", "10.1002/(SICI)1097"),
        ("  10.1234/with-spaces-around  ", "10.1234/with-spaces-around"),
        ("", ""),
    ],
)
def test_a_doi_is_stored_bare(given, stored):
    assert services.normalise_doi(given) == stored


@pytest.mark.parametrize(
    "bad",
    [
        "1016/j.atmosenv",  # no 10. prefix
        "10.1016",  # no suffix
        "10.1016/",  # empty suffix
        "10.12/abc",  # registrant too short
        "10.abcd/xyz",  # registrant not digits
        "11.1234/abc",
        "10.1234/has space",
        "https://example.org/10.1234/abc",
        "https://doi.org/",
    ],
)
def test_a_bad_doi_is_refused_naming_the_field(bad):
    project = make_project()
    message = refused(
        "doi", services.output_add, actor=None, project=project, kind="publication", title="A paper", doi=bad
    )
    assert "10.1234/abc-5678" in message
    assert not project.outputs.exists()


def test_outputs_are_recorded_with_their_history(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    project = make_project()
    output = services.output_add(
        actor=secretariat,
        project=project,
        kind="publication",
        title="PM2.5 sources in Hanoi",
        doi="https://doi.org/10.1016/j.atmosenv.2020.117500",
        published_on=dt.date(2026, 2, 1),
    )
    assert output.doi == "10.1016/j.atmosenv.2020.117500"
    assert output.history.latest().action_code == policy.OUTPUT_ADDED
    updated = services.output_update(
        actor=secretariat, output=output, expected_version=output.version, changes={"doi": "doi:10.5281/zenodo.42"}
    )
    assert updated.doi == "10.5281/zenodo.42"
    assert updated.version == output.version + 1
    assert updated.history.latest().action_code == policy.OUTPUT_UPDATED


def test_the_same_doi_twice_in_a_project_is_refused_in_any_spelling():
    project = make_project()
    services.output_add(actor=None, project=project, kind="publication", title="Paper", doi="10.1234/ABC")
    refused(
        "doi",
        services.output_add,
        actor=None,
        project=project,
        kind="dataset",
        title="Its data",
        doi="https://doi.org/10.1234/abc",
    )
    # Another project may cite the same DOI.
    services.output_add(actor=None, project=make_project(), kind="publication", title="Paper", doi="10.1234/ABC")


@pytest.mark.parametrize(
    ("field_name", "kwargs"),
    [
        ("kind", {"kind": "poster"}),
        ("title", {"title": "   "}),
        ("url", {"url": "not an address"}),
    ],
)
def test_bad_output_input_is_refused_naming_the_field(field_name, kwargs):
    values = {"kind": "policy_brief", "title": "Brief", **kwargs}
    refused(field_name, services.output_add, actor=None, project=make_project(), **values)


def test_an_output_update_refuses_a_bad_doi_and_unknown_fields():
    output = services.output_add(actor=None, project=make_project(), kind="dataset", title="Data")
    refused("doi", services.output_update, actor=None, output=output, expected_version=1, changes={"doi": "nope"})
    refused("project", services.output_update, actor=None, output=output, expected_version=1, changes={"project": None})


# --- milestones -----------------------------------------------------------------------------------------------


def test_milestones_are_due_within_the_project():
    project = make_project(ends_on=dt.date(2027, 3, 31))
    refused(
        "due_on",
        services.milestone_add,
        actor=None,
        project=project,
        due_on=START - dt.timedelta(days=1),
        title_en="Early",
    )
    refused("due_on", services.milestone_add, actor=None, project=project, due_on=dt.date(2027, 4, 1), title_en="Late")
    refused("title_ja", services.milestone_add, actor=None, project=project, due_on=dt.date(2026, 1, 1))
    milestone = services.milestone_add(actor=None, project=project, due_on=dt.date(2026, 1, 1), title_ja="中間報告")
    assert milestone.history.latest().action_code == policy.MILESTONE_ADDED
    refused(
        "due_on",
        services.milestone_update,
        actor=None,
        milestone=milestone,
        expected_version=milestone.version,
        changes={"due_on": dt.date(2028, 1, 1)},
    )
    moved = services.milestone_update(
        actor=None, milestone=milestone, expected_version=milestone.version, changes={"due_on": dt.date(2026, 2, 1)}
    )
    assert moved.due_on == dt.date(2026, 2, 1)
    assert moved.history.latest().action_code == policy.MILESTONE_UPDATED
    refused(
        "done_on",
        services.milestone_update,
        actor=None,
        milestone=moved,
        expected_version=moved.version,
        changes={"done_on": TODAY},
    )


def test_a_milestone_is_marked_done_today_or_earlier_but_not_before_the_project():
    project = make_project()
    milestone = services.milestone_add(actor=None, project=project, due_on=dt.date(2025, 9, 30), title_en="Inception")
    refused(
        "done_on",
        services.milestone_mark_done,
        actor=None,
        milestone=milestone,
        expected_version=milestone.version,
        done_on=TODAY + dt.timedelta(days=1),
    )
    refused(
        "done_on",
        services.milestone_mark_done,
        actor=None,
        milestone=milestone,
        expected_version=milestone.version,
        done_on=START - dt.timedelta(days=1),
    )
    done = services.milestone_mark_done(actor=None, milestone=milestone, expected_version=milestone.version)
    assert done.done_on == TODAY
    assert done.history.latest().action_code == policy.MILESTONE_DONE


def test_the_overdue_flag():
    project = make_project()
    milestone = services.milestone_add(
        actor=None, project=project, due_on=TODAY - dt.timedelta(days=1), title_en="Late"
    )
    assert services.is_overdue(milestone, TODAY)
    assert not services.is_overdue(milestone, TODAY - dt.timedelta(days=1)), "due today is not yet overdue"
    done = services.milestone_mark_done(actor=None, milestone=milestone, expected_version=milestone.version)
    assert not services.is_overdue(done, TODAY)


# --- links to measures ------------------------------------------------------------------------------------------


def test_a_project_is_linked_to_a_measure_once_and_unlinked(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    project, measure = make_project(), make_measure()
    link = services.project_link_measure(actor=secretariat, project=project, measure=measure, note="  WP2  ")
    again = services.project_link_measure(actor=secretariat, project=project, measure=measure)
    assert link.pk == again.pk
    assert link.note == "WP2"
    assert link.target == project
    assert link.relation == "advances"
    services.project_link_measure(actor=secretariat, project=project, measure=measure, relation="evidence")
    assert services.project_unlink_measure(actor=secretariat, project=project, measure=measure) == 2
    assert not MeasureLink.objects.filter(target_type=ContentType.objects.get_for_model(ResearchProject)).exists()


def test_a_link_needs_a_sensible_relation_and_a_measure_the_actor_sees(make_user):
    project = make_project()
    refused(
        "relation",
        services.project_link_measure,
        actor=None,
        project=project,
        measure=make_measure(),
        relation="implements",
    )
    # Linking is the secretariat's, who sees every measure: a measure nobody else sees is still linkable.
    services.project_link_measure(
        actor=make_user(Role.SECRETARIAT), project=project, measure=make_measure(visibility="secretariat")
    )
