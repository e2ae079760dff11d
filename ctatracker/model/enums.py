"""Closed lists used by the schema. Each is stored as text with a CHECK constraint."""

from enum import StrEnum


class ActionAreaCode(StrEnum):
    """The six action areas of the 2024 communique, plus resilience."""

    PUBLIC_TRANSPORT = "public_transport"
    FREIGHT = "freight"
    ELECTRIC_VEHICLES = "electric_vehicles"
    CHARGING_GRID = "charging_grid"
    STANDARDS = "standards"
    RENEWABLE_ENERGY = "renewable_energy"
    RESILIENCE = "resilience"


class Subregion(StrEnum):
    SOUTH_ASIA = "South Asia"
    SOUTHEAST_ASIA = "Southeast Asia"
    EAST_ASIA = "East Asia"
    CENTRAL_ASIA = "Central Asia"


class Grouping(StrEnum):
    """Regional groupings a country can belong to."""

    LG_CTA = "lg_cta"
    ALP_CLEAN_MOBILITY_COP = "alp_clean_mobility_cop"
    NDC_TIA_PEER_NETWORK = "ndc_tia_peer_network"


class MembershipStatus(StrEnum):
    MEMBER = "member"
    OBSERVER = "observer"
    FORMER = "former"


class Mode(StrEnum):
    """Vehicle scope of a figure. Figures of different modes are never mixed on one line."""

    ALL_VEHICLES = "all_vehicles"
    CARS = "cars"
    TWO_WHEELERS = "two_wheelers"
    THREE_WHEELERS = "three_wheelers"
    TWO_THREE_WHEELERS = "two_three_wheelers"
    BUSES = "buses"
    TRUCKS = "trucks"
    VANS = "vans"
    LIGHT_DUTY = "light_duty"
    HEAVY_DUTY = "heavy_duty"
    PASSENGER_VEHICLES = "passenger_vehicles"
    NOT_APPLICABLE = "not_applicable"


class Unit(StrEnum):
    PERCENT = "percent"
    VEHICLES = "vehicles"
    CHARGING_POINTS = "charging_points"
    CHARGING_STATIONS = "charging_stations"
    MT_CO2 = "mt_co2"
    MT_CO2E = "mt_co2e"
    EURO_LEVEL = "euro_level"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Comparison(StrEnum):
    """How a target is met: the value must reach at least, or stay at most, the target."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Period(StrEnum):
    """How much of the year a figure covers. Only annual figures are points of a trend."""

    ANNUAL = "annual"
    PARTIAL_YEAR = "partial_year"
    SINGLE_MONTH = "single_month"


class PowertrainScope(StrEnum):
    """Which electric powertrains a figure counts. The tracker's EV indicators mean BEV + PHEV."""

    BEV_AND_PHEV = "bev_and_phev"
    BEV_ONLY = "bev_only"
    AS_REPORTED = "as_reported"
    """The source's own count of electric vehicles, which takes in other powertrains (such as hybrids without a
    plug): the note says what it counts. Never a trend point and not comparable with EV targets."""


class TargetStrength(StrEnum):
    """How firm a target is (after the Net Zero Tracker and IEA Policy Explorer ladders)."""

    LAW = "law"
    POLICY = "policy"
    PLEDGE = "pledge"
    ASPIRATIONAL = "aspirational"


class Stage(StrEnum):
    """Implementation stage of a country's commitment in one action area, lowest first."""

    NO_ACTION = "no_action"
    PROPOSED = "proposed"
    PLEDGED = "pledged"
    IN_POLICY = "in_policy"
    IN_LAW = "in_law"
    ACHIEVED = "achieved"



STAGE_LABELS: dict[str, str] = {
    "no_action": "No action", "proposed": "Proposed / in discussion", "pledged": "Pledged / announced",
    "in_policy": "In policy", "in_law": "In law", "achieved": "Achieved",
}
"""One label per implementation stage, used by every page, chart, deck and brief."""

class VehicleClass(StrEnum):
    LIGHT_DUTY = "light_duty"
    HEAVY_DUTY = "heavy_duty"
    TWO_THREE_WHEELERS = "two_three_wheelers"


class StandardStatus(StrEnum):
    IN_FORCE = "in_force"
    SCHEDULED = "scheduled"
    PLEDGED = "pledged"


class PolicyKind(StrEnum):
    LAW = "law"
    REGULATION = "regulation"
    STRATEGY = "strategy"
    ROADMAP = "roadmap"
    STANDARD = "standard"
    INCENTIVE = "incentive"
    PROGRAMME = "programme"
    GUIDELINE = "guideline"


class PolicyStatus(StrEnum):
    IN_FORCE = "in_force"
    ADOPTED = "adopted"
    DRAFT = "draft"
    PROPOSED = "proposed"
    SUPERSEDED = "superseded"


class ActivityKind(StrEnum):
    TECHNICAL_ASSISTANCE = "technical_assistance"
    IN_COUNTRY_WORKSHOP = "in_country_workshop"
    REGIONAL_WORKSHOP = "regional_workshop"
    STUDY_VISIT = "study_visit"
    CASE_STUDY = "case_study"
    TRAINING = "training"
    FORUM = "forum"
    INVESTMENT = "investment"


class ActivityStatus(StrEnum):
    """Activity status, after the IATI activity status codes 1-6."""

    PIPELINE = "pipeline"
    IMPLEMENTATION = "implementation"
    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"


class Role(StrEnum):
    """Who may do what: enforced in the write path."""

    VIEWER = "viewer"
    FOCAL_POINT = "focal_point"
    SECRETARIAT = "secretariat"
    ADMIN = "admin"
    SYSTEM = "system"


class AuditAction(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


class SubmissionStatus(StrEnum):
    """Where a proposed change stands in the secretariat's review."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ParticipantRole(StrEnum):
    """Role of an organisation in an activity: IATI organisation roles 1-4, plus beneficiary (no IATI code)."""

    FUNDING = "funding"
    ACCOUNTABLE = "accountable"
    EXTENDING = "extending"
    IMPLEMENTING = "implementing"
    BENEFICIARY = "beneficiary"


class EventKind(StrEnum):
    """The kind of meeting a briefing pack is prepared for."""

    EST_FORUM = "est_forum"
    COP = "cop"
    OTHER = "other"
