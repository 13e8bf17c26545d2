"""Records of one disclosure -> the quads of its named graph.

Only what the records state is written: an absent value (``None``, missing dict key)
produces no triple. Every record node carries its provenance: prov:wasDerivedFrom the
source file (which carries file name and SHA-256), plus the source table, row (序号),
page and line span where known."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from converter.mapping import nquads as nq
from converter.mapping.iris import CODES, Minter, name_key
from converter.parsers import codes as codelists
from converter.mapping.nquads import QuadSet
from converter.mapping.vocab import (
    BL, BUDGET_PARTS, CITATION_CONTEXT, CITATION_CONTEXTS, DCAT, DCT, DOCUMENT_KIND, ELI, INDICATOR_LEVEL, INDICATOR_LEVELS,
    OBEU_DIM, OBEU_OPERATION, OPERATION, ORG, PROV, QB, RDFS, SCHEMA, SCHEME_LABELS, SKOS, VOID,
)
from converter.records.model import (
    DISCLOSURE_KINDS, TABLE_TITLES, BudgetLine, DepartmentGoal, Disclosure, DocRef, FixedAsset, Figure, Flag,
    Indicator, Loc, OverviewLine, ProcurementItem, Project, ProjectEvaluation, Repair, Unit,
)

CONVERTER_VERSION = "0.1.0"
_FUNCTION_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_ECONOMIC_CODE = re.compile(r"^\d{3}(?:\d{2})?$")
# query support (issue 14): the columns the budget-lines query reads are also direct properties
# of the line (bl:lineTotal ...), one lookup each: Oxigraph evaluates an OPTIONAL of two
# patterns (line -> cell -> amount) by scanning every cell of the store
LINE_AMOUNTS = {col: BL + "line" + col.title() for col in ("total", "basic", "project", "personnel", "public")}
WAN = BL + "amountWan"  # query support: an amount in 万元 whatever unit its table prints (DESIGN §4)


def in_wan(value: Decimal, unit: str | None) -> Decimal:
    """An amount in 万元, exactly: a table printed in 元 is shifted four places (no rounding);
    one printed in 万元, or stating no unit (the national default), is as printed."""
    return value.scaleb(-4) if unit == "元" else value


def _names(p: Project) -> list[str]:
    """A project's printed names: its name first, then its aliases (each once)."""
    return list(dict.fromkeys(n.strip() for n in (p.name, *p.aliases) if n.strip()))


def document_kind(kind: str) -> str:
    """The document-kind concept (ontology/codelists.ttl) of a ``Disclosure.kind``."""
    if kind not in DISCLOSURE_KINDS:
        raise ValueError(f"unknown document kind {kind!r} (not in DISCLOSURE_KINDS)")
    return DOCUMENT_KIND + kind.replace("_", "-")


