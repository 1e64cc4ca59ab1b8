"""What the platform's search index (core.search) knows of the expert directory: one entry per expert.

An expert's entry holds their names (Japanese and English, family and given),
keywords, fields, the organisations of their affiliations (every name and
alternative spelling, so "MOE" and "環境省" both find an expert of the
Ministry), and the biography in the entry's language. The bigram index finds
Japanese substrings (大気 inside 大気汚染) and English in any case or width.

Who may read an entry: the public, for accepted experts who consented to a
public listing; otherwise signed-in readers, narrowed in SQL by the expert
policy (`filter_by_policy`: members see accepted experts by their level, a
focal point their country's, a person their own profile). Contact details are
never indexed.

The text lives on related records (the person, affiliations, fields), which
the index reads through attributes of the record (core.search.Searchable.values):
the profile gains read-only `indexed_*` properties here, and saving any of
those related records re-indexes the experts it belongs to.

Imported at start-up (NetworkConfig.ready), so that saves keep the index current.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext as _

from cleanasia.core.models import Visibility
from cleanasia.core.search import Access, index_queryset, register_searchable
from cleanasia.directory.models import Affiliation, Organisation, Person

from .models import ExpertProfile, Field, NominationState

MODELS = (ExpertProfile,)
# Joins the values of one indexed attribute: a separator no query needs to span.
JOIN = " / "


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = (value or "").strip()
        if value and value.casefold() not in {v.casefold() for v in seen}:
            seen[value] = None
    return list(seen)


def _title(expert: ExpertProfile) -> str:
    person = expert.person
    return JOIN.join(_unique([person.name_ja, person.name_en])) or str(person)


def _names(expert: ExpertProfile) -> str:
    person = expert.person
    return JOIN.join(_unique([person.family_name, person.given_name]))


def _organisations(expert: ExpertProfile) -> str:
    names: list[str] = []
    for affiliation in expert.person.affiliations.all():
        organisation = affiliation.organisation
        names += [organisation.name_ja, organisation.name_en, organisation.acronym, *organisation.alternative_names]
    return JOIN.join(_unique(names))


def _fields(expert: ExpertProfile) -> str:
    return JOIN.join(_unique(name for field in expert.fields.all() for name in (field.name_ja, field.name_en)))


ExpertProfile.indexed_title = property(_title)
ExpertProfile.indexed_names = property(_names)
ExpertProfile.indexed_organisations = property(_organisations)
ExpertProfile.indexed_fields = property(_fields)


def expert_access(expert: ExpertProfile) -> Access:
    if expert.state == NominationState.ACCEPTED and expert.listed_publicly:
        return Access(Visibility.PUBLIC)
    return Access(Visibility.MEMBERS)  # narrowed to the readers the policy names (filter_by_policy)


register_searchable(
    ExpertProfile,
    title="indexed_title",
    text_fields=("indexed_names", "keywords", "indexed_fields", "indexed_organisations", "biography"),
    url=lambda expert: [("expert-detail", [expert.pk])],  # staff or public page, by the search page's namespace
    access=expert_access,
    filter_by_policy=True,
    date=lambda expert: expert.decided_on,
    label=lambda expert: _("Expert"),
    select_related=("person",),
    prefetch_related=("fields", "person__affiliations__organisation"),
)


# --- keeping the entries current when the related records change ---------------------------------


def reindex(experts: QuerySet) -> None:
    index_queryset(experts.order_by())


def _person_saved(sender: Any, instance: Person, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        reindex(ExpertProfile.objects.filter(person_id=instance.pk))


def _affiliation_changed(sender: Any, instance: Affiliation, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        reindex(ExpertProfile.objects.filter(person_id=instance.person_id))


def _organisation_saved(sender: Any, instance: Organisation, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        reindex(ExpertProfile.objects.filter(person__affiliations__organisation=instance).distinct())


def _field_saved(sender: Any, instance: Field, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        reindex(ExpertProfile.objects.filter(fields=instance))


def _fields_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    if not reverse:
        if action.startswith("post_"):
            reindex(ExpertProfile.objects.filter(pk=instance.pk))
        return
    # Changed from the field's side: `pk_set` names the experts, except when the field's experts are cleared.
    if action == "pre_clear":
        instance._experts_before_clear = list(
            ExpertProfile.objects.filter(fields=instance).values_list("pk", flat=True)
        )
    elif action == "post_clear":
        reindex(ExpertProfile.objects.filter(pk__in=getattr(instance, "_experts_before_clear", [])))
    elif action.startswith("post_"):
        reindex(ExpertProfile.objects.filter(pk__in=pk_set or []))


_UID = "network.search:"
post_save.connect(_person_saved, sender=Person, weak=False, dispatch_uid=_UID + "person")
post_save.connect(_affiliation_changed, sender=Affiliation, weak=False, dispatch_uid=_UID + "affiliation:save")
post_delete.connect(_affiliation_changed, sender=Affiliation, weak=False, dispatch_uid=_UID + "affiliation:delete")
post_save.connect(_organisation_saved, sender=Organisation, weak=False, dispatch_uid=_UID + "organisation")
post_save.connect(_field_saved, sender=Field, weak=False, dispatch_uid=_UID + "field")
m2m_changed.connect(_fields_changed, sender=ExpertProfile.fields.through, weak=False, dispatch_uid=_UID + "fields")
