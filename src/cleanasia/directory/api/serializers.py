"""Representations of directory records in the API (read only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cleanasia.directory.models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person
from cleanasia.directory.permissions import can_see_contact_details


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "alpha3", "numeric", "name_ja", "name_en"]


class CountryGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = CountryGroup
        fields = ["code", "name_ja", "name_en", "description_ja", "description_en", "source"]


class GroupMembershipSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", help_text=_("ISO 3166-1 alpha-2 code."))

    class Meta:
        model = GroupMembership
        fields = ["country", "joined_on", "left_on", "note", "source"]


class CountryGroupDetailSerializer(CountryGroupSerializer):
    """A group with its whole membership history and, given a date, its members on that date."""

    memberships = GroupMembershipSerializer(many=True, read_only=True)
    members_on = serializers.SerializerMethodField(
        help_text=_("Codes of the member countries on the date given as ?on=YYYY-MM-DD; null without it.")
    )

    class Meta(CountryGroupSerializer.Meta):
        fields = [*CountryGroupSerializer.Meta.fields, "memberships", "members_on"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_members_on(self, group: CountryGroup) -> list[str] | None:
        return self.context.get("members_on")


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", allow_null=True, help_text=_("ISO 3166-1 alpha-2 code."))
    alternative_names = serializers.ListField(
        child=serializers.CharField(), help_text=_("Other spellings and former names.")
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name_ja",
            "name_en",
            "acronym",
            "kind",
            "country",
            "parent",
            "website",
            "alternative_names",
            "is_demo",
        ]


class OrganisationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name_ja", "name_en", "acronym"]


class AffiliationSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["organisation", "position_ja", "position_en", "started_on", "ended_on"]


class PersonSerializer(serializers.ModelSerializer):
    """A person's public fields; contact details only for the secretariat and the person themselves."""

    country = serializers.CharField(source="country_id", allow_null=True, help_text=_("ISO 3166-1 alpha-2 code."))
    affiliations = AffiliationSerializer(
        source="current_affiliations", many=True, read_only=True, help_text=_("Affiliations in force today.")
    )
    # Not read-only in the schema's sense, so that they are documented as optional:
    # they are left out of the answer for readers who may not see contact details.
    email = serializers.EmailField(required=False, help_text=_("Only for the secretariat and the person themselves."))
    phone = serializers.CharField(required=False, help_text=_("Only for the secretariat and the person themselves."))

    CONTACT_FIELDS = ("email", "phone")

    class Meta:
        model = Person
        fields = ["id", "name_ja", "name_en", "country", "affiliations", "is_demo", "email", "phone"]

    def to_representation(self, person: Person) -> dict:
        data = super().to_representation(person)
        request = self.context.get("request")
        if request is None or not can_see_contact_details(request.user, person):
            for name in self.CONTACT_FIELDS:
                data.pop(name, None)
        return data
