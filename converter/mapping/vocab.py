"""Namespaces and terms used by the mapping. Own terms (``BL``) are declared, with
Chinese and English labels and a comment each, in ontology/budget-lod.ttl; the test suite
checks that every own term the mapping, shapes and queries use is declared there."""

from __future__ import annotations

from converter.mapping.iris import CODES, VOCAB
from converter.parsers.catalogue import CATALOGUE

BL = VOCAB
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
QB = "http://purl.org/linked-data/cube#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
ELI = "http://data.europa.eu/eli/ontology#"
SCHEMA = "https://schema.org/"
OBEU_DIM = "http://data.openbudgets.eu/ontology/dsd/dimension/"
OBEU_MEASURE = "http://data.openbudgets.eu/ontology/dsd/measure/"
OBEU_OPERATION = "http://data.openbudgets.eu/resource/codelist/operation-character/"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SPDX = "http://spdx.org/rdf/terms#"

# The prefixes of every serialisation, page and query text (dumps, JSON-LD contexts, the
# endpoint's query UI and its own queries): declared here once.
PREFIXES: dict[str, str] = {
    "bl": BL, "blcode": CODES, "dcat": DCAT, "dct": DCT, "eli": ELI, "obeu-dimension": OBEU_DIM,
    "obeu-measure": OBEU_MEASURE, "org": ORG, "owl": OWL, "prov": PROV, "qb": QB, "rdf": RDF,
    "rdfs": RDFS, "schema": SCHEMA, "skos": SKOS, "spdx": SPDX, "void": VOID, "xsd": XSD,
}


def sparql_prefixes(*names: str) -> str:
    """PREFIX lines of a query text, for the given prefixes of PREFIXES."""
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in names)

# Query support (issue 14): a budget's parts of these classes are also linked from the budget
# (budget -> part, besides part bl:budget budget). A query that starts from a department's
# budget then reaches its figures, tables, procurement rows or evaluations in one lookup;
# through bl:budget it reads every node that names the budget (some 2,000 lines, cells and
# figures a budget in the synthetic corpus, each then tested for its class).
BUDGET_PARTS: dict[str, str] = {
    "SummaryFigure": "hasSummaryFigure",
    "SourceTable": "hasTable",
    "ProcurementItem": "hasProcurementItem",
    "ProjectEvaluation": "hasProjectEvaluation",
}

# fixed code lists (ontology/codelists.ttl)
CITATION_CONTEXT = CODES + "citation-context/"
INDICATOR_LEVEL = CODES + "indicator-level/"
DOCUMENT_KIND = CODES + "document-kind/"

# the fixed national indicator framework: printed name -> concept slug
INDICATOR_LEVELS: dict[str, str] = {
    "产出指标": "output",
    "效益指标": "benefit",
    "满意度指标": "satisfaction",
    "成本指标": "cost",
    "数量指标": "quantity",
    "质量指标": "quality",
    "时效指标": "timeliness",
    "经济效益指标": "economic-benefit",
    "社会效益指标": "social-benefit",
    "生态效益指标": "ecological-benefit",
    "可持续影响指标": "sustainability",
    "服务对象满意度指标": "service-satisfaction",
    "经济成本指标": "economic-cost",
    "社会成本指标": "social-cost",
    "生态环境成本指标": "ecological-cost",
}

CITATION_CONTEXTS = ("project_name", "goal", "purpose", "basis", "indicator", "heading", "prose", "cell")

# code-list schemes minted into the graph (under the configurable base)
SCHEME_LABELS: dict[str, tuple[str, str]] = {
    "function": ("支出功能分类科目", "Function classification of expenditure"),
    "economic": ("部门支出经济分类科目", "Economic classification of departmental expenditure"),
    "gov-economic": ("政府预算支出经济分类科目", "Economic classification of government expenditure"),
    "procurement": ("政府采购品目分类目录", "Government procurement catalogue"),
    "unit-nature": ("单位性质", "Nature of unit"),
    "unit-rank": ("单位规格", "Administrative rank of unit"),
    "funding-form": ("经费保障形式", "Form of funding guarantee"),
}

# tables that report revenue / expenditure (OpenBudgets.eu operation character)
OPERATION: dict[str, str] = {k.key: k.operation for k in CATALOGUE if k.operation}
