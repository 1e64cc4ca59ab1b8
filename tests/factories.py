"""Factories for tests. Build records the way the services would, not by hand in each test."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from cleanasia.accounts.models import Role, RoleAssignment
from cleanasia.directory.models import Country, CountryGroup, GroupMembership, Organisation, Person
from cleanasia.framework.models import FrameworkNode, NodeKind

PASSWORD = "correct horse battery staple"


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "JP"
    alpha3 = factory.LazyAttribute(
        lambda o: {"JP": "JPN", "VN": "VNM", "TH": "THA", "US": "USA"}.get(o.code, o.code + "X")
    )
    numeric = "392"
    name_en = factory.LazyAttribute(lambda o: {"JP": "Japan", "VN": "Viet Nam", "TH": "Thailand"}.get(o.code, o.code))
    name_ja = factory.LazyAttribute(lambda o: {"JP": "日本", "VN": "ベトナム", "TH": "タイ"}.get(o.code, ""))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, *, country: str | None = None, **kwargs):
    """A user holding one role today (a country for country-bound roles)."""
    user = UserFactory(**kwargs)
    country_obj = CountryFactory(code=country) if country else None
    RoleAssignment.objects.create(user=user, role=role, country=country_obj)
    if role == Role.ADMIN:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


class CountryGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryGroup
        django_get_or_create = ("code",)

    code = "asean"
    name_en = "ASEAN"
    name_ja = "ASEAN"


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(CountryGroupFactory)
    country = factory.SubFactory(CountryFactory)
    joined_on = dt.date(1967, 8, 8)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Institute {n}")
    name_ja = factory.Sequence(lambda n: f"研究所{n}")
    country = factory.SubFactory(CountryFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name_en = factory.Sequence(lambda n: f"Person {n}")
    name_ja = factory.Sequence(lambda n: f"人物{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    country = factory.SubFactory(CountryFactory)


class FrameworkNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkNode

    kind = NodeKind.GOAL
    code = factory.Sequence(lambda n: f"T{n}")
    title_ja = factory.Sequence(lambda n: f"目標{n}")
    title_en = factory.Sequence(lambda n: f"Goal {n}")
