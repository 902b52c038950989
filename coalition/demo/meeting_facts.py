"""The demo's meetings, from the public record (/work/shared/DEMO-FACTS.md): the
Alliance's ministerial meetings since 2019 in their venues' zones, and a few upcoming
ones in several zones. Loaded by coalition.demo.meetings."""

from __future__ import annotations

from dataclasses import dataclass, field

from coalition.meetings.models import (
    DelegationLevel,
    DocumentKind,
    DocumentLanguage,
    DocumentStatus,
    MeetingFormat,
    MeetingStatus,
    RsvpResponse,
    Visibility,
)

A, T, D = RsvpResponse.ATTENDING, RsvpResponse.TENTATIVE, RsvpResponse.DECLINED
MIN, VICE, AMB, HEAD = (
    DelegationLevel.MINISTER,
    DelegationLevel.VICE_MINISTER,
    DelegationLevel.AMBASSADOR,
    DelegationLevel.HEAD_OF_STATE,
)
SENIOR, EXPERT = DelegationLevel.SENIOR_OFFICIAL, DelegationLevel.EXPERT


@dataclass
class DemoMeeting:
    title: str
    body: str | None  # an initiative's slug; None: Alliance-wide
    timezone: str
    start: str
    end: str
    format: MeetingFormat
    venue: str = ""
    description: str = ""
    visibility: Visibility = Visibility.PUBLIC
    online_url: str = ""
    invitee_note: str = ""
    status: MeetingStatus = MeetingStatus.HELD
    agenda: list[str] = field(default_factory=list)
    #: (code, response, level, head of delegation, other delegates)
    answers: list[tuple] = field(default_factory=list)
    guests: list[str] = field(default_factory=list)
    #: (kind, [(language, title, status, Markdown)])
    documents: list[tuple] = field(default_factory=list)


MINUTES_2019_EN = """The ministers launched the Alliance for Multilateralism, convened by France and
Germany with Canada, Chile, Ghana, Mexico and Singapore.

- About fifty foreign ministers took part.
- They endorsed six initiatives, among them the Humanitarian Call for Action and the
  International Partnership for Information and Democracy.
- They agreed to meet again at the Paris Peace Forum."""
MINUTES_2019_FR = """Les ministres ont lancé l'Alliance pour le multilatéralisme, convoquée par la
France et l'Allemagne avec le Canada, le Chili, le Ghana, le Mexique et Singapour.

- Une cinquantaine de ministres des affaires étrangères y ont pris part.
- Ils ont soutenu six initiatives, dont l'Appel à l'action humanitaire et le Partenariat
  international pour l'information et la démocratie.
- Ils sont convenus de se retrouver au Forum de Paris sur la Paix."""

