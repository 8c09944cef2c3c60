"""The partnership file, validated: who the councils are, what they do, and where.

Adding a council, a sector or a service is a change to this file, never to code. Every
refusal names the field path (``services[3].tier``) and the reason, so that whoever
edits the file can fix it without reading Python.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hub.geo.postcodes import SECTOR_RE

WORKFLOWS = ("bin_day", "missed_bin", "street_report", "faq")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NEEDS = ("postcode", "address", "location", "bin_type")


class PartnershipError(ValueError):
    """The file was refused; ``problems`` lists (field path, reason) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {reason}" for path, reason in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Longest strings, matching the columns they are loaded into (hub/partnership/models.py), so
# that a too-long value is refused here with its field path, never a database error at load.
NAME_MAX, CODE_MAX, PHONE_MAX, EMAIL_MAX, URL_MAX, TIMEZONE_MAX, SERVICE_CODE_MAX = 200, 16, 32, 254, 300, 64, 64


class WorkingHours(_Strict):
    # At least one day: SLAs and collection rounds are counted in working days.
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(min_length=1)
    start: dt.time
    end: dt.time

    @model_validator(mode="after")
    def _order(self) -> "WorkingHours":
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class PartnershipInfo(_Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")
    name: str = Field(min_length=1, max_length=NAME_MAX)
    timezone: str = Field(max_length=TIMEZONE_MAX)
    sms_number: str | None = Field(default=None, max_length=PHONE_MAX)
    email_address: str | None = Field(default=None, max_length=EMAIL_MAX)
    working_hours: WorkingHours
    triage_authority: str = Field(max_length=CODE_MAX)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class AuthorityDef(_Strict):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9]{1,15}$")
    name: str = Field(min_length=1, max_length=NAME_MAX)
    tier: Literal["partnership", "county", "district", "unitary"]
    partner: bool
    county: str | None = Field(default=None, max_length=CODE_MAX)
    county_for: list[str] = []
    phone: str | None = Field(default=None, max_length=PHONE_MAX)
    web: str | None = Field(default=None, max_length=URL_MAX)


class Sla(_Strict):
    hours: int = Field(gt=0, le=24 * 30)


class ServiceDef(_Strict):
    code: str = Field(pattern=r"^[a-z_]+(\.[a-z_]+)+$", max_length=SERVICE_CODE_MAX)
    name: str = Field(min_length=1, max_length=NAME_MAX)
    tier: Literal["partnership", "county", "district"]
    workflow: str | None = None
    needs: list[Literal["postcode", "address", "location", "bin_type"]] = []
    sla: Sla
    priority: Literal["normal", "high", "urgent"] = "normal"
    urgent_terms: list[str] = []
    examples: list[str] = []

    @field_validator("workflow")
    @classmethod
    def _workflow_exists(cls, value: str | None) -> str | None:
        if value is not None and value not in WORKFLOWS:
            raise ValueError(f"unknown workflow {value!r} (known: {', '.join(WORKFLOWS)})")
        return value


class Safeguarding(_Strict):
    terms: list[str]
    reply: str


class RoundDef(_Strict):
    day: Literal["mon", "tue", "wed", "thu", "fri"]
    cycle: Literal["A", "B"]


class RepeatMissEscalation(_Strict):
    """A failing round: `count` missed collections at one address within `weeks` go to people."""

    count: int = Field(ge=1, le=100)
    weeks: int = Field(ge=1, le=104)


class WasteCollection(_Strict):
    anchor: dt.date
    crews_finish: dt.time
    missed_report_window_working_days: int = Field(ge=0, le=20)
    repeat_miss_escalation: RepeatMissEscalation
    bins: list[str]
    rounds: dict[str, RoundDef]

    @field_validator("anchor")
    @classmethod
    def _monday(cls, value: dt.date) -> dt.date:
        if value.weekday() != 0:
            raise ValueError("anchor must be a Monday")
        return value


class Article(_Strict):
    service: str
    question: str
    answer: str
    link: str | None = None


class Cost(_Strict):
    # contact_cost columns are NUMERIC(8, 2): pounds and pence below a million.
    self_service: Decimal = Field(ge=0, max_digits=8, decimal_places=2)
    assisted: Decimal = Field(ge=0, max_digits=8, decimal_places=2)


