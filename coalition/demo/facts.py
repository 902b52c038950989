"""The demo's facts: organizations, people, endorsements and initiatives, from the public
record (/work/shared/DEMO-FACTS.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coalition.bodies.models import (
    JoinPolicy,
)
from coalition.initiatives.models import Axis, InitiativeStatus
from coalition.participants.models import OrganizationCategory
from coalition.representations.models import (
    RepresentationRole,
    RepresentationStatus,
)

# -- organizations ---------------------------------------------------------------------------

ORGANIZATIONS = [
    # code, name, acronym, category, time zone, website
    ("unesco", "United Nations Educational, Scientific and Cultural Organization", "UNESCO",
     OrganizationCategory.INTERNATIONAL_ORGANIZATION, "Europe/Paris", "https://www.unesco.org"),
    ("ungei", "United Nations Girls' Education Initiative", "UNGEI",
     OrganizationCategory.INTERNATIONAL_ORGANIZATION, "America/New_York", "https://www.ungei.org"),
    ("iiep-unesco", "International Institute for Educational Planning", "IIEP-UNESCO",
     OrganizationCategory.INTERNATIONAL_ORGANIZATION, "Europe/Paris", "https://www.iiep.unesco.org"),
    ("icnl", "International Center for Not-for-Profit Law", "ICNL",
     OrganizationCategory.CIVIL_SOCIETY, "America/New_York", "https://www.icnl.org"),
    ("article-19", "Article 19", None,
     OrganizationCategory.CIVIL_SOCIETY, "Europe/London", "https://www.article19.org"),
    ("icrc", "International Committee of the Red Cross", "ICRC",
     OrganizationCategory.OTHER, "Europe/Zurich", "https://www.icrc.org"),
    ("rsf", "Reporters Without Borders", "RSF",
     OrganizationCategory.CIVIL_SOCIETY, "Europe/Paris", "https://rsf.org"),
    ("african-union", "African Union", "AU",
     OrganizationCategory.REGIONAL_INSTITUTION, "Africa/Addis_Ababa", "https://au.int"),
    ("european-union", "European Union", "EU",
     OrganizationCategory.REGIONAL_INSTITUTION, "Europe/Brussels", "https://european-union.europa.eu"),
    ("oecd", "Organisation for Economic Co-operation and Development", "OECD",
     OrganizationCategory.INTERNATIONAL_ORGANIZATION, "Europe/Paris", "https://www.oecd.org"),
]  # fmt: skip

# -- people ---------------------------------------------------------------------------------

#: (e-mail, name, password, staff, admin, participant code, role, status, what it is)
ACCOUNTS = [
    ("staff@coalition.example", "Sofia Secretariat", "demo-password-1", True, False,
     None, None, None, "Secretariat staff"),
    ("admin@coalition.example", "Adam Admin", "demo-password-2", True, True,
     None, None, None, "administrator (and staff)"),
    ("france@coalition.example", "Camille Martin", "demo-password-3", False, False,
     "FRA", RepresentationRole.FOCAL_POINT, RepresentationStatus.VERIFIED,
     "focal point of France (co-chairs several initiatives)"),
    ("germany@coalition.example", "Jonas Weber", "demo-password-4", False, False,
     "DEU", RepresentationRole.FOCAL_POINT, RepresentationStatus.VERIFIED,
     "focal point of Germany"),
    ("ghana@coalition.example", "Ama Mensah", "demo-password-5", False, False,
     "GHA", RepresentationRole.FOCAL_POINT, RepresentationStatus.VERIFIED,
     "focal point of Ghana (has a pending request and an invitation)"),
    ("canada@coalition.example", "Olivia Tremblay", "demo-password-6", False, False,
     "CAN", RepresentationRole.FOCAL_POINT, RepresentationStatus.VERIFIED,
     "focal point of Canada"),
    ("mexico@coalition.example", "Mateo Hernández", "demo-password-7", False, False,
     "MEX", RepresentationRole.FOCAL_POINT, RepresentationStatus.VERIFIED,
     "focal point of Mexico"),
    ("chile@coalition.example", "Valentina Rojas", "demo-password-8", False, False,
     "CHL", RepresentationRole.FOCAL_POINT, RepresentationStatus.VERIFIED,
     "focal point of Chile"),
    ("singapore@coalition.example", "Wei Ling Tan", "demo-password-9", False, False,
     "SGP", RepresentationRole.FOCAL_POINT, RepresentationStatus.VERIFIED,
     "focal point of Singapore (has a pending request)"),
    ("unesco@coalition.example", "Léa Dubois", "demo-password-10", False, False,
     "unesco", RepresentationRole.DELEGATE, RepresentationStatus.VERIFIED,
     "delegate of UNESCO (an organization: partner, not member)"),
    ("pending@coalition.example", "Kwame Otieno", "demo-password-11", False, False,
     "KEN", RepresentationRole.DELEGATE, RepresentationStatus.PENDING,
     "claims to represent Kenya; waits for staff verification"),
]  # fmt: skip

# -- the Alliance ---------------------------------------------------------------------------

LAUNCH = date(2019, 9, 26)
CO_CHAIRS_2019 = ["FRA", "DEU", "CAN", "CHL", "GHA", "MEX", "SGP"]
#: States endorsing the declaration in the demo, with the day they did.
ENDORSEMENTS: list[tuple[str, date]] = [
    *((code, LAUNCH) for code in CO_CHAIRS_2019),
    *(
        (code, LAUNCH)
        for code in [
            "ALB", "AND", "AUT", "BEL", "BEN", "BGR", "CRI", "CYP", "CZE", "DNK", "EST",
            "FIN", "GRC", "IRL", "ITA", "CIV", "LUX", "MLI", "MLT", "MDA", "MCO", "NZL",
            "NER", "MKD", "NOR", "PRT", "SEN", "TUN", "CHE", "LVA", "LTU",
        ]
    ),
    ("BFA", date(2019, 11, 12)),
    ("NLD", date(2019, 11, 12)),
    ("ESP", date(2020, 4, 16)),
    ("JPN", date(2020, 9, 25)),
    ("KOR", date(2021, 9, 23)),
]  # fmt: skip


# -- initiatives ----------------------------------------------------------------------------


@dataclass
class DemoInitiative:
    slug: str
    title: str
    summary: str
    description: str
    axis: Axis
    join_policy: JoinPolicy
    launched_on: date
    co_chairs: list[str]
    #: (participant code, since) — active members and partners.
    members: list[tuple[str, date]]
    pending: list[tuple[str, date, str]] = field(default_factory=list)
    invited: list[tuple[str, date, str]] = field(default_factory=list)
    status: InitiativeStatus = InitiativeStatus.ACTIVE
    results: str = ""
    seat_limit: int | None = None
    #: The title and summary in French (coalition.bilingual), where the demo has them.
    title_fr: str = ""
    summary_fr: str = ""


def _spread(codes: list[str], start: date, end: date) -> list[tuple[str, date]]:
    """Join dates spread evenly between *start* and *end*, in the listed order."""
    if len(codes) <= 1:
        return [(c, start) for c in codes]
    step = (end - start) / (len(codes) - 1)
    return [(code, start + step * i) for i, code in enumerate(codes)]


HUMANITARIAN_MEMBERS = [
    "FRA", "DEU", "ALB", "AND", "AUT", "BEL", "BEN", "BGR", "CRI", "CAF", "CYP", "CZE",
    "DNK", "DOM", "EST", "FIN", "GRC", "HND", "IRL", "ITA", "CIV", "LIE", "LUX", "MLI",
    "MLT", "MEX", "MDA", "MCO", "MNE", "NZL", "NER", "MKD", "NOR", "PRY", "POL", "PRT",
]  # fmt: skip

INITIATIVES = [
    DemoInitiative(
        slug="humanitarian-call-for-action",
        title="Humanitarian Call for Action",
        title_fr="Appel à l'action humanitaire",
        summary_fr=(
            "Renforcer le respect du droit international humanitaire et de l'action "
            "humanitaire fondée sur des principes, et protéger les personnels humanitaires "
            "et médicaux."
        ),
        summary=(
            "Strengthening respect for international humanitarian law and principled "
            "humanitarian action, and protecting humanitarian and medical personnel."
        ),
        description=(
            "Launched by **France and Germany** on 1 April 2019, the Call asks states to "
            "commit to:\n\n"
            "- respect and ensure respect for international humanitarian law;\n"
            "- protect humanitarian and medical personnel;\n"
            "- preserve principled humanitarian action, including in counter-terrorism "
            "measures.\n\n"
            "43 states had joined by September 2019, 51 by September 2021."
        ),
        axis=Axis.INTERNATIONAL_LAW,
        join_policy=JoinPolicy.APPROVAL,
        launched_on=date(2019, 4, 1),
        co_chairs=["FRA", "DEU"],
        members=[
            ("FRA", date(2019, 4, 1)),
            ("DEU", date(2019, 4, 1)),
            *_spread(HUMANITARIAN_MEMBERS[2:], date(2019, 4, 15), date(2019, 9, 26)),
            ("icrc", date(2019, 9, 26)),
        ],
        pending=[("GHA", date(2021, 9, 20), "Ghana wishes to join the Call.")],
        results=(
            "A joint statement at the Security Council's open debate on the protection "
            "of civilians, and a follow-up ministerial meeting at UNGA 76 (New York, 2021)."
        ),
    ),
    DemoInitiative(
        slug="paris-call-for-trust-and-security-in-cyberspace",
        title="Paris Call for Trust and Security in Cyberspace",
        title_fr="Appel de Paris pour la confiance et la sécurité dans le cyberespace",
        summary_fr=(
            "Neuf principes pour un cyberespace sûr, ouvert et pacifique, soutenus par des "
            "États, des organisations internationales, des entreprises et la société civile."
        ),
        summary=(
            "Nine principles for a secure, open and peaceful cyberspace, supported by "
            "states, international organizations, companies and civil society."
        ),
        description=(
            "Announced by France at the Internet Governance Forum in Paris on "
            "12 November 2018. Its nine principles include protecting individuals and "
            "infrastructure, defending electoral processes and preventing the "
            "proliferation of malicious tools.\n\n"
            "Anyone sharing the principles can join: membership takes effect at once."
        ),
        axis=Axis.GOVERNANCE_GAPS,
        join_policy=JoinPolicy.OPEN,
        launched_on=date(2018, 11, 12),
        co_chairs=["FRA"],
        members=[
            ("FRA", date(2018, 11, 12)),
            *_spread(
                [
                    "CAN",
                    "CHL",
                    "MEX",
                    "DEU",
                    "DNK",
                    "FIN",
                    "NOR",
                    "NLD",
                    "BEL",
                    "ITA",
                    "ESP",
                    "NZL",
                    "JPN",
                    "KOR",
                    "SEN",
                    "SGP",
                    "GHA",
                ],
                date(2018, 11, 12),
                date(2020, 11, 12),
            ),
            ("unesco", date(2019, 11, 12)),
            ("article-19", date(2019, 11, 12)),
            ("oecd", date(2020, 2, 3)),
        ],
    ),
    DemoInitiative(
        slug="international-partnership-for-information-and-democracy",
        title="International Partnership for Information and Democracy",
        title_fr="Partenariat international pour l'information et la démocratie",
        summary=(
            "States committed to free, pluralistic and reliable information, the "
            "foundation of democratic debate."
        ),
        description=(
            "Signed on 26 September 2019 in New York by France with Burkina Faso, Canada, "
            "Costa Rica, Denmark, Latvia, Lebanon, Lithuania, Norway, Senegal, Switzerland "
            "and Tunisia. In 2020 its members formed a working group on the *infodemic*.\n\n"
            "Requests to join are decided by the co-chairs."
        ),
        axis=Axis.GOVERNANCE_GAPS,
        join_policy=JoinPolicy.APPROVAL,
        launched_on=date(2019, 9, 26),
        co_chairs=["FRA", "CAN"],
        members=[
            *(
                (code, date(2019, 9, 26))
                for code in [
                    "FRA",
                    "BFA",
                    "CAN",
                    "CRI",
                    "DNK",
                    "LVA",
                    "LBN",
                    "LTU",
                    "NOR",
                    "SEN",
                    "CHE",
                    "TUN",
                ]
            ),
            ("ALB", date(2021, 6, 1)),
            ("IRL", date(2021, 11, 12)),
            ("NER", date(2022, 3, 8)),
            ("BRA", date(2023, 5, 3)),
            ("MDA", date(2023, 11, 10)),
            ("rsf", date(2019, 9, 26)),
        ],
        invited=[
            ("USA", date(2022, 11, 12), "Following your announcement, you are warmly invited."),
            ("URY", date(2022, 11, 12), "Following your announcement, you are warmly invited."),
        ],
    ),
    DemoInitiative(
        slug="climate-and-security-group-of-friends",
        title="Climate and security: Group of Friends",
        summary=(
            "A Group of Friends at the United Nations that brings the security risks of "
            "climate change to the attention of the Security Council and the wider UN."
        ),
        description=(
            "Founded by **Germany and Nauru** on 1 August 2018, with 27 states at its "
            "founding. The Group exchanges on climate-related security risks and supports "
            "the UN's Climate Security Mechanism."
        ),
        axis=Axis.GOVERNANCE_GAPS,
        join_policy=JoinPolicy.APPROVAL,
        launched_on=date(2018, 8, 1),
        co_chairs=["DEU", "NRU"],
        members=[
            ("DEU", date(2018, 8, 1)),
            ("NRU", date(2018, 8, 1)),
            *_spread(
                [
                    "FRA",
                    "BEL",
                    "NLD",
                    "SWE",
                    "ITA",
                    "JPN",
                    "MDV",
                    "TUV",
                    "MHL",
                    "FJI",
                    "VUT",
                    "PLW",
                    "KIR",
                    "NOR",
                    "IRL",
                    "CAN",
                    "MEX",
                    "NER",
                ],
                date(2018, 8, 1),
                date(2019, 9, 26),
            ),
        ],
        pending=[("CHL", date(2021, 10, 4), "Chile would like to join the Group.")],
    ),
    DemoInitiative(
        slug="gender-at-the-centre",
        title="Gender at the Centre",
        summary=(
            "Putting gender equality at the heart of education systems in Africa, with "
            "pilot countries and education partners."
        ),
        description=(
            "Launched by the G7 education and development ministers under the French "
            "presidency on 5 July 2019. Pilot countries plan education sector reforms "
            "with the support of UNGEI and IIEP-UNESCO.\n\n"
            "Participation is by invitation of the co-chairs."
        ),
        axis=Axis.INSTITUTIONAL_REFORM,
        join_policy=JoinPolicy.INVITATION,
        launched_on=date(2019, 7, 5),
        co_chairs=["FRA"],
        members=[
            ("FRA", date(2019, 7, 5)),
            *(
                (code, date(2019, 7, 5))
                for code in ["BFA", "TCD", "MLI", "MRT", "NER", "MOZ", "NGA", "SLE"]
            ),
            ("ungei", date(2019, 7, 5)),
            ("iiep-unesco", date(2019, 7, 5)),
        ],
        invited=[("GHA", date(2021, 3, 8), "We would welcome Ghana's experience.")],
    ),
    DemoInitiative(
        slug="eleven-guiding-principles-on-lethal-autonomous-weapons-systems",
        title="Eleven guiding principles on lethal autonomous weapons systems",
        summary=(
            "Endorsing the eleven guiding principles on lethal autonomous weapons systems "
            "and carrying forward work on a normative and operational framework."
        ),
        description=(
            "Promoted by **France and Germany** in 2019 after the Group of Governmental "
            "Experts of the Convention on Certain Conventional Weapons agreed on eleven "
            "guiding principles, among them that international humanitarian law applies "
            "fully to these systems and that human responsibility for decisions on the use "
            "of weapons must be retained."
        ),
        axis=Axis.INTERNATIONAL_LAW,
        join_policy=JoinPolicy.APPROVAL,
        launched_on=date(2019, 11, 15),
        co_chairs=["FRA", "DEU"],
        members=[
            ("FRA", date(2019, 11, 15)),
            ("DEU", date(2019, 11, 15)),
            *_spread(
                ["BEL", "NLD", "CHE", "NOR", "MEX", "CAN", "ITA", "ESP"],
                date(2019, 11, 20),
                date(2020, 9, 25),
            ),
        ],
        pending=[("SGP", date(2021, 9, 23), "Singapore would like to endorse the principles.")],
    ),
    DemoInitiative(
        slug="inclusive-governance-of-international-organizations",
        title="Inclusive governance of international organizations",
        summary=(
            "Making international organizations more inclusive, representative and "
            "transparent, starting with how their governing bodies take decisions."
        ),
        description=(
            "Proposed by Ghana. The initiative would compare governance practices across "
            "UN agencies and propose concrete reforms to member states.\n\n"
            "*Waiting for the Secretariat to activate it.*"
        ),
        axis=Axis.INSTITUTIONAL_REFORM,
        join_policy=JoinPolicy.APPROVAL,
        launched_on=date(2021, 10, 1),
        co_chairs=["GHA"],
        members=[("GHA", date(2021, 9, 30))],
        status=InitiativeStatus.PROPOSED,
    ),
]
