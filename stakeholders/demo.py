"""The demo company, Northwind Outfitters, whose social media COE is a marketing/PR clubhouse.

`demo_bundle(today)` builds the company as an org bundle (`roundtable-org/1`); the
same `today` always gives the same bundle (a seeded random.Random, no clock). All
dates are relative to `today` and none is after it, so the demo looks current on
whatever day it is built. `demo_seed` imports it through `stakeholders.bundle`
(which matches records by natural key, so seeding twice changes nothing) and makes
the three demo users.

The story the data tells:
- The COE is run by marketing and corporate communications: they hold nearly all
  current seats, mostly directors; the lead seat is the Director of Social Media.
- Customer Care (headed by the `head` user), Retail Stores, the EMEA region and
  Talent Acquisition run accounts of their own and have no seat.
- The Customer Advisory Panel's nomination has waited for weeks (stale); a
  Community Manager was nominated a few days ago; nobody speaks for employees.
- Legal's advisor has missed the last meetings; two social media managers have
  left the company and still manage accounts; one account is claimed by nobody
  (unverified) and one is owned by nobody (orphan).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from stakeholders import bundle
from stakeholders.models import Department, Person, Seat

COMPANY = "Northwind Outfitters"
DOMAIN = "northwind.test"
SEED = 20_240_611
PASSWORD = "roundtable"
TARGET_PEOPLE = 250
MEETINGS = 8

IC, MANAGER, DIRECTOR, EXECUTIVE = "individual_contributor", "manager", "director", "executive"
BU, FUNCTION, REGION, TEAM = "business_unit", "function", "region", "team"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def email_of(name: str, domain: str = DOMAIN) -> str:
    """first.last@domain, in plain lower-case ASCII ("James O'Connor" → james.oconnor@…)."""
    local = _ascii(name).replace("'", "").replace(" ", ".")
    return f"{local}@{domain}"


class Dept(NamedTuple):
    key: str
    name: str
    parent: str | None
    kind: str
    function: str
    headcount: int
    customer_facing: bool
    influence: int = 3
    interest: int = 3


class Someone(NamedTuple):
    """A person who matters to the story; `expertise` is space-separated tags."""

    name: str
    title: str
    seniority: str | None
    department: str | None
    expertise: str = ""
    active: bool = True
    domain: str = DOMAIN

    @property
    def email(self) -> str:
        return email_of(self.name, self.domain)


class SeatRow(NamedTuple):
    """Dates are days before `today` (None: no date)."""

    person: str  # a name from KEY_PEOPLE
    department: str | None
    group: str | None
    role: str
    status: str
    nominated: int
    decided: int | None = None
    start: int | None = None
    end: int | None = None


class AccountRow(NamedTuple):
    platform: str
    handle: str
    owner: str | None
    status: str  # or "quiet": active, yet silent for months (a dormant_account finding)
    purpose: str
    followers: int  # about this many; the demo varies it by up to ±20%


# Three levels; marketing and communications are small, the customer-facing silos large.
DEPARTMENTS = [
    Dept("exec", "Executive Office", None, BU, "executive", 12, False, 5, 3),
    Dept("mkt", "Marketing", None, BU, "marketing", 14, True, 4, 5),
    Dept("mkt-brand", "Brand Marketing", "mkt", FUNCTION, "marketing", 18, True, 4, 5),
    Dept("mkt-social", "Social Media Team", "mkt-brand", TEAM, "marketing", 9, True, 3, 5),
    Dept("mkt-creative", "Creative Studio", "mkt-brand", TEAM, "marketing", 16, False, 2, 4),
    Dept("mkt-growth", "Growth Marketing", "mkt", FUNCTION, "marketing", 12, True, 3, 4),
    Dept("mkt-paid-social", "Paid Social", "mkt-growth", TEAM, "marketing", 6, True, 2, 5),
    Dept("mkt-crm", "CRM & Loyalty", "mkt-growth", TEAM, "marketing", 10, True, 2, 3),
    Dept("mkt-product", "Product Marketing", "mkt", FUNCTION, "marketing", 11, True, 3, 4),
    Dept("mkt-events", "Events & Sponsorships", "mkt", TEAM, "marketing", 8, True, 2, 4),
    Dept("mkt-print", "Print Advertising", "mkt", TEAM, "marketing", 0, False, 1, 1),
    Dept("comms", "Corporate Communications", None, FUNCTION, "communications", 6, False, 4, 5),
    Dept("comms-pr", "Public Relations", "comms", FUNCTION, "communications", 9, True, 4, 5),
    Dept("comms-media", "Media Relations", "comms-pr", TEAM, "communications", 5, True, 3, 4),
    Dept("comms-internal", "Internal Communications", "comms", TEAM, "communications", 7, False),
    Dept("comms-exec", "Executive Communications", "comms", TEAM, "communications", 4, False, 4),
    Dept("cx", "Customer Experience", None, BU, "customer_support", 20, True, 4, 3),
    Dept("cx-care", "Customer Care", "cx", FUNCTION, "customer_support", 180, True, 3, 5),
    Dept("cx-social-care", "Social Care", "cx-care", TEAM, "customer_support", 24, True, 2, 5),
    Dept("cx-community", "Community & Forums", "cx", TEAM, "customer_support", 8, True, 2, 5),
    Dept("cx-returns", "Returns & Warranty", "cx", TEAM, "customer_support", 45, True, 2, 2),
    Dept("sales", "Sales", None, BU, "sales", 15, True, 5, 3),
    Dept("sales-ecom", "E-commerce", "sales", FUNCTION, "sales", 40, True, 4, 4),
    Dept("sales-retail", "Retail Stores", "sales", FUNCTION, "sales", 420, True, 3, 3),
    Dept("sales-wholesale", "Wholesale & Partnerships", "sales", TEAM, "sales", 25, True, 3, 2),
    Dept("emea", "EMEA", None, REGION, "sales", 35, True, 4, 3),
    Dept("emea-dach", "DACH", "emea", TEAM, "sales", 110, True, 3, 3),
    Dept("emea-nordics", "Nordics", "emea", TEAM, "sales", 55, True, 2, 3),
    Dept("apac", "APAC", None, REGION, "sales", 25, True, 3, 2),
    Dept("apac-japan", "Japan", "apac", TEAM, "sales", 80, True, 2, 3),
    Dept("people", "People & Culture", None, FUNCTION, "hr", 18, False, 3, 3),
    Dept("people-talent", "Talent Acquisition", "people", TEAM, "hr", 22, True, 2, 4),
    Dept("people-employer-brand", "Employer Brand", "people-talent", TEAM, "hr", 4, True, 2, 5),
    Dept("people-learning", "Learning & Development", "people", TEAM, "hr", 9, False, 2, 2),
    Dept("legal", "Legal", None, FUNCTION, "legal", 14, False, 4, 2),
    Dept("legal-compliance", "Compliance & Privacy", "legal", TEAM, "compliance", 8, False, 4, 3),
    Dept("product", "Product & Design", None, BU, "product", 20, False, 4, 3),
    Dept("product-apparel", "Apparel Design", "product", TEAM, "product", 35, False, 3, 2),
    Dept("product-gear", "Gear & Equipment", "product", TEAM, "product", 30, False, 3, 3),
    Dept("eng", "Digital Engineering", None, FUNCTION, "engineering", 70, False, 3, 2),
    Dept("eng-data", "Data & Analytics", "eng", TEAM, "engineering", 18, False, 3, 3),
    Dept("it", "IT & Security", None, FUNCTION, "it_security", 30, False, 3, 3),
    Dept("finance", "Finance", None, FUNCTION, "finance", 28, False, 4, 1),
    Dept("ops", "Operations & Supply Chain", None, BU, "operations", 160, False, 4, 1),
    Dept("ops-logistics", "Logistics", "ops", TEAM, "operations", 140, False, 2, 1),
]
ARCHIVED = {"mkt-print"}  # merged into Creative Studio; kept for its history

KEY_PEOPLE = [
    Someone("Helena Marsh", "Chief Executive Officer", EXECUTIVE, "exec"),
    Someone("Priya Raman", "VP Marketing", EXECUTIVE, "mkt", "analytics"),
    Someone("Tom Becker", "Director of Brand", DIRECTOR, "mkt-brand"),
    Someone(
        "Maya Lindqvist",
        "Director of Social Media",
        DIRECTOR,
        "mkt-social",
        "community crisis-comms social-listening",
    ),
    Someone("Jonas Weber", "Creative Director", DIRECTOR, "mkt-creative", "video"),
    Someone("Aisha Khan", "Director of Growth", DIRECTOR, "mkt-growth", "analytics paid-social"),
    Someone("Leo Martins", "Paid Social Manager", MANAGER, "mkt-paid-social", "paid-social"),
    Someone("Grace Liu", "Director of Product Marketing", DIRECTOR, "mkt-product"),
    Someone("Robert Hale", "VP Corporate Communications", EXECUTIVE, "comms", "crisis-comms"),
    Someone(
        "Sofia Moreno",
        "Director of Public Relations",
        DIRECTOR,
        "comms-pr",
        "media-relations crisis-comms",
    ),
    Someone("Ethan Brooks", "Media Relations Manager", MANAGER, "comms-media", "media-relations"),
    Someone(
        "Nadia Petrova",
        "Director of Internal Communications",
        DIRECTOR,
        "comms-internal",
        "employer-brand",
    ),
    Someone("Marcus Chen", "Senior Counsel", DIRECTOR, "legal", "legal-review"),
    Someone("Linda Alvarez", "VP Customer Experience", EXECUTIVE, "cx", "customer-care"),
    Someone(
        "Daniel Okafor",
        "Director of Customer Care",
        DIRECTOR,
        "cx-care",
        "customer-care crisis-comms",
    ),
    # Knows more about social media than most seat holders; holds no seat.
    Someone(
        "Amara Nwosu",
        "Social Care Specialist",
        IC,
        "cx-social-care",
        "customer-care community crisis-comms social-listening localization",
    ),
    Someone("Yuki Tanaka", "Community Manager", MANAGER, "cx-community", "community customer-care"),
    Someone("James O'Connor", "VP Sales", EXECUTIVE, "sales"),
    Someone("Carlos Diaz", "E-commerce Manager", MANAGER, "sales-ecom", "analytics paid-social"),
    Someone("Lukas Schneider", "Managing Director EMEA", EXECUTIVE, "emea", "localization"),
    Someone("Fatima Zahra", "Chief People Officer", EXECUTIVE, "people"),
    Someone("Rachel Adams", "Director of Talent Acquisition", DIRECTOR, "people-talent"),
    Someone("Hannah Schmidt", "Employer Brand Specialist", IC, "people-employer-brand", "video"),
    # Left the company; still listed as managers of accounts.
    Someone("Kevin Doyle", "Social Media Manager", MANAGER, "mkt-social", "community", False),
    Someone("Anna Kowalski", "Regional Marketing Manager", MANAGER, "emea", "localization", False),
    # Outside the company: the agency, the PR firm, customers.
    Someone(
        "Olivia Grant", "Account Director, Brightlane", DIRECTOR, None, domain="brightlane.test"
    ),
    Someone(
        "Noah Fischer", "Strategist, Brightlane", IC, None, "analytics", domain="brightlane.test"
    ),
    Someone(
        "Mia Rossi", "Partner, Peak PR", EXECUTIVE, None, "media-relations", domain="peakpr.test"
    ),
    Someone("Samuel Ortiz", "Trail club captain", None, None, "community", domain="trailmail.test"),
    Someone("Lena Berg", "Outdoor guide", None, None, domain="trailmail.test"),
    Someone("Ravi Patel", "Gear reviewer", None, None, "video", domain="trailmail.test"),
]
PEOPLE_BY_NAME = {person.name: person for person in KEY_PEOPLE}
HEADS = {
    "exec": "Helena Marsh",
    "mkt": "Priya Raman",
    "comms": "Robert Hale",
    "cx": "Linda Alvarez",
    "cx-care": "Daniel Okafor",  # the `head` user
    "sales": "James O'Connor",
    "emea": "Lukas Schneider",
    "people": "Fatima Zahra",
}
LEAD, HEAD, HEAD_DEPARTMENT = "Maya Lindqvist", "Daniel Okafor", "cx-care"
GROUPS = [
    ("customer-advisory-panel", "Customer Advisory Panel", "customers"),
    ("employee-ambassadors", "Employee Ambassadors", "employees"),
    ("agency-partners", "Agency Partners", "partners"),
]

SEATS = [
    SeatRow("Maya Lindqvist", "mkt", None, "lead", "approved", 400, 396, 396),
    SeatRow("Tom Becker", "mkt-brand", None, "core", "approved", 400, 396, 396),
    SeatRow("Aisha Khan", "mkt-growth", None, "core", "approved", 390, 385, 385),
    SeatRow("Sofia Moreno", "comms-pr", None, "core", "approved", 400, 396, 396),
    SeatRow("Nadia Petrova", "comms-internal", None, "core", "approved", 380, 372, 372),
    SeatRow("Ethan Brooks", "comms-media", None, "core", "approved", 330, 325, 325),
    SeatRow("Leo Martins", "mkt-paid-social", None, "core", "approved", 330, 321, 321),
    SeatRow("Jonas Weber", "mkt-creative", None, "extended", "approved", 300, 294, 294),
    SeatRow("Robert Hale", "comms", None, "advisor", "approved", 400, 396, 396),
    SeatRow("Marcus Chen", "legal", None, "advisor", "approved", 360, 350, 350),
    SeatRow("Grace Liu", "mkt-product", None, "core", "approved", 160, 152, 152),
    SeatRow("Olivia Grant", None, "agency-partners", "extended", "approved", 340, 333, 333),
    # Sales once had a seat; it ended when the e-commerce manager's term ran out.
    SeatRow("Carlos Diaz", "sales-ecom", None, "core", "ended", 380, 372, 372, 120),
    SeatRow("Hannah Schmidt", "people-employer-brand", None, "extended", "declined", 210, 200),
    # A customer voice waiting for weeks (stale), and a fresh nomination.
    SeatRow("Samuel Ortiz", None, "customer-advisory-panel", "advisor", "nominated", 38),
    SeatRow("Yuki Tanaka", "cx-community", None, "core", "nominated", 4),
]
# Seat holders who miss meetings: name → chance of being present (others: 0.9).
ATTENDANCE_ODDS = {"Jonas Weber": 0.5, "Robert Hale": 0.6}
NO_SHOWS_RECENTLY = {"Marcus Chen"}  # absent from the last four meetings

ACCOUNTS = [
    AccountRow("x", "NorthwindOutfit", "mkt-social", "active", "brand", 100_000),
    AccountRow("instagram", "northwindoutfitters", "mkt-social", "active", "brand", 320_000),
    AccountRow("facebook", "NorthwindOutfitters", "mkt-social", "active", "brand", 185_000),
    AccountRow("tiktok", "northwindoutfitters", "mkt-social", "active", "brand", 140_000),
    AccountRow("threads", "northwindoutfitters", "mkt-social", "active", "brand", 30_000),
    AccountRow(
        "bluesky", "northwindoutfitters.bsky.social", "mkt-social", "active", "brand", 6_000
    ),
    AccountRow("pinterest", "northwindoutfitters", "mkt-social", "active", "brand", 45_000),
    AccountRow("mastodon", "northwind", "mkt-social", "dormant", "brand", 1_400),
    AccountRow("other", "northwind-plus", "mkt-social", "retired", "brand", 3_000),
    AccountRow("youtube", "NorthwindOutfitters", "mkt-creative", "active", "brand", 65_000),
    AccountRow("youtube", "NorthwindFilms", "mkt-creative", "active", "brand", 18_000),
    AccountRow("instagram", "northwind.studio", "mkt-creative", "dormant", "brand", 6_000),
    AccountRow("tiktok", "northwind.trail", "mkt-paid-social", "active", "product", 22_000),
    AccountRow("instagram", "northwind_gearlab", "mkt-product", "active", "product", 32_000),
    AccountRow("youtube", "NorthwindGearLab", "mkt-product", "active", "product", 21_000),
    AccountRow("x", "NorthwindGear", "mkt-product", "quiet", "product", 7_000),
    AccountRow("instagram", "northwind_basecamp_fest", "mkt-events", "active", "other", 9_000),
    AccountRow("facebook", "NorthwindBasecampFest", "mkt-events", "dormant", "other", 5_000),
    AccountRow("other", "northwind-deals-whatsapp", "mkt-crm", "active", "product", 16_000),
    AccountRow("linkedin", "northwind-outfitters", "comms", "active", "brand", 75_000),
    AccountRow("x", "NorthwindNews", "comms-pr", "active", "brand", 20_000),
    AccountRow("threads", "northwind.news", "comms-pr", "active", "brand", 3_500),
    AccountRow("bluesky", "northwindnews.bsky.social", "comms-pr", "active", "brand", 2_000),
    AccountRow("other", "northwind-all-hands", "comms-internal", "active", "other", 2_300),
    AccountRow("linkedin", "helena-marsh", "comms-exec", "active", "executive", 24_000),
    AccountRow("x", "HelenaMarshCEO", "comms-exec", "dormant", "executive", 6_000),
    AccountRow("x", "NorthwindHelp", "cx-care", "active", "support", 40_000),
    AccountRow("facebook", "NorthwindHelp", "cx-care", "active", "support", 27_000),
    AccountRow("instagram", "northwindhelp", "cx-care", "active", "support", 11_000),
    AccountRow("youtube", "NorthwindHowTo", "cx-care", "active", "support", 42_000),
    AccountRow("threads", "northwindhelp", "cx-social-care", "active", "support", 2_000),
    AccountRow("bluesky", "northwindhelp.bsky.social", "cx-social-care", "dormant", "support", 600),
    AccountRow("reddit", "NorthwindOutfitters", "cx-community", "active", "support", 24_000),
    AccountRow("other", "northwind-trail-club", "cx-community", "active", "other", 8_500),
    AccountRow("mastodon", "northwind_trails", "cx-community", "retired", "other", 400),
    AccountRow("x", "NorthwindReturns", "cx-returns", "retired", "support", 1_500),
    AccountRow("instagram", "northwind.shop", "sales-ecom", "active", "product", 55_000),
    AccountRow("pinterest", "northwindshop", "sales-ecom", "active", "product", 14_000),
    AccountRow("tiktok", "northwind.shop", "sales-ecom", "active", "product", 42_000),
    AccountRow("facebook", "NorthwindOutlet", "sales-ecom", "dormant", "product", 13_000),
    AccountRow("instagram", "northwind_seattle", "sales-retail", "active", "regional", 5_000),
    AccountRow("instagram", "northwind_denver", "sales-retail", "active", "regional", 3_500),
    AccountRow("facebook", "NorthwindPortland", "sales-retail", "active", "regional", 2_800),
    AccountRow("facebook", "NorthwindBoulder", "sales-retail", "dormant", "regional", 1_400),
    AccountRow("linkedin", "northwind-wholesale", "sales-wholesale", "active", "other", 3_000),
    AccountRow("instagram", "northwind_uk", "emea", "active", "regional", 22_000),
    AccountRow("x", "NorthwindUK", "emea", "active", "regional", 9_000),
    AccountRow("instagram", "northwind_de", "emea-dach", "active", "regional", 27_000),
    AccountRow("facebook", "NorthwindDeutschland", "emea-dach", "active", "regional", 13_000),
    AccountRow("instagram", "northwind_nordic", "emea-nordics", "active", "regional", 10_000),
    AccountRow("x", "NorthwindAPAC", "apac", "dormant", "regional", 3_000),
    AccountRow("x", "NorthwindJP", "apac-japan", "active", "regional", 18_000),
    AccountRow("instagram", "northwind.jp", "apac-japan", "active", "regional", 24_000),
    AccountRow("other", "northwind_jp", "apac-japan", "active", "regional", 40_000),  # LINE
    AccountRow("linkedin", "northwind-careers", "people-talent", "active", "careers", 35_000),
    AccountRow("instagram", "lifeatnorthwind", "people-talent", "active", "careers", 7_000),
    AccountRow("tiktok", "lifeatnorthwind", "people-talent", "active", "careers", 5_500),
    AccountRow("youtube", "LifeAtNorthwind", "people-employer-brand", "active", "careers", 2_000),
    # Found by social listening, claimed by nobody.
    AccountRow("tiktok", "northwind_official", None, "unverified", "other", 1_800),
    # Still posting, owned by nobody since its team was reorganised.
    AccountRow("x", "NorthwindDeals", None, "active", "product", 9_500),
]
# Managers who have left and still hold access.
DEPARTED_MANAGERS = {
    ("x", "NorthwindOutfit"): "Kevin Doyle",
    ("mastodon", "northwind"): "Kevin Doyle",
    ("x", "NorthwindDeals"): "Kevin Doyle",
    ("instagram", "northwind_uk"): "Anna Kowalski",
}

# Staff are drawn from these names (space-separated to keep the lists short).
FIRST_NAMES = str.split(
    "Adam Alice Amir Ana Ben Beatriz Caleb Chloe Chen Dana David Diego Elif Ella Emil Emma "
    "Farah Felix Gabriel Hana Hugo Ines Isaac Ivy Jack Jana Jorge Julia Kai Kenji Lara Leila "
    "Liam Lucia Mateo Mei Milan Mira Nina Omar Oscar Paula Pedro Quinn Rosa Ruben Sara Sean "
    "Sven Tara Theo Uma Victor Wei Xavier Yara Yusuf Zoe Zain Ingrid Tomas Noor"
)
LAST_NAMES = str.split(
    "Abbott Andersen Baker Bauer Castillo Chowdhury Costa Dubois Eriksen Evans Ferreira "
    "Fischer Garcia Gupta Haddad Hansen Ibrahim Ito Jensen Johansson Kaur Kim Klein Larsen "
    "Lopez Mahmoud Meyer Mori Murphy Nakamura Nielsen Novak Olsen Park Quinn Reyes Rossi Sato "
    "Silva Singh Sorensen Suzuki Taylor Thompson Torres Varga Walsh Wang Yilmaz Young Zhang"
)
# Titles by function for staff below director, and the tags their work brings.
TITLES = {
    "executive": (["Chief of Staff"], ["Executive Assistant", "Strategy Analyst"]),
    "marketing": (
        ["Marketing Manager", "Content Manager"],
        ["Content Strategist", "Marketing Specialist", "Social Media Specialist", "Copywriter"],
    ),
    "communications": (
        ["Communications Manager"],
        ["Communications Specialist", "Press Officer", "Speechwriter"],
    ),
    "customer_support": (
        ["Support Team Lead", "Care Operations Manager"],
        ["Customer Care Agent", "Social Care Agent", "Support Specialist", "Knowledge Base Editor"],
    ),
    "sales": (
        ["Store Manager", "Account Manager", "Regional Sales Manager"],
        ["Sales Associate", "E-commerce Specialist", "Merchandiser", "Account Executive"],
    ),
    "hr": (["HR Business Partner", "Recruiting Manager"], ["Recruiter", "People Specialist"]),
    "legal": (["Legal Manager"], ["Counsel", "Paralegal"]),
    "compliance": (["Compliance Manager"], ["Privacy Analyst", "Compliance Analyst"]),
    "product": (["Product Manager", "Design Lead"], ["Product Designer", "Technical Designer"]),
    "engineering": (
        ["Engineering Manager"],
        ["Software Engineer", "Data Analyst", "Data Engineer"],
    ),
    "it_security": (["IT Manager"], ["Security Analyst", "Systems Administrator"]),
    "finance": (["Finance Manager"], ["Financial Analyst", "Accountant"]),
    "operations": (["Operations Manager"], ["Logistics Coordinator", "Planner"]),
}
FUNCTION_TAGS = {
    "executive": ["executive-comms"],
    "marketing": ["community", "paid-social", "analytics", "video", "influencer-marketing"],
    "communications": ["crisis-comms", "media-relations", "executive-comms"],
    "customer_support": ["customer-care", "community", "social-listening"],
    "sales": ["localization", "analytics", "customer-care"],
    "hr": ["employer-brand"],
    "legal": ["legal-review"],
    "compliance": ["legal-review", "accessibility"],
    "product": ["video", "accessibility"],
    "engineering": ["analytics", "accessibility"],
    "it_security": ["crisis-comms"],
    "finance": ["analytics"],
    "operations": ["analytics"],
}
ALL_TAGS = sorted({tag for tags in FUNCTION_TAGS.values() for tag in tags} | {"localization"})
URLS = {
    "x": "https://x.com/{}",
    "facebook": "https://www.facebook.com/{}",
    "instagram": "https://www.instagram.com/{}/",
    "linkedin": "https://www.linkedin.com/company/{}",
    "youtube": "https://www.youtube.com/@{}",
    "tiktok": "https://www.tiktok.com/@{}",
    "threads": "https://www.threads.net/@{}",
    "bluesky": "https://bsky.app/profile/{}",
    "mastodon": "https://mastodon.social/@{}",
    "reddit": "https://www.reddit.com/r/{}/",
    "pinterest": "https://www.pinterest.com/{}/",
}


def _iso(today: date, days_ago: int | None) -> str | None:
    return None if days_ago is None else (today - timedelta(days=days_ago)).isoformat()


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    return date(month_index // 12, month_index % 12 + 1, min(day.day, 28))


# --- The builder ------------------------------------------------------------------


def demo_bundle(today: date) -> dict:
    """The demo company as a `roundtable-org/1` bundle, every date on or before `today`."""
    rng = random.Random(SEED)
    people = _people(rng)
    staff: dict[str, list[str]] = {}  # department → e-mails of its active people
    for person in people:
        if person["active"] and person["department"]:
            staff.setdefault(person["department"], []).append(person["email"])
    return {
        "format": bundle.BUNDLE_FORMAT,
        "departments": [
            {
                **dept._asdict(),
                "head": PEOPLE_BY_NAME[HEADS[dept.key]].email if dept.key in HEADS else None,
                "active": dept.key not in ARCHIVED,
            }
            for dept in DEPARTMENTS
        ],
        "stakeholder_groups": [
            {"key": key, "name": name, "kind": kind} for key, name, kind in GROUPS
        ],
        "people": people,
        "seats": [
            {
                "person": PEOPLE_BY_NAME[seat.person].email,
                "department": seat.department,
                "group": seat.group,
                "role": seat.role,
                "status": seat.status,
                "nominated_at": _iso(today, seat.nominated),
                "decided_at": _iso(today, seat.decided),
                "term_start": _iso(today, seat.start),
                "term_end": _iso(today, seat.end),
            }
            for seat in SEATS
        ],
        "accounts": _accounts(rng, today, staff),
        "meetings": _meetings(rng, today),
    }


def _person(person: Someone) -> dict:
    return {
        "email": person.email,
        "name": person.name,
        "title": person.title,
        "seniority": person.seniority,
        "department": person.department,
        "expertise": sorted(person.expertise.split()),
        "active": person.active,
    }


def _people(rng: random.Random) -> list[dict]:
    people = [_person(person) for person in KEY_PEOPLE]
    taken = {p["email"] for p in people}
    led = {p.department for p in KEY_PEOPLE if p.seniority in (DIRECTOR, EXECUTIVE)}

    # Staff in proportion to headcount, at least two per active department; the
    # largest remainders take the places that rounding down leaves over.
    active = [dept for dept in DEPARTMENTS if dept.key not in ARCHIVED]
    total_headcount = sum(dept.headcount for dept in active)
    budget = TARGET_PEOPLE - len(people) - 2 * len(active)
    share = {dept.key: budget * dept.headcount / total_headcount for dept in active}
    quota = {key: 2 + int(value) for key, value in share.items()}
    left = TARGET_PEOPLE - len(people) - sum(quota.values())
    for key in sorted(share, key=lambda k: (-(share[k] % 1), k))[:left]:
        quota[key] += 1

    for dept in active:
        manager_titles, staff_titles = TITLES[dept.function]
        for i in range(quota[dept.key]):
            name = _new_name(rng, taken)
            if i == 0 and dept.key not in led:
                seniority, title = DIRECTOR, f"Head of {dept.name}"
            elif i <= quota[dept.key] // 6:
                seniority, title = MANAGER, rng.choice(manager_titles)
            else:
                seniority, title = IC, rng.choice(staff_titles)
            tags = {t for t in FUNCTION_TAGS[dept.function] if rng.random() < 0.3}
            if rng.random() < 0.15:  # the people who know answers whatever their title
                tags |= set(rng.sample(ALL_TAGS, 2))
            # A few have left the company since the registry was set up.
            left_company = seniority != DIRECTOR and rng.random() < 0.03
            person = Someone(name, title, seniority, dept.key, " ".join(tags), not left_company)
            people.append(_person(person))
    return people


def _new_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if email_of(name) not in taken:
            taken.add(email_of(name))
            return name


def _accounts(rng: random.Random, today: date, staff: dict[str, list[str]]) -> list[dict]:
    accounts = []
    for account in ACCOUNTS:
        status, days_ago = account.status, None
        if status == "quiet":
            status, days_ago = "active", rng.randint(120, 200)
        elif status == "active":
            days_ago = rng.randint(0, 21)
        elif status == "dormant":
            days_ago = rng.randint(100, 300)
        elif status == "retired":
            days_ago = rng.randint(400, 900)
        team = staff.get(account.owner, [])
        managers = set(rng.sample(team, min(len(team), rng.randint(1, 2))))
        departed = DEPARTED_MANAGERS.get((account.platform, account.handle))
        if departed:
            managers.add(PEOPLE_BY_NAME[departed].email)
        if account.platform == "linkedin" and account.purpose == "executive":
            url = f"https://www.linkedin.com/in/{account.handle}"
        else:
            url = URLS.get(account.platform, "").format(account.handle)
        accounts.append(
            {
                "platform": account.platform,
                "handle": account.handle,
                "url": url,
                "owner": account.owner,
                "status": status,
                "followers": round(account.followers * rng.uniform(0.8, 1.2)),
                "purpose": account.purpose,
                "last_post_at": _iso(today, days_ago),
                "managers": sorted(managers),
            }
        )
    return accounts


def _meetings(rng: random.Random, today: date) -> list[dict]:
    """Monthly meetings, the latest a few days ago, with the seat holders of the day."""
    latest = today - timedelta(days=3)
    meetings = []
    for months_back in range(MEETINGS - 1, -1, -1):
        day = _months_before(latest, months_back)
        attendance = {}
        for seat in SEATS:
            if seat.status not in ("approved", "ended"):
                continue
            began = today - timedelta(days=seat.start)
            ended = today - timedelta(days=seat.end) if seat.end is not None else None
            if began > day or (ended is not None and ended < day):
                continue
            if seat.person in NO_SHOWS_RECENTLY and months_back < 4:
                present = False
            else:
                present = rng.random() < ATTENDANCE_ODDS.get(seat.person, 0.9)
            attendance[PEOPLE_BY_NAME[seat.person].email] = present
        meetings.append({"date": day.isoformat(), "title": "COE monthly", "attendance": attendance})
    return meetings


# --- Seeding ----------------------------------------------------------------------


@dataclass
class SeedResult:
    summary: bundle.ImportSummary
    rebuilt: bool
    users_created: list[str]


def demo_seed(*, today: date, replace: bool = False) -> SeedResult:
    """Import the demo for `today` and make the users `lead`, `head` and `admin`.

    Idempotent for a given day. The seats are matched on the day they were
    nominated, which moves with `today`; a demo seeded on another day is rebuilt
    from scratch (replace) rather than added to.
    """
    data = demo_bundle(today)
    with transaction.atomic():
        users, created = _ensure_users()
        rebuilt = replace or _seeded_on_another_day(data)
        # The demo's heads sign in with the demo password: no invitations to mail.
        summary = bundle.import_bundle(data, replace=rebuilt, invite=False)
        _link(users["lead"], PEOPLE_BY_NAME[LEAD].email)
        _link(users["head"], PEOPLE_BY_NAME[HEAD].email)
        department = Department.objects.get(key=HEAD_DEPARTMENT)
        if department.head_id != users["head"].pk:
            department.head = users["head"]
            department.save(update_fields=["head"])
    return SeedResult(summary=summary, rebuilt=rebuilt, users_created=created)


def _seeded_on_another_day(data: dict) -> bool:
    lead = next(seat for seat in data["seats"] if seat["role"] == "lead")
    seats = Seat.objects.filter(
        person__email__iexact=lead["person"], department__key=lead["department"]
    )
    nominated = date.fromisoformat(lead["nominated_at"])
    return seats.exists() and not seats.filter(nominated_at__date=nominated).exists()


def _ensure_users() -> tuple[dict, list[str]]:
    """The demo users, with the password `roundtable`; an existing user keeps its
    password when it already is that one."""
    user_model = get_user_model()
    wanted = {
        "lead": {"email": PEOPLE_BY_NAME[LEAD].email, "name": LEAD},
        # The import links the head's person and department to the user with
        # that person's e-mail.
        "head": {"email": PEOPLE_BY_NAME[HEAD].email, "name": HEAD},
        "admin": {"email": f"admin@{DOMAIN}", "name": "Site Admin"},
    }
    users, created = {}, []
    for username, details in wanted.items():
        first, last = details["name"].split(" ", 1)
        user, is_new = user_model.objects.get_or_create(
            username=username,
            defaults={"email": details["email"], "first_name": first, "last_name": last},
        )
        if is_new:
            created.append(username)
        changed = user.email.lower() != details["email"] or not user.is_active
        user.email, user.is_active = details["email"], True
        if username == "admin" and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = changed = True
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            changed = True
        if changed:
            user.save()
        users[username] = user
    leads, _ = Group.objects.get_or_create(name=settings.COE_LEADS_GROUP)
    users["lead"].groups.add(leads)
    return users, created


def _link(user, person_email: str) -> None:
    """Make `user` the sign-in of the person with that e-mail (and of no other)."""
    person = Person.objects.by_email(person_email).get()
    if person.user_id == user.pk:
        return
    for other in Person.objects.filter(user=user):
        other.user = None
        other.save(update_fields=["user"])
    person.user = user
    person.save(update_fields=["user"])