class _Mapper:
    def __init__(self, d: Disclosure, mint: Minter) -> None:
        self.d = d
        self.m = mint
        self.q = QuadSet(mint.graph(d.graph_key))
        self.source = mint.source(d.sha256)
        self.dept: str | None = None
        self.budget: str | None = None
        self.concepts: dict[tuple[str, str], str] = {}  # (scheme, code) -> IRI
        self.allocations: dict[str, str] = {}  # project code -> allocation IRI
        self.by_name: dict[str, list[str]] = {}  # project name -> allocation IRIs
        self.units: dict[str, str] = {}  # unit name -> IRI
        self.figure_nodes: set[str] = set()
        self.tables: dict[tuple[str, str | None], str] = {}  # (table key, budget) -> IRI, stated once
        # keys stated once per row (per unit): their IRIs carry the row
        counts: dict[str, int] = {}
        for f in d.figures:
            counts[f.key + f.origin] = counts.get(f.key + f.origin, 0) + 1
        self.figure_keys = {f.key for f in d.figures if counts[f.key + f.origin] > 1}
        self.table_keys = {f.key for f in d.figures if f.origin == "table"}  # for bl:preferredFigure

    # ---- helpers
    def lit(self, s: str, p: str, value: str | None, lang: str | None = "zh") -> None:
        if value is not None and value.strip():
            self.q.add(s, p, nq.text(value.strip(), lang))

    def dec(self, s: str, p: str, value: Decimal | None) -> None:
        if value is not None:
            self.q.add(s, p, nq.decimal(value))

    def prov(self, node: str, loc: Loc | None, table_key: str | None = None, row: str | None = None) -> None:
        q = self.q
        q.link(node, PROV + "wasDerivedFrom", self.source)
        if table_key:
            q.link(node, BL + "sourceTable", self.table(table_key))
        if row:
            q.add(node, BL + "sourceRow", nq.text(row, None))
        if loc is not None:
            if loc.page is not None:
                q.add(node, BL + "sourcePage", nq.integer(loc.page))
            if loc.confidence is not None:  # read by OCR: how sure the recognition was
                q.add(node, BL + "ocrConfidence", nq.decimal(Decimal(str(loc.confidence))))
            if loc.line is not None:
                q.add(node, BL + "sourceLine", nq.integer(loc.line))
                end = loc.end_line if loc.end_line is not None else loc.line
                q.add(node, BL + "sourceEndLine", nq.integer(end))

    def fund_parts(self, node: str, funds: dict[str, Decimal], loc: Loc | None, table: str) -> None:
        """One bl:FundAmount per fund column a table prints for a record (procurement item,
        project allocation), in column order of its name."""
        q = self.q
        for col, value in sorted(funds.items()):
            f = Minter.part(node, "funds", col)
            q.type(f, BL + "FundAmount")
            q.link(node, BL + "funds", f)
            q.add(f, BL + "column", nq.text(col, None))
            q.add(f, BL + "amount", nq.decimal(value))
            self.prov(f, loc, table)

    def project_unit(self, p: Project) -> str | None:
        """The unit a project's amount is printed in: its own table's, where the record says
        (a document's project pages may print 万元 while its standard tables print 元)."""
        return p.currency_unit or self.table_unit("project")

    def table_unit(self, key: str) -> str | None:
        """The currency unit a table of this document prints, as stated (None: not stated)."""
        return self.d.table_units.get(key, self.d.currency_unit)

    def table(self, key: str) -> str:
        # every record sourced from a table names it (some 400 times a document): its
        # triples are written once (the quads are a set, so the output is the same)
        node = self.tables.get((key, self.budget))
        if node is not None:
            return node
        node = self.tables[(key, self.budget)] = Minter.part(self.source, "table", key)
        q = self.q
        q.type(node, BL + "SourceTable", QB + "DataSet")
        q.add(node, BL + "tableKey", nq.text(key, None))
        if key in TABLE_TITLES:
            q.add(node, RDFS + "label", nq.text(TABLE_TITLES[key]))
            q.add(node, DCT + "title", nq.text(TABLE_TITLES[key]))
        q.link(node, DCT + "isPartOf", self.source)
        unit = self.d.table_units.get(key, self.d.currency_unit)
        if unit:  # amounts are recorded as printed; the table says in which unit
            q.add(node, BL + "currencyUnit", nq.text(unit, None))
        if self.budget:
            self.part_of_budget(node, "SourceTable")
        return node

    def part_of_budget(self, node: str, cls: str) -> None:
        """node bl:budget the budget, and the budget's link to it where its class is one of
        BUDGET_PARTS (query support)."""
        self.q.link(node, BL + "budget", self.budget)
        if cls in BUDGET_PARTS:
            self.q.link(self.budget, BL + BUDGET_PARTS[cls], node)

    def concept(self, scheme: str, code: str, label: str | None = None) -> str:
        key = (scheme, code)
        node = self.concepts.get(key)
        q = self.q
        if node is None:
            node = self.m.concept(scheme, code)
            self.concepts[key] = node
            scheme_iri = self.m.scheme(scheme)
            q.type(node, SKOS + "Concept", BL + "CodeConcept")
            q.link(node, SKOS + "inScheme", scheme_iri)
            q.add(node, SKOS + "notation", nq.text(code, None))
            q.type(scheme_iri, SKOS + "ConceptScheme")
            zh, en = SCHEME_LABELS[scheme]
            q.add(scheme_iri, SKOS + "prefLabel", nq.text(zh))
            q.add(scheme_iri, SKOS + "prefLabel", nq.text(en, "en"))
            if scheme in codelists.SCHEMES and codelists.load_codelists().has(scheme, code):
                q.link(node, SKOS + "exactMatch", f"{CODES}{scheme}/{code}")  # the national code list's concept
        if label:
            q.add(node, SKOS + "altLabel", nq.text(label.strip()))
        return node

    # ---- document level
    def run(self) -> QuadSet:
        d, q, m = self.d, self.q, self.m
        self.source_and_dataset()
        if d.department_name:
            self.department()
        if self.dept:
            final = d.kind == "final_accounts"
            plan = m.budget(self.dept, d.fiscal_year)
            # a 部门决算 is its own statement of the year, linked to the year's budget (plan vs actual)
            self.budget = m.final_accounts(self.dept, d.fiscal_year) if final else plan
            b = self.budget
            q.type(b, BL + "Budget")
            if final:
                q.type(b, BL + "FinalAccounts")
                q.link(b, BL + "accountsFor", plan)
            q.link(b, BL + "department", self.dept)
            if d.fiscal_year is not None:
                q.add(b, BL + "fiscalYear", nq.integer(d.fiscal_year))
            what = "决算" if final else "预算"
            q.add(b, RDFS + "label", nq.text(f"{d.department_name} {d.fiscal_year or ''}年度{what}".replace(" 年", "年")))
            self.lit(b, BL + "overallGoal", d.overall_goal)
            self.prov(b, None)
            q.link(self.source, BL + "describesBudget", b)
        for u in d.units:
            self.unit(u)
        if self.budget:
            for f in d.figures:
                self.figure(f)
            for i, line in enumerate(d.budget_lines):
                self.budget_line(i, line)
            self.hierarchy()
            for i, line in enumerate(d.overview_lines):
                self.overview_line(i, line)
            # same-named uncoded projects (one per unit in a list) are told apart by their place
            names = Counter((p.number, p.name.strip()) for p in d.projects if not p.code)
            for n, p in enumerate(d.projects, 1):
                self.project(p, f"r{n}" if not p.code and names[(p.number, p.name.strip())] > 1 else None)
            for i, r in enumerate(d.doc_refs):
                self.citation(i, r)
            for i, item in enumerate(d.procurement):
                self.procurement(i, item)
            for i, fa in enumerate(d.fixed_assets):
                self.fixed_asset(i, fa)
            for i, g in enumerate(d.goals):
                self.goal(i, g)
            if d.evaluation:
                self.evaluation()
            for i, ev in enumerate(d.project_evaluations, 1):
                self.project_evaluation(i, ev)
        else:
            for i, r in enumerate(d.doc_refs):
                self.citation(i, r)
        for i, r in enumerate(d.repairs):
            self.repair(i, r)
        for i, f in enumerate(d.flags):
            self.flag(i, f)
        return q

    def source_and_dataset(self) -> None:
        d, q, m = self.d, self.q, self.m
        s, g = self.source, m.graph(d.graph_key)
        q.type(s, BL + "SourceDocument", PROV + "Entity", SCHEMA + "DigitalDocument")
        q.add(s, DCT + "title", nq.text(d.source_file, None))
        q.add(s, BL + "fileName", nq.text(d.source_file, None))
        q.add(s, BL + "sha256", nq.text(d.sha256, None))
        q.link(s, DCT + "type", document_kind(d.kind))
        if d.department_scope:
            q.add(s, BL + "disclosureScope", nq.text(d.department_scope, None))
        if d.fiscal_year is not None:
            q.add(s, BL + "fiscalYear", nq.integer(d.fiscal_year))
        # the named graph describes itself, so replacing it replaces its metadata
        act = Minter.part(s, "conversion")
        agent = m.converter_agent()
        ds = m.dataset()
        q.type(g, VOID + "Dataset", PROV + "Entity", BL + "DocumentGraph")
        q.link(g, PROV + "wasDerivedFrom", s)
        q.link(g, PROV + "wasGeneratedBy", act)
        q.link(g, DCT + "source", s)
        q.link(g, DCT + "isPartOf", ds)
        q.type(act, PROV + "Activity")
        q.link(act, PROV + "used", s)
        q.link(act, PROV + "wasAssociatedWith", agent)
        q.type(agent, PROV + "SoftwareAgent")
        q.add(agent, RDFS + "label", nq.text("budget-lod converter", "en"))
        q.add(agent, SCHEMA + "softwareVersion", nq.text(CONVERTER_VERSION, None))
        q.type(ds, DCAT + "Dataset", VOID + "Dataset")
        q.add(ds, DCT + "title", nq.text("部门预算信息公开关联数据"))
        q.add(ds, DCT + "title", nq.text("Chinese government budget disclosures as linked open data", "en"))
        q.link(ds, VOID + "subset", g)

    def department(self) -> None:
        d, q, m = self.d, self.q, self.m
        name = d.department_name or ""
        self.dept = dept = m.department(name, d.region_name)
        q.type(dept, BL + "Department", ORG + "FormalOrganization")
        q.add(dept, SKOS + "prefLabel", nq.text(name.strip()))
        forms = {a.strip() for a in (name, *d.department_aliases) if a and a.strip()}
        for alias in forms:
            self.lit(dept, SKOS + "altLabel", alias)
        key = name_key(name, d.region_name)
        if key not in forms:  # the name without its city prefix: searchable, never printed
            q.add(dept, SKOS + "hiddenLabel", nq.text(key))
        if d.department_code:
            q.add(dept, BL + "departmentCode", nq.text(d.department_code, None))
        if d.region_name:
            region = m.region(d.region_name)
            q.type(region, BL + "Region", DCT + "Location")
            q.add(region, SKOS + "prefLabel", nq.text(d.region_name.strip()))
            q.add(region, SKOS + "altLabel", nq.text(d.region_name.strip()))
            if d.region_code:
                q.add(region, BL + "regionCode", nq.text(d.region_code, None))
            q.link(dept, BL + "region", region)
        self.prov(dept, None)

    def unit(self, u: Unit) -> None:
        if not self.dept:
            return
        q = self.q
        node = self.m.unit(self.dept, name_key(u.name, self.d.region_name))
        self.units[u.name] = node
        q.type(node, BL + "SubordinateUnit", ORG + "FormalOrganization")
        q.add(node, SKOS + "prefLabel", nq.text(u.name.strip()))
        q.link(node, ORG + "subOrganizationOf", self.dept)
        q.link(self.dept, ORG + "hasSubOrganization", node)
        if u.code:
            q.add(node, BL + "unitCode", nq.text(u.code, None))
        for scheme, prop, value in (("unit-nature", "unitNature", u.nature), ("unit-rank", "unitRank", u.rank),
                                    ("funding-form", "fundingForm", u.funding_form)):
            if value and value.strip():
                q.link(node, BL + prop, self.concept(scheme, value.strip(), value.strip()))
        self.prov(node, u.loc, u.table)

    # ---- tables
    def figure(self, f: Figure) -> None:
        q = self.q
        keys = [f.key, f.origin] + ([f.row] if f.row and f.key in self.figure_keys else [])
        node = Minter.part(self.budget, "figure", *keys)
        while node in self.figure_nodes:  # the same key stated twice: keep both, distinctly
            keys.append(str(len(self.figure_nodes)))
            node = Minter.part(self.budget, "figure", *keys)
        self.figure_nodes.add(node)
        q.type(node, BL + "SummaryFigure")
        self.part_of_budget(node, "SummaryFigure")
        q.add(node, BL + "figureKey", nq.text(f.key, None))
        q.add(node, BL + "origin", nq.text(f.origin, None))
        if f.origin == "table" or f.key not in self.table_keys:  # query support: the figure to report
            q.add(node, BL + "preferredFigure", nq.boolean(True))
        self.dec(node, BL + "amount", f.value)
        q.add(node, WAN, nq.decimal(in_wan(f.value, self.d.figure_unit(f))))  # its table's unit, or the prose's
        if f.origin == "prose" and f.unit:  # bl:amount as the sentence states it, not in 万元
            q.add(node, BL + "currencyUnit", nq.text(f.unit, None))
        self.prov(node, f.loc, f.table, f.row)

    def line_node(self, table: str, i: int, row: str | None) -> str:
        return Minter.part(self.source, "table", table, "row", row if row else f"i{i}")

    def budget_line(self, i: int, line: BudgetLine) -> None:
        q = self.q
        node = self.line_node(line.table, i, line.row)
        dataset = self.table(line.table)
        q.type(node, BL + "BudgetLine")
        q.link(node, BL + "table", dataset)
        q.link(node, BL + "budget", self.budget)
        self.lit(node, BL + "rowLabel", line.name)
        if line.is_total:
            q.add(node, BL + "isTotal", nq.boolean(True))
        concept = None
        if line.code and line.scheme in codelists.SCHEMES:
            q.add(node, BL + "code", nq.text(line.code, None))
            if line.code_source:
                q.add(node, BL + "codeSource", nq.text(line.code_source, None))
            concept = self.concept(line.scheme, line.code, line.name)
            q.link(node, BL + "classification", concept)
        for col, raw in sorted(line.unparsed.items()):
            q.add(node, BL + "unreadCell", nq.text(f"{col}: {raw}", None))
        self.prov(node, line.loc, line.table, line.row)
        for col, value in sorted(line.amounts.items()):
            self.cell(node, dataset, line.table, col, value, concept)

    def cell(self, line: str, dataset: str, table: str, col: str, value: Decimal, concept: str | None) -> None:
        q = self.q
        obs = Minter.part(line, col)
        q.type(obs, QB + "Observation", BL + "BudgetAmount")
        q.link(obs, QB + "dataSet", dataset)
        q.link(obs, BL + "line", line)
        q.add(obs, BL + "column", nq.text(col, None))
        q.add(obs, BL + "amount", nq.decimal(value))
        q.link(obs, OBEU_DIM + "organization", self.dept)
        if self.d.fiscal_year is not None:
            q.add(obs, BL + "fiscalYear", nq.integer(self.d.fiscal_year))
        if concept:
            q.link(obs, OBEU_DIM + "classification", concept)
        if table in OPERATION:
            q.link(obs, OBEU_DIM + "operationCharacter", OBEU_OPERATION + OPERATION[table])
        q.link(line, BL + "cell", obs)
        if col in LINE_AMOUNTS:  # in 万元, like every query-support amount
            q.add(line, LINE_AMOUNTS[col], nq.decimal(in_wan(value, self.table_unit(table))))

    def hierarchy(self) -> None:
        """skos:broader by prefix among the codes seen (201 > 20113 > 2011301)."""
        for (scheme, code), node in list(self.concepts.items()):
            if scheme not in (*codelists.SCHEMES, "procurement"):
                continue
            for cut in range(len(code) - 1, 0, -1):
                parent = self.concepts.get((scheme, code[:cut]))
                if parent:
                    self.q.link(node, SKOS + "broader", parent)
                    self.q.link(parent, SKOS + "narrower", node)
                    break
            else:
                self.q.link(node, SKOS + "topConceptOf", self.m.scheme(scheme))
                self.q.link(self.m.scheme(scheme), SKOS + "hasTopConcept", node)

    def overview_line(self, i: int, line: OverviewLine) -> None:
        q = self.q
        key = line.row if line.row else f"i{i}"
        if line.side:
            key = f"{key}-{line.side}"
        node = Minter.part(self.source, "table", line.table, "row", key)
        dataset = self.table(line.table)
        q.type(node, BL + "BudgetLine")
        q.link(node, BL + "table", dataset)
        q.link(node, BL + "budget", self.budget)
        self.lit(node, BL + "rowLabel", line.label)
        q.add(node, BL + "order", nq.integer(i + 1))
        if line.item:
            q.add(node, BL + "rowItem", nq.text(line.item, None))
        if line.side:
            q.add(node, BL + "side", nq.text(line.side, None))
        for col, raw in sorted(line.unparsed.items()):
            q.add(node, BL + "unreadCell", nq.text(f"{col}: {raw}", None))
        self.prov(node, line.loc, line.table, line.row)
        for col, value in sorted(line.amounts.items()):
            self.cell(node, dataset, line.table, col, value, None)

    # ---- projects
    def project(self, p: Project, place: str | None = None) -> None:
        q, m = self.q, self.m
        year = self.d.fiscal_year
        if p.code:
            proj = m.project(p.code)
            alloc = m.project_allocation(proj, year)
            q.type(proj, BL + "Project", SCHEMA + "Project")
            q.add(proj, BL + "projectCode", nq.text(p.code, None))
            for name in _names(p):
                q.add(proj, SKOS + "altLabel", nq.text(name))
            if p.region_code:
                q.add(proj, BL + "regionCode", nq.text(p.region_code, None))
            if p.code_year is not None:
                q.add(proj, BL + "codeYear", nq.integer(p.code_year))
            q.link(alloc, BL + "project", proj)
            self.prov(proj, None)
            self.allocations[p.code] = alloc
        else:
            alloc = m.uncoded_project(self.budget, place or p.number, p.name)
        for name in _names(p):  # a citation or purchase naming any printed form links to it
            self.by_name.setdefault(name, []).append(alloc)
        q.type(alloc, BL + "ProjectAllocation")
        q.link(alloc, BL + "budget", self.budget)
        q.link(alloc, BL + "department", self.dept)
        if year is not None:
            q.add(alloc, BL + "fiscalYear", nq.integer(year))
        q.add(alloc, BL + "projectName", nq.text(p.name.strip()))
        q.add(alloc, RDFS + "label", nq.text(p.name.strip()))
        for alias in _names(p)[1:]:  # the other names the document prints for it
            q.add(alloc, SKOS + "altLabel", nq.text(alias))
        if p.code:
            q.add(alloc, BL + "projectCode", nq.text(p.code, None))
        self.lit(alloc, BL + "projectNumber", p.number, None)
        self.dec(alloc, BL + "amount", p.budget)
        if p.budget is not None:
            q.add(alloc, WAN, nq.decimal(in_wan(p.budget, self.project_unit(p))))
        self.dec(alloc, BL + "fiscalFunds", p.fiscal_funds)
        self.dec(alloc, BL + "otherFunds", p.other_funds)
        self.dec(alloc, BL + "carryoverFunds", p.carryover_funds)
        self.fund_parts(alloc, p.funds, p.loc, "project_list")  # each fund source a list prints
        if p.currency_unit and (p.budget is not None or p.fiscal_funds is not None):
            q.add(alloc, BL + "currencyUnit", nq.text(p.currency_unit, None))
        self.lit(alloc, BL + "supervisingDepartmentName", p.department)
        for n, s in enumerate(p.sources, 1):  # every table of the document that states the project
            node = Minter.part(alloc, "source", n)
            q.type(node, BL + "ProjectSource")
            q.link(alloc, BL + "statedIn", node)
            q.add(node, BL + "layout", nq.text(s.layout, None))
            self.lit(node, BL + "sourceTitle", s.title)
            for g in s.gave:
                q.add(node, BL + "gave", nq.text(g, None))
            self.prov(node, s.loc)
        self.lit(alloc, BL + "purpose", p.purpose)
        self.lit(alloc, BL + "goal", p.goal)
        if p.carried_over is not None:
            q.add(alloc, BL + "carriedOver", nq.boolean(p.carried_over))
        unit = self.units.get((p.unit_name or "").strip())
        if unit:
            q.link(alloc, BL + "unit", unit)
        self.lit(alloc, BL + "unitName", p.unit_name)
        if p.unit_code:
            q.add(alloc, BL + "unitCode", nq.text(p.unit_code, None))
        for milestone, pct in sorted(p.spending_plan.items()):
            node = Minter.part(alloc, "plan", milestone)
            q.type(node, BL + "SpendingMilestone")
            q.link(alloc, BL + "spendingPlan", node)
            q.add(node, BL + "milestone", nq.text(milestone))
            q.add(node, BL + "percent", nq.decimal(pct))
            self.prov(node, p.loc)
        for i, ind in enumerate(p.indicators, 1):
            self.indicator(alloc, i, ind)
        self.prov(alloc, p.loc)

    def indicator(self, alloc: str, i: int, ind: Indicator) -> None:
        q = self.q
        node = Minter.part(alloc, "indicator", i)
        q.type(node, BL + "Indicator")
        q.link(alloc, BL + "indicator", node)
        q.add(node, BL + "order", nq.integer(i))
        for n, label in ((1, ind.level1), (2, ind.level2), (3, ind.level3)):
            if label and label.strip():
                q.add(node, BL + f"level{n}Label", nq.text(label.strip()))
                slug = INDICATOR_LEVELS.get(label.strip()) if n < 3 else None
                if slug:
                    q.link(node, BL + f"level{n}", INDICATOR_LEVEL + slug)
        self.lit(node, BL + "description", ind.description)
        self.lit(node, BL + "targetText", ind.target_raw)
        if ind.target is not None:
            if ind.target.comparator:
                q.add(node, BL + "comparator", nq.text(ind.target.comparator, None))
            q.add(node, BL + "targetValue", nq.decimal(ind.target.value))
            self.lit(node, BL + "targetUnit", ind.target.unit)
        self.lit(node, BL + "basis", ind.basis)
        self.prov(node, ind.loc)

    # ---- documents and citations
    def citation(self, i: int, r: DocRef) -> None:
        q, m = self.q, self.m
        doc = m.document(r.issuer, r.year, r.serial)
        q.type(doc, BL + "Document", ELI + "LegalResource")
        q.type(doc, BL + ("FundingDocument" if r.finance else "PolicyDocument"))
        q.add(doc, ELI + "id_local", nq.text(r.canonical, None))
        q.add(doc, RDFS + "label", nq.text(r.canonical))
        q.add(doc, BL + "issuerPrefix", nq.text(r.issuer, None))
        q.add(doc, BL + "documentYear", nq.integer(r.year))
        q.add(doc, BL + "serialNumber", nq.integer(r.serial))
        q.add(doc, BL + "financeDocument", nq.boolean(r.finance))
        cit = Minter.part(self.source, "citation", i + 1)
        q.type(cit, BL + "Citation")
        q.link(cit, BL + "cites", doc)
        q.add(cit, BL + "writtenAs", nq.text(r.raw))
        if r.context in CITATION_CONTEXTS:
            q.link(cit, BL + "citationContext", CITATION_CONTEXT + r.context.replace("_", "-"))
        q.add(cit, BL + "contextKey", nq.text(r.context, None))
        self.lit(cit, BL + "projectName", r.project_name)
        if self.budget:
            q.link(cit, BL + "budget", self.budget)
        target = None
        if r.project_code and r.project_code in self.allocations:
            target = self.allocations[r.project_code]
        elif r.project_name and len(self.by_name.get(r.project_name.strip(), [])) == 1:
            target = self.by_name[r.project_name.strip()][0]
        if r.project_code:
            q.add(cit, BL + "projectCode", nq.text(r.project_code, None))
        if target:
            q.link(cit, BL + "citingProject", target)
            q.link(target, DCT + "references", doc)
            if r.finance:
                q.link(target, BL + "fundedBy", doc)
        self.prov(cit, r.loc)

    # ---- other sections
    def budget_item(self, part: str, cls: str, i: int, name: str) -> str:
        """The node of the i-th row of a budget's item table (procurement, assets)."""
        node = Minter.part(self.budget, part, i + 1)
        self.q.type(node, BL + cls)
        self.part_of_budget(node, cls)
        self.q.add(node, BL + "itemName", nq.text(name.strip()))
        return node

    def procurement(self, i: int, item: ProcurementItem) -> None:
        q = self.q
        node = self.budget_item("procurement", "ProcurementItem", i, item.item)
        self.lit(node, BL + "projectName", item.project_name)
        self.dec(node, BL + "projectBudget", item.project_budget)
        self.lit(node, BL + "unitName", item.unit_name)
        unit = self.units.get((item.unit_name or "").removesuffix("小计").strip())
        if unit:
            q.link(node, BL + "unit", unit)
        if item.catalog_code:
            q.add(node, BL + "code", nq.text(item.catalog_code, None))
            q.link(node, BL + "catalogEntry", self.concept("procurement", item.catalog_code))
        self.lit(node, BL + "measureUnit", item.measure_unit)
        self.dec(node, BL + "quantity", item.quantity)
        self.dec(node, BL + "unitPrice", item.unit_price)
        self.dec(node, BL + "amount", item.amount)
        unit = self.table_unit("procurement")
        if item.unit_price is not None:
            q.add(node, BL + "unitPriceWan", nq.decimal(in_wan(item.unit_price, unit)))
        if item.amount is not None:
            q.add(node, WAN, nq.decimal(in_wan(item.amount, unit)))
        self.dec(node, BL + "smeReserved", item.sme_reserved)
        self.fund_parts(node, item.funds, item.loc, "procurement")
        allocs = self.by_name.get((item.project_name or "").strip(), [])
        if len(allocs) == 1:
            q.link(node, BL + "project", allocs[0])
        self.prov(node, item.loc, "procurement")

    def fixed_asset(self, i: int, fa: FixedAsset) -> None:
        node = self.budget_item("fixed-asset", "FixedAssetHolding", i, fa.item)
        self.dec(node, BL + "quantity", fa.quantity)
        self.dec(node, BL + "amount", fa.value)
        self.prov(node, fa.loc, "fixed_assets")

    def goal(self, i: int, g: DepartmentGoal) -> None:
        q = self.q
        node = Minter.part(self.budget, "goal", i + 1)
        q.type(node, BL + "PerformanceGoal")
        q.link(node, BL + "budget", self.budget)
        q.add(node, BL + "order", nq.integer(i + 1))
        q.add(node, BL + "title", nq.text(g.title.strip()))
        self.lit(node, BL + "description", g.description)
        self.lit(node, BL + "goal", g.goal)
        self.lit(node, BL + "indicatorText", g.indicators)
        self.prov(node, g.loc)

    def evaluation(self) -> None:
        q, e = self.q, self.d.evaluation
        node = Minter.part(self.budget, "self-evaluation")
        q.type(node, BL + "SelfEvaluation")
        q.link(node, BL + "budget", self.budget)
        self.lit(node, BL + "conclusion", e.conclusion)
        self.lit(node, BL + "score", e.score, None)
        self.lit(node, BL + "grade", e.grade)
        for i, item in enumerate(e.items, 1):
            it = Minter.part(node, "item", i)
            q.type(it, BL + "EvaluationItem")
            q.link(node, BL + "evaluationItem", it)
            q.add(it, BL + "order", nq.integer(i))
            q.add(it, BL + "title", nq.text(item.title.strip()))
            for outcome in item.outcomes:
                self.lit(it, BL + "outcome", outcome)
            self.prov(it, item.loc)
        self.prov(node, e.loc)

    def project_evaluation(self, i: int, ev: ProjectEvaluation) -> None:
        """A project self-evaluation, linked to the project it evaluates (the allocation
        of this budget with the same name, or one minted for that name)."""
        q = self.q
        name = ev.project_name.strip()
        allocs = self.by_name.get(name)
        if allocs:
            alloc = allocs[0]
        else:
            alloc = self.m.uncoded_project(self.budget, None, name)
            self.by_name[name] = [alloc]
            q.type(alloc, BL + "ProjectAllocation")
            q.link(alloc, BL + "budget", self.budget)
            q.link(alloc, BL + "department", self.dept)
            if self.d.fiscal_year is not None:
                q.add(alloc, BL + "fiscalYear", nq.integer(self.d.fiscal_year))
            q.add(alloc, BL + "projectName", nq.text(name))
            q.add(alloc, RDFS + "label", nq.text(name))
            self.prov(alloc, ev.loc)
        node = Minter.part(self.budget, "project-evaluation", i)
        q.type(node, BL + "ProjectEvaluation")
        self.part_of_budget(node, "ProjectEvaluation")
        q.link(node, BL + "evaluates", alloc)
        q.add(node, BL + "projectName", nq.text(name))
        self.lit(node, BL + "implementingUnit", ev.implementing_unit)
        if ev.unit:
            q.add(node, BL + "currencyUnit", nq.text(ev.unit, None))
        self.dec(node, BL + "initialBudget", ev.budget_initial)
        self.dec(node, BL + "fullYearBudget", ev.budget_full_year)
        self.dec(node, BL + "executedAmount", ev.executed)
        self.dec(node, BL + "executionRate", ev.execution_rate)
        self.dec(node, BL + "totalScore", ev.score)
        self.dec(node, BL + "maxScore", ev.max_score)
        self.lit(node, BL + "plannedGoal", ev.goal_planned)
        self.lit(node, BL + "actualOutcome", ev.goal_actual)
        for n, ind in enumerate(ev.indicators, 1):
            it = Minter.part(node, "indicator", n)
            q.type(it, BL + "EvaluatedIndicator")
            q.link(node, BL + "evaluatedIndicator", it)
            q.add(it, BL + "order", nq.integer(n))
            for level, label in ((1, ind.level1), (2, ind.level2), (3, ind.level3)):
                self.lit(it, BL + f"level{level}Label", label)
            self.lit(it, BL + "targetText", ind.target_raw)
            self.lit(it, BL + "actualText", ind.actual_raw)
            self.dec(it, BL + "weight", ind.weight)
            self.dec(it, BL + "indicatorScore", ind.score)
            self.lit(it, BL + "deviation", ind.deviation)
            self.prov(it, ind.loc)
        self.prov(node, ev.loc)

    def repair(self, i: int, r: Repair) -> None:
        q = self.q
        node = Minter.part(self.source, "repair", i + 1)
        q.type(node, BL + "Repair")
        q.add(node, BL + "column", nq.text(r.column, None))
        q.add(node, BL + "rawText", nq.text(r.raw, None))
        q.add(node, BL + "repairedValue", nq.decimal(r.value))
        q.add(node, BL + "evidence", nq.text(r.evidence, None))
        self.prov(node, r.loc, r.table, r.row)

    def flag(self, i: int, f: Flag) -> None:
        q = self.q
        node = Minter.part(self.source, "flag", i + 1)
        q.type(node, BL + "ExtractionFlag")
        q.add(node, BL + "flagKind", nq.text(f.kind, None))
        q.add(node, RDFS + "comment", nq.text(f.message, None))
        if f.raw is not None:
            q.add(node, BL + "rawText", nq.text(f.raw, None))
        self.prov(node, f.loc)


def map_disclosure(d: Disclosure, mint: Minter) -> QuadSet:
    """The quads of ``d``'s named graph."""
    return _Mapper(d, mint).run()