class PartnershipDoc(_Strict):
    partnership: PartnershipInfo
    authorities: list[AuthorityDef] = Field(min_length=1)
    postcode_sectors: dict[str, str]
    services: list[ServiceDef] = Field(min_length=1)
    safeguarding: Safeguarding
    waste_collection: WasteCollection | None = None
    bank_holidays: list[dt.date] = []
    knowledge_base: list[Article] = []
    contact_costs: dict[Literal["web", "sms", "email", "api", "phone", "face_to_face"], Cost]

    # -- look-ups used everywhere; built once ---------------------------------------
    def authority(self, code: str) -> AuthorityDef | None:
        return self._authorities.get(code)

    def service(self, code: str) -> ServiceDef | None:
        return self._services.get(code)

    @property
    def triage_authority(self) -> AuthorityDef:
        return self._authorities[self.partnership.triage_authority]

    def model_post_init(self, _context: Any) -> None:
        object.__setattr__(self, "_authorities", {a.code: a for a in self.authorities})
        object.__setattr__(self, "_services", {s.code: s for s in self.services})

    @model_validator(mode="after")
    def _references(self) -> "PartnershipDoc":
        problems: list[tuple[str, str]] = []
        codes: dict[str, int] = {}
        for i, auth in enumerate(self.authorities):
            if auth.code in codes:
                problems.append((f"authorities[{i}].code", f"duplicate authority code {auth.code!r}"))
            codes[auth.code] = i
        tiers = {a.code: a.tier for a in self.authorities}
        for i, auth in enumerate(self.authorities):
            if auth.tier == "district":
                if not auth.county:
                    problems.append((f"authorities[{i}].county", f"district {auth.code} has no county"))
                elif tiers.get(auth.county) != "county":
                    problems.append((f"authorities[{i}].county", f"{auth.county!r} is not a county authority"))
            elif auth.county:
                problems.append((f"authorities[{i}].county", f"only a district has a county ({auth.tier} given)"))
            for j, code in enumerate(auth.county_for):
                if auth.tier != "county":
                    problems.append((f"authorities[{i}].county_for", "only a county lists districts"))
                    break
                if tiers.get(code) != "district":
                    problems.append((f"authorities[{i}].county_for[{j}]", f"{code!r} is not a district"))
                elif self.authorities[codes[code]].county != auth.code:
                    problems.append((f"authorities[{i}].county_for[{j}]", f"{code} names another county"))
        if tiers.get(self.partnership.triage_authority) is None:
            problems.append(("partnership.triage_authority", f"unknown authority {self.partnership.triage_authority!r}"))
        for sector, code in self.postcode_sectors.items():
            path = f"postcode_sectors[{sector!r}]"
            if not SECTOR_RE.fullmatch(sector):
                problems.append((path, "not a postcode sector such as 'WR14 3'"))
            if tiers.get(code) not in ("district", "unitary"):
                problems.append((path, f"{code!r} is not a known district or unitary authority"))
        seen: set[str] = set()
        for i, svc in enumerate(self.services):
            if svc.code in seen:
                problems.append((f"services[{i}].code", f"duplicate service code {svc.code!r}"))
            seen.add(svc.code)
        if "social_care.safeguarding" not in seen:
            problems.append(("services", "a social_care.safeguarding service is required"))
        for i, art in enumerate(self.knowledge_base):
            if art.service not in seen:
                problems.append((f"knowledge_base[{i}].service", f"unknown service {art.service!r}"))
        if self.waste_collection:
            for sector in self.waste_collection.rounds:
                if sector not in self.postcode_sectors:
                    problems.append((f"waste_collection.rounds[{sector!r}]", "sector is not in postcode_sectors"))
        missing = {"web", "sms", "email", "phone", "face_to_face"} - set(self.contact_costs)
        if missing:
            problems.append(("contact_costs", f"missing channels: {', '.join(sorted(missing))}"))
        if problems:
            raise PartnershipError(problems)
        return self


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out and re.fullmatch(r"[a-z_]+", str(part)):
            out += f".{part}"
        elif out:
            out += f"[{part!r}]"
        else:
            out = str(part)
    return out or "(file)"


def parse(data: Any) -> PartnershipDoc:
    """Validate a parsed document; raise PartnershipError listing every problem found."""
    if not isinstance(data, dict):
        raise PartnershipError([("(file)", "the file must be a YAML mapping")])
    try:
        return PartnershipDoc.model_validate(data)
    except PartnershipError:
        raise
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            inner = (err.get("ctx") or {}).get("error")
            if isinstance(inner, PartnershipError):
                problems.extend(inner.problems)
            else:
                given = f", not {err['input']!r}" if err["type"] == "literal_error" else ""
                problems.append((_loc(tuple(err["loc"])), err["msg"] + given))
        raise PartnershipError(problems) from None


def read(path: str | Path) -> tuple[PartnershipDoc, bytes]:
    """Read and validate a partnership file; returns the document and its raw bytes."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PartnershipError([("(file)", f"cannot read {path}: {exc.strerror}")]) from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise PartnershipError([("(file)", f"not valid YAML: {exc}")]) from None
    return parse(data), raw
