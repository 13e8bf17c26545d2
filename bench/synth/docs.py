"""Funding and policy documents (发文字号) shared across departments, and the many ways
a document number is written."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.synth.catalog import PROVINCE_FIN, REGIONS, Region


@dataclass(frozen=True)
class FundingDoc:
    issuer: str  # 石财外
    year: int
    serial: int
    title: str  # subject of the allocation (省级吸引外商投资奖励)
    fin: str  # finance office letter (外/建/教…) or "" for a policy document

    @property
    def canonical(self) -> str:
        return f"{self.issuer}〔{self.year}〕{self.serial}号"

    @property
    def finance(self) -> bool:
        return "财" in self.issuer


_BRACKETS = [("[", "]"), ("〔", "〕"), ("（", "）"), ("(", ")"), ("［", "］")]


def write_number(doc: FundingDoc, rng: random.Random) -> str:
    """The number as a document writes it: bracket style and layout spaces vary
    (石财外[2023]39号, 石财建（2022）99 号, 鹿政办 (2022) 16 号). Every space sits next to a
    bracket or 号, so it is layout, not content."""
    o, c = rng.choice(_BRACKETS)
    sp = lambda: " " if rng.random() < 0.25 else ""  # noqa: E731
    return f"{doc.issuer}{sp()}{o}{doc.year}{c}{sp()}{doc.serial}{sp()}号"


_SUBJECTS = {
    "外": ["省级吸引外商投资奖励", "市级外商投资企业奖励资金", "中央外经贸发展资金", "服务贸易创新发展资金"],
    "建": ["省级中小企业发展专项资金", "稳定工业经济大盘补助资金", "农村公路养护补助资金", "安全生产专项资金"],
    "教": ["技术创新引导专项资金", "支持市县科技创新和科学普及专项资金", "义务教育薄弱环节改善资金", "公共文化服务体系建设资金"],
    "农": ["农业生产发展资金", "耕地地力保护补贴资金", "水利发展资金", "高标准农田建设补助资金"],
    "社": ["基本公共卫生服务补助资金", "养老服务体系建设资金", "医疗服务与保障能力提升补助资金", "社会救助补助资金"],
    "行": ["法律援助补助资金", "统计调查专项经费", "政法转移支付资金", "审计业务补助资金"],
}


class DocPool:
    """Allocation documents of the province and each city per year, and district policy
    documents. Departments pick from them with skewed weights so a few documents fund
    many departments (a funding-recipients query returns many rows)."""

    def __init__(self, seed: int, years: range) -> None:
        rng = random.Random(f"docs:{seed}")
        self.finance: dict[tuple[str, str, int], list[FundingDoc]] = {}  # (city_fin, fin letter, year)
        self.policy: dict[tuple[str, int], list[FundingDoc]] = {}  # (region code, year)
        cities = sorted({r.city_fin for r in REGIONS}) + [PROVINCE_FIN]
        for year in range(years.start - 3, years.stop):
            for city in cities:
                for fin, subjects in _SUBJECTS.items():
                    serials = sorted(rng.sample(range(3, 160), 4))
                    self.finance[(city, fin, year)] = [
                        FundingDoc(f"{city}{fin}", year, s, rng.choice(subjects), fin) for s in serials
                    ]
            for r in REGIONS:
                self.policy[(r.code, year)] = [
                    FundingDoc(r.local, year, s, "", "") for s in sorted(rng.sample(range(1, 60), 3))
                ]

    def allocation(self, region: Region, fin: str, budget_year: int, rng: random.Random) -> FundingDoc:
        """An allocation document for a project of ``budget_year`` (issued the year before
        or early in the year), city-level mostly, provincial sometimes; first documents of
        each list are picked most often."""
        city = PROVINCE_FIN if rng.random() < 0.25 else region.city_fin
        year = budget_year - 1 if rng.random() < 0.8 else budget_year - 2
        docs = self.finance[(city, fin, year)]
        return docs[min(int(rng.expovariate(1.2)), len(docs) - 1)]

    def policy_doc(self, region: Region, budget_year: int, rng: random.Random) -> FundingDoc:
        docs = self.policy[(region.code, budget_year - 1 - rng.randint(0, 1))]
        return rng.choice(docs)

    def budget_notice(self, region: Region, budget_year: int) -> FundingDoc:
        """The city finance bureau's budget-compilation notice, cited in the prose."""
        return FundingDoc(f"{region.city_fin}预", budget_year - 1, 5 + budget_year % 7, "", "预")