MEETINGS = [
    DemoMeeting(
        "Ministerial meeting of the Alliance for Multilateralism",
        None,
        "America/New_York",
        "2019-09-26T15:00",
        "2019-09-26T17:30",
        MeetingFormat.IN_PERSON,
        venue="United Nations Headquarters, New York (74th General Assembly)",
        description="The launch of the Alliance on the margins of the 74th UN General Assembly.",
        agenda=[
            "Opening by the Ministers of France and Germany",
            "Why multilateralism now",
            "Six initiatives for 2019-2020",
            "Declaration of principles",
            "Next steps",
        ],
        answers=[
            ("FRA", A, MIN, "Minister for Europe and Foreign Affairs", ["Director for the UN"]),
            ("DEU", A, MIN, "Federal Foreign Minister", ["Political Director"]),
            ("CAN", A, MIN, "Minister of Foreign Affairs", []),
            ("CHL", A, MIN, "Minister of Foreign Affairs", []),
            ("GHA", A, MIN, "Minister for Foreign Affairs", ["Permanent Representative"]),
            ("MEX", A, VICE, "Deputy Minister for Multilateral Affairs", []),
            ("SGP", A, MIN, "Minister for Foreign Affairs", []),
            ("NOR", A, AMB, "Permanent Representative", []),
            ("SEN", T, None, "", []),
            ("KEN", D, None, "", []),
        ],
        documents=[
            (
                DocumentKind.MINUTES,
                [
                    (
                        DocumentLanguage.EN,
                        "Minutes of the launch",
                        DocumentStatus.FINAL,
                        MINUTES_2019_EN,
                    ),
                    (
                        DocumentLanguage.FR,
                        "Compte rendu du lancement",
                        DocumentStatus.FINAL,
                        MINUTES_2019_FR,
                    ),
                ],
            ),
            (
                DocumentKind.OUTCOME,
                [
                    (
                        DocumentLanguage.EN,
                        "Declaration of principles",
                        DocumentStatus.FINAL,
                        "We are convinced that strong multilateral cooperation, based on the "
                        "Charter of the United Nations, is the indispensable foundation of "
                        "peace.",
                    )
                ],
            ),
        ],
    ),
    DemoMeeting(
        "Digital governance at the Paris Peace Forum",
        "paris-call-for-trust-and-security-in-cyberspace",
        "Europe/Paris",
        "2019-11-12T10:00",
        "2019-11-12T12:00",
        MeetingFormat.IN_PERSON,
        venue="Grande halle de la Villette, Paris",
        agenda=[
            "The Paris Call, one year on",
            "Norms of responsible behaviour",
            "Partners' pledges",
        ],
        answers=[
            (
                "FRA",
                A,
                MIN,
                "Minister for Europe and Foreign Affairs",
                ["Ambassador for Digital Affairs"],
            )
        ],
        documents=[
            (
                DocumentKind.MINUTES,
                [
                    (
                        DocumentLanguage.EN,
                        "Summary of the session",
                        DocumentStatus.FINAL,
                        "Participants reaffirmed the nine principles of the Paris Call.",
                    )
                ],
            )
        ],
    ),
    DemoMeeting(
        "Alliance meeting on the margins of the Human Rights Council",
        "humanitarian-call-for-action",
        "Europe/Zurich",
        "2020-02-24T13:15",
        "2020-02-24T14:45",
        MeetingFormat.IN_PERSON,
        venue="Palais des Nations, Room XXIV, Geneva",
        agenda=["Respect for international humanitarian law", "Protection of humanitarian workers"],
        answers=[
            ("FRA", A, MIN, "Minister for Europe and Foreign Affairs", []),
            ("DEU", A, MIN, "Federal Foreign Minister", []),
            ("IRL", A, AMB, "Permanent Representative", []),
        ],
        guests=["icrc"],
    ),
    DemoMeeting(
        "Virtual ministerial meeting on COVID-19",
        None,
        "Europe/Paris",
        "2020-04-16T16:00",
        "2020-04-16T18:00",
        MeetingFormat.VIRTUAL,
        description="Ministers of the Alliance on the response to the pandemic.",
        online_url="https://video.example.org/alliance-covid-19",
        visibility=Visibility.MEMBERS,
        agenda=["Global health cooperation", "Fighting the infodemic"],
        answers=[
            ("FRA", A, MIN, "Minister for Europe and Foreign Affairs", []),
            ("DEU", A, MIN, "Federal Foreign Minister", []),
            ("GHA", A, VICE, "Deputy Minister", []),
            ("SGP", T, None, "", []),
        ],
    ),
    DemoMeeting(
        "Alliance ministerial at the 76th General Assembly",
        None,
        "America/New_York",
        "2021-09-23T09:00",
        "2021-09-23T11:00",
        MeetingFormat.HYBRID,
        venue="French Permanent Mission, New York",
        online_url="https://video.example.org/unga76",
        agenda=["Vaccine equity", "Climate and security", "Information and democracy"],
        answers=[
            ("FRA", A, MIN, "Minister for Europe and Foreign Affairs", []),
            ("DEU", A, MIN, "Federal Foreign Minister", []),
            ("CAN", A, MIN, "Minister of Foreign Affairs", []),
            ("MEX", A, SENIOR, "Under-Secretary", []),
        ],
        documents=[
            (
                DocumentKind.MINUTES,
                [
                    (
                        DocumentLanguage.EN,
                        "Chair's summary",
                        DocumentStatus.FINAL,
                        "More than seventy ministers took part, in person and online.",
                    )
                ],
            )
        ],
    ),
    DemoMeeting(
        "Working session: governance of international organizations",
        "inclusive-governance-of-international-organizations",
        "Africa/Accra",
        "2026-12-03T15:00",
        "2026-12-03T17:00",
        MeetingFormat.HYBRID,
        status=MeetingStatus.SCHEDULED,
        venue="Accra International Conference Centre",
        online_url="https://video.example.org/accra-session",
        invitee_note="Badges at the north gate from 14:15.",
        visibility=Visibility.MEMBERS,
        agenda=[
            "Adoption of the agenda",
            "Representation in governing bodies",
            "Any other business",
        ],
        answers=[("GHA", A, AMB, "Ambassador, Director for Multilateral Affairs", ["Counsellor"])],
    ),
    DemoMeeting(
        "Information and democracy: annual meeting of the Partnership",
        "international-partnership-for-information-and-democracy",
        "America/Toronto",
        "2027-01-21T10:00",
        "2027-01-21T12:30",
        MeetingFormat.IN_PERSON,
        status=MeetingStatus.SCHEDULED,
        venue="Lester B. Pearson Building, Ottawa",
        agenda=[
            "Report of the Forum on Information and Democracy",
            "New members",
            "Work plan 2027",
        ],
        answers=[
            ("CAN", A, MIN, "Minister of Foreign Affairs", ["Director General"]),
            ("FRA", A, AMB, "Ambassador for Digital Affairs", []),
            ("SEN", T, None, "", []),
        ],
    ),
    DemoMeeting(
        "Cyber norms dialogue in Singapore",
        "paris-call-for-trust-and-security-in-cyberspace",
        "Asia/Singapore",
        "2027-02-17T09:30",
        "2027-02-17T12:00",
        MeetingFormat.HYBRID,
        status=MeetingStatus.SCHEDULED,
        venue="Marina Bay Sands Expo, Singapore",
        online_url="https://video.example.org/cyber-sg",
        agenda=["Threats to critical infrastructure", "Capacity building"],
    ),
    DemoMeeting(
        "Experts' call on humanitarian access",
        "humanitarian-call-for-action",
        "America/Santiago",
        "2027-03-10T11:00",
        "2027-03-10T12:30",
        MeetingFormat.VIRTUAL,
        status=MeetingStatus.SCHEDULED,
        online_url="https://video.example.org/ihl-experts",
        visibility=Visibility.MEMBERS,
        agenda=["Access in armed conflict", "Draft guidance note"],
        answers=[("FRA", A, EXPERT, "Legal adviser", [])],
    ),
]
