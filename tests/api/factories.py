"""Test data for the API tests: affiliations and real country groups with their dated memberships."""

import datetime as dt

import factory

from cleanasia.directory.models import Affiliation
from tests.factories import CountryFactory, CountryGroupFactory, GroupMembershipFactory, OrganisationFactory


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = None
    organisation = factory.SubFactory(OrganisationFactory)
    position_en = "Researcher"
    position_ja = "研究員"


ASEAN_FOUNDERS = ["ID", "MY", "PH", "SG", "TH"]
# Joining dates of the later ASEAN members.
ASEAN_LATER = {
    "BN": dt.date(1984, 1, 7),
    "VN": dt.date(1995, 7, 28),
    "LA": dt.date(1997, 7, 23),
    "MM": dt.date(1997, 7, 23),
    "KH": dt.date(1999, 4, 30),
}
EAS_PLUS = ["CN", "JP", "KR", "IN", "AU", "NZ"]


def build_asean_and_eas():
    """ASEAN (1967, enlarged to ten by 1999) and the East Asia Summit (2005; the US and Russia from 2011)."""
    asean = CountryGroupFactory(code="asean", name_en="ASEAN", name_ja="ASEAN")
    eas = CountryGroupFactory(code="eas", name_en="East Asia Summit", name_ja="東アジア首脳会議")
    for code in ASEAN_FOUNDERS:
        GroupMembershipFactory(group=asean, country=CountryFactory(code=code), joined_on=dt.date(1967, 8, 8))
    for code, joined in ASEAN_LATER.items():
        GroupMembershipFactory(group=asean, country=CountryFactory(code=code), joined_on=joined)
    for code in [*ASEAN_FOUNDERS, *ASEAN_LATER, *EAS_PLUS]:
        GroupMembershipFactory(group=eas, country=CountryFactory(code=code), joined_on=dt.date(2005, 12, 14))
    for code in ["US", "RU"]:
        GroupMembershipFactory(group=eas, country=CountryFactory(code=code), joined_on=dt.date(2011, 11, 19))
    return asean, eas
