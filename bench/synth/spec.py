"""The generating truth of one synthetic disclosure, before it is written as text."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.synth.catalog import DeptKind, Region
from bench.synth.docs import FundingDoc


@dataclass
class UnitSpec:
    name: str
    nature: str
    rank: str
    funding_form: str
    code: str  # 6-digit unit budget code: department code + serial


@dataclass
class Dept:
    region: Region
    kind: DeptKind
    code: str  # 3-digit department budget code
    name: str  # full name: region prefix + kind name
    units: list[UnitSpec]


@dataclass
class IndicatorSpec:
    level1: str
    level2: str
    level3: str
    description: str
    target: str  # as printed (may carry layout spaces next to CJK)
    parsed: tuple[str | None, str, str | None] | None  # (comparator, number text, unit)
    basis: str  # as printed
    basis_doc: "DocCite | None" = None  # the document the basis cell cites
    desc_doc: "DocCite | None" = None  # the document the description cites


@dataclass
class DocCite:
    doc: FundingDoc
    written: str  # as printed
    context: str  # project_name / goal / basis / indicator / prose


@dataclass
class ProjectSpec:
    code: str
    name: str  # as printed in the table (doc numbers as written)
    unit: UnitSpec
    xiang: str  # function classification 项 code that carries its spending
    budget: int  # cents
    carried: bool  # coded with the previous year, funded by 上年结转
    purpose: str
    plan: dict[int, int]  # checkpoint month -> cumulative percent
    goal: str
    indicators: list[IndicatorSpec]
    cites: list[DocCite] = field(default_factory=list)


@dataclass
class ProcurementRow:
    project: str
    project_budget: int
    unit: UnitSpec
    item: str
    catalog: str
    measure: str
    quantity: int
    price: int  # cents
    sme: bool

    @property
    def amount(self) -> int:
        return self.quantity * self.price


@dataclass
class Budget:
    """Amounts of the standard tables, all in cents. Function leaves carry basic,
    project and carry-over (part of project funded by 上年结转) spending."""

    leaves: dict[str, dict[str, int]]  # 7-digit code -> {"basic", "project", "carry"}
    economic: dict[str, dict[str, int]]  # 5-digit code -> {"personnel", "public"}
    three_public: dict[str, int]  # overseas, vehicle_purchase, vehicle_operation, reception


@dataclass
class FixedAssetRow:
    item: str  # as printed
    quantity: str  # as printed ("--", "", "2")
    value: int | None  # cents; None = empty cell


@dataclass
class DocSpec:
    dept: Dept
    year: int
    budget: Budget
    projects: list[ProjectSpec]
    procurement: list[ProcurementRow]
    fixed_assets: list[FixedAssetRow]
    prose_cites: list[DocCite]
    trim_prose: bool  # prose amounts printed without trailing zeros
