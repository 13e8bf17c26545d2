"""The prose of a disclosure: summary figures stated in sentences, department-level
performance goals and the self-evaluation's items, score and grade (never the
evaluation team's names). The document's identity is read in ``identity``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from converter.parsers.lexicon import ORGAN_CHARS
from converter.readers.ir import Block, Heading, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import DepartmentGoal, EvaluationItem, Figure, SelfEvaluation

# An amount in 万元 (46,507.65 万元 too) or in 元 (广西: "2023 年政府采购预算 17000 元"): the
# figure keeps the unit it is stated in (Figure.unit), the graph states it in 万元 as well
_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:万元|万(?![\u4e00-\u9fff\w])|(?P<yuan>元))"
# A zero stated without a unit ("“三公”经费预算数为0，与2025年预算持平", Shanghai's unit budgets):
# zero is zero in any unit, so the figure is stated; any other bare number is not read.
_ZERO = r"(0(?:\.0+)?)(?=[，。；,;、）)]|$)"
# an item stated as none: "2017年无因公出国（境）费用预算" is a zero the sentence states
_NIL = r"(?P<nil>)"
_TOP_SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．]\s*(.{2,40})$")


@dataclass
class Section:
    title: str
    blocks: list[Block]


def sections(blocks: list[Block]) -> list[Section]:
    """Split at top-level numbered titles (一、… 二、…) of the 情况说明."""
    out: list[Section] = [Section("", [])]
    for b in blocks:
        if not isinstance(b, Table):
            key = squeeze_cjk(b.text)
            m = _TOP_SECTION.match(key)
            if m and not re.search(r"[.…]{3,}\s*\d*$", key) and len(key) <= 40:
                out.append(Section(key, [b]))
                continue
        out[-1].blocks.append(b)
    return out


def _text(blocks: list[Block]) -> str:
    return "\n".join(squeeze_cjk(b.text) for b in blocks if not isinstance(b, Table))


# ---- unit code lines ---------------------------------------------------------------
# "471001 石家庄市鹿泉区科学技术和工业信息化局本级" over a project table or in the units list
_UNIT_CODE_LINE = re.compile(r"^(\d{6,9})\s*([^\d，。；,;:：]{4,40})$")


# ---- figures -------------------------------------------------------------------

# A section (or sub-section) of its own for one side of the budget, titled right after its
# number: "二、收入预算情况说明", "（三）支出预算情况说明（详见表1-3）"; not the 财政拨款 or
# 一般公共预算 sections ("五、财政拨款支出预算情况说明") whose figures cover one source only.
# a 决算's "三、支出决算情况说明"; "1.预算收入情况：" (湖北) names the side after the budget
_OWN_SECTION = r"(?:^|[\s、）)])(?:{0}(?:预算|决算)|(?:预算|决算){0})情况"
# The side's total opens such a section: "2026 年度收入预算 44169.36 万元" (Beijing states the
# totals only there when its 报表 are an attachment), "2026 年支出预算合计 512,434.34 万元".
_SIDE_TOTAL = r"(?:\d{{4}}年?度?|本部门|本单位)(?:本?部门|本?单位)?{}预算(?:总计|合计)?(?:为)?"
# 基本支出 / 项目支出 inside the 支出预算 section, not a source's share ("财政拨款基本支出",
# "一般公共预算基本支出")
_NOT_ONE_SOURCE = r"(?<![款算])"

_ITEM_YEAR_FIGURE = (rf"^(?:[（(][一二三四五六七八九十]{{1,3}}[)）][^。：:，,]{{2,30}}[。：:])?\s*\d{{4}}\s*年度?"
                     rf"(?:预算数|预算安排|预算)(?:为)?{_NUM}")
# (not a 决算's: its 人员/公用经费 are the general budget's, beside the department's 基本支出 its
# 总体情况 states, and would read as that 基本支出's split)
_GPB_BASIC = r"(?:一般公共预算(?:财政)?(?:拨款)?|财政拨款)基本支出(?:预算)?情况"
# between a 三公 label and its amount: "财政拨款", "支出", "预算数", "预算安排", "总额"/"合计", "为"
# ("合计支出", "预算数", "预算安排", "总额"/"合计"/"总计", "为"), after the label's closing quote
_Q = r"[“”\"‘’']?"  # the quotes around 三公 or an item: full-width, ASCII or none
_AMOUNT_WORDS = _Q + r"(?:\s*\d{4}\s*年度?)?(?:(?:一般)?公共预算)?(?:财政拨款|拨款)?(?:合计)?(?:支出)?(?:预算数?|预算安排)?(?:支出)?(?:总额|合计|共计|总计)?(?:安排|为|是)*"
# the 三公 items' labels: 公车 for 公务用车 (四川), 因公出国（境）支出 without 费 (云南)
_OVERSEAS = r"因公出国[（(]境[)）](?:(?:经)?费用?|支出)?"
_CAR = r"(?:公(?:务用?)?车(?:辆)?|车辆)"  # 公务用车, 公车 (四川), 公务车(辆), 车辆 (四川 决算: "车辆购置支出")
# 公务用车费 (广西) is the item too; "公务用车运行维护及购置费", "公务用车运行费及购置费" name both parts
_VEHICLES = _CAR + r"(?:购置(?:费)?[及和]运(?:行)?(?:维护?)?|运(?:行)?(?:维护?)?(?:费)?[及和]购置)?费用?"
# both sides' totals in one clause, the unit after the second (四川 决算)
_PAIR = r"收[、和]支(?:出)?总计(?:各|分别)(?:是|为)"
_BARE = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:万元)?"  # the first of a pair
_BARE_UNIT = r"\d[\d,.]*\s*(?:万元|(?P<yuan>元))"  # the second of a pair, whose unit both share
# The department's 收支总体情况 ("三、预算收支及增减变化情况" (湖北) and "一、单位预算收支增减变化情况
# 说明" (广西, 西藏) too), not a 财政拨款 / 一般公共预算 or 三公 section that says 总体情况 ("四、财政
# 拨款收支预算总体情况说明", "（一）…“三公”经费支出决算总体情况说明"). The titles are the context
# before its "|", the block's own label after it ("1.一般公共预算财政拨款收入…")
_OVERALL = r"^(?![^|]*(?:三公|财政拨款|一般公共预算|政府性基金|国有资本)).*(?:总体情况|收支[^|]{0,4}增减变化情况|收支概况)"
# a side's total named by the document itself, not by a source or a class before it ("国有资本经营
# 预算收入", "社会保障和就业支出预算"): at the text's start, after a year, 部门/单位 or punctuation
_OWN_WORD = rf"(?:(?<![\u4e00-\u9fff])|(?<=[年门位排心府{ORGAN_CHARS}]))"  # 安排, 某中心, 某支队…

# the first wordings of three figures, read under their own titles and, last, anywhere
_OPERATING_COSTS = rf"机关运行(?:经)?费(?:共计|预算)?(?:安排)?(?:为)?{_NUM}"
_THREE_PUBLIC_TOTAL = rf"{_Q}三公{_Q}经费{_AMOUNT_WORDS}{_NUM}"
# a 三公 item is read under a title naming the 三公, or its own ("二、公务接待费" then "…安排公务
# 接待费预算8万元": 四川 county templates title each item)
_TP = "三公"
_TP_OVERSEAS, _TP_VEHICLES, _TP_RECEPTION = "三公|因公出国", "三公|公务用?车|公车", "三公|公务接待"
_OWN_VEHICLES = r"公务用?车|公车"  # a title naming the vehicles themselves, not the 三公 as a whole
_PROCUREMENT_TOTAL = rf"政府采购预算(?:总额)?(?:为)?{_NUM}"

_FIGURE_PATTERNS: list[tuple[str, str, str]] = [
    # (section regex, key, regex); section regex "" = anywhere. A key's first pattern that
    # matches wins: the later ones are other templates' wordings of the same figure.
    # "总收入581.45万元" / "总支出125.08万元" (广西 决算), not a "预算总支出"
    # "2025年本部门收入预算1767.4万元" (湖南)
    (_OVERALL, "income_total", rf"(?:{_OWN_WORD}(?:预算收入|收入(?:总)?预算(?:总计|合计)?)|收入总计(?:[（(]含结转和?结余[)）])?"
                               rf"|(?<![算款金])总收入)(?:为)?{_NUM}"),
    # "一般公共预算财政拨款收入", "一般公共预算拨款 1643.29 万元"
    (_OVERALL, "general_public_budget_income", rf"一般公共预算(?:财政)?(?:拨款(?:收入)?|收入)(?:为)?{_NUM}"),
    (_OVERALL, "carryover_income", rf"(?:上年结转(?:和?结余)?|年初结转和?结余)(?:为)?{_NUM}"),
    (_OVERALL, "expenditure_total",
     rf"(?:{_OWN_WORD}支出(?:总)?预算(?:总计|合计)?(?:为)?|支出总计(?:[（(]含结转和?结余[)）])?(?:为)?|(?<![算款金])总支出(?:为)?){_NUM}"),
    (_OVERALL, "basic_expenditure", rf"基本支出(?:为)?{_NUM}"),
    (_OVERALL, "personnel_expenditure", rf"人员经费(?:为)?{_NUM}"),
    (_OVERALL, "public_expenditure", rf"公用经费(?:为)?{_NUM}"),
    (_OVERALL, "project_expenditure", rf"项目支出(?:为)?{_NUM}"),
    # the general budget's 基本支出 split, in its own section ("五、一般公共预算拨款基本支出情况" then
    # "（一）人员经费 5080.69 万元", 福建): the figures the 一般公共预算基本支出表 gives
    (_GPB_BASIC, "personnel_expenditure", rf"人员经费(?:为)?{_NUM}"),
    (_GPB_BASIC, "public_expenditure", rf"公用经费(?:为)?{_NUM}"),
    ("机关运行", "operating_costs", _OPERATING_COSTS),
    # other templates' wordings: "机关运行经费财政拨款预算 874.74 万元" (北京, 深圳, 湖州, 国家信访局),
    # "一般公共预算财政拨款运行经费 2115.63 万元" (重庆), "机关运行经费支出 758.24 万元" (福建),
    # "机关运行经费预算支出 175.58 万元" (江苏), "机关运行经费（公用经费）预算总额为 1703.46 万元" (西安)
    ("机关运行", "operating_costs",
     rf"(?:机关|拨款)运行(?:经)?费(?:[（(][^）)]{{1,8}}[)）])?(?:一般公共预算)?(?:财政)?(?:拨款)?(?:共计|合计|预算数?|支出|总额|安排|为|是)*{_NUM}"),
    # the 三公 total and items, and the words a template puts between the label and the amount:
    # "“三公”经费预算数为 4,112.82 万元" (杭州), "因公出国（境）费用预算 0.00 万元" (湖州),
    # "公务接待费预算数为 2.00 万元", "“三公”经费财政拨款预算合计 30.75 万元"; quotes “” or "" or none
    (_TP, "three_public_total", _THREE_PUBLIC_TOTAL),
    (_TP, "three_public_total", rf"{_Q}三公{_Q}经费{_AMOUNT_WORDS}为{_ZERO}"),
    (_TP_OVERSEAS, "three_public_overseas", rf"{_OVERSEAS}{_AMOUNT_WORDS}{_NUM}"),
    (_TP_OVERSEAS, "three_public_overseas", rf"{_OVERSEAS}{_AMOUNT_WORDS}为{_ZERO}"),
    # none of the money, not of the trips or cars themselves ("无因公出国（境）团组", "无公务用车")
    (_TP_OVERSEAS, "three_public_overseas", rf"无{_OVERSEAS}(?<=[费用出])(?:预算|支出|安排)?{_NIL}"),
    (_TP_OVERSEAS, "three_public_overseas", rf"无{_OVERSEAS}(?:预算|支出|安排){_NIL}"),
    (_TP_VEHICLES, "three_public_vehicles", rf"{_VEHICLES}{_AMOUNT_WORDS}{_NUM}"),
    (_TP_VEHICLES, "three_public_vehicles", rf"{_VEHICLES}{_AMOUNT_WORDS}为{_ZERO}"),
    (_TP_VEHICLES, "three_public_vehicles", rf"无{_VEHICLES}(?<=费|用)(?:预算|支出|安排)?{_NIL}"),
    (_TP_VEHICLES, "three_public_vehicle_purchase", rf"{_CAR}购置(?:经?费用?)?{_AMOUNT_WORDS}{_NUM}"),
    # "公务用车运行维护支出23,005.58元", "公务用车运行支出 3.98万元" (云南, 广西 决算)
    (_TP_VEHICLES, "three_public_vehicle_operation", rf"{_CAR}(?:运行维护|运维|运行|维护)(?:费用?)?{_AMOUNT_WORDS}{_NUM}"),
    # under the vehicles' own title ("二、公务用车购置及运行费" over "其中：购置费0万元、运行费12万元",
    # "公务用车保有量2辆，购置及运行维护费5万元"): the parts named without 公务用车, never inside
    # another word (设备购置费, 机关运行费)
    (_OWN_VEHICLES, "three_public_vehicles", rf"(?<![\u4e00-\u9fff])购置[及和]运行(?:维护)?费用?{_AMOUNT_WORDS}{_NUM}"),
    (_OWN_VEHICLES, "three_public_vehicle_purchase", rf"(?<![\u4e00-\u9fff])购置(?:经?费用?|支出){_AMOUNT_WORDS}{_NUM}"),
    (_OWN_VEHICLES, "three_public_vehicle_operation",
     rf"(?<![\u4e00-\u9fff])运行(?:维护)?(?:费用?|支出){_AMOUNT_WORDS}{_NUM}"),
    # the item named without 费 ("公务接待11.8万元", "公务用车购置1422万元"): the amount follows the name
    (_TP_RECEPTION, "three_public_reception", rf"公务接待(?:费用?)?{_AMOUNT_WORDS}{_NUM}"),
    (_TP_RECEPTION, "three_public_reception", rf"公务接待(?:费用?)?{_AMOUNT_WORDS}为{_ZERO}"),
    # a 三公 item titled by its own sub-section, its amount in the year's sentence: "（一）因公出国
    # （境）费用。2026 年预算数 181.99 万元" (北京), "（一）因公出国（境）经费" then "2026 年预算安排
    # 0.00 万元" (福建): the year's figure opens the item's text
    ("因公出国", "three_public_overseas", _ITEM_YEAR_FIGURE),
    ("公务用车购置[及和]运", "three_public_vehicles", _ITEM_YEAR_FIGURE),
    ("公务接待", "three_public_reception", _ITEM_YEAR_FIGURE),
    ("政府采购", "procurement_total", _PROCUREMENT_TOTAL),
    # other templates' wordings: "政府采购安排483.05万元" (广州), "政府采购预算共4,516.87万元"
    # (西安), "政府采购项目共有620万元" (深圳), "政府采购支出预算总额26.94万元" (无锡), and in a
    # 决算 "政府采购支出总额共…万元", "政府采购金额（以合同签订为准）为251.25万元"; never a class's
    # share (货物/工程/服务 stand between 采购 and the amount) nor the SME reserve (项目预算金额)
    ("政府采购", "procurement_total",
     rf"政府采购(?:支出)?(?:预算)?(?:项目)?(?:总额|金额|总计)?(?:[（(][^）)]{{1,12}}[)）])?(?:共有|共计|合计|共|安排|为|是)*{_NUM}"),
    ("资产", "fixed_assets_total", rf"(?:上年末)?固定资产(?:金额|总额|原值)(?:为)?{_NUM}"),
    ("资产", "planned_asset_purchases", rf"拟购置固定资产(?:总额|金额)?(?:为)?{_NUM}"),
    (_OWN_SECTION.format("收入"), "income_total", _SIDE_TOTAL.format("收入") + _NUM),
    # the income side's sources listed in its own section when the 报表 are an attachment:
    # "1.一般公共预算拨款收入 130848.45 万元", "10.上年结转结余 9687.21 万元" (北京)
    (_OWN_SECTION.format("收入"), "general_public_budget_income", rf"一般公共预算(?:财政)?(?:拨款)?收入(?:为)?{_NUM}"),
    (_OWN_SECTION.format("收入"), "carryover_income", rf"上年结转(?:和?结余)?(?:收入)?(?:为)?{_NUM}"),
    (_OWN_SECTION.format("支出"), "expenditure_total", _SIDE_TOTAL.format("支出") + _NUM),
    (_OWN_SECTION.format("支出"), "basic_expenditure", rf"{_NOT_ONE_SOURCE}基本支出(?:预算)?(?:为)?{_NUM}"),
    (_OWN_SECTION.format("支出"), "project_expenditure", rf"{_NOT_ONE_SOURCE}项目支出(?:预算)?(?:为)?{_NUM}"),
    # the national template's closing sentence of 收支总体情况: "杭州市公安局 2026 年收支总预算
    # 404,415.23 万元" (杭州, 湖州, 国家信访局): one figure for both sides (收入总计 = 支出总计);
    # "2026 年国家信访局收入预算总计 50,616.94 万元" under 关于部门收入总表的说明
    # (not "财政拨款收支总预算": one source's)
    ("", "income_total", rf"(?<!拨款)(?<!预算)收支(?:总预算|预算总额|预算总计)(?:为|是)?{_NUM}"),
    ("", "expenditure_total", rf"(?<!拨款)(?<!预算)收支(?:总预算|预算总额|预算总计)(?:为|是)?{_NUM}"),
    ("", "income_total", rf"收入预算总(?:计|额)(?:为|是)?{_NUM}"),
    ("", "expenditure_total", rf"支出预算总(?:计|额)(?:为|是)?{_NUM}"),
    # both sides' totals in one clause, the unit after the second: "2022年度收、支总计各是
    # 4125.49,4143.91万元" (四川 决算)
    (_OVERALL, "income_total", rf"{_PAIR}{_BARE}[,，、和]\s*{_BARE_UNIT}"),
    (_OVERALL, "expenditure_total", rf"{_PAIR}\d[\d,.]*[,，、和]\s*{_NUM}"),
    # a side's sub-section opening with the year's 年初预算数 (重庆): "（一）收入预算：2024年年初预算数…万元"
    ("", "income_total", rf"收入预算[:：]?\s*\d{{4}}\s*年(?:年初|初)?预算数(?:为)?{_NUM}"),
    ("", "expenditure_total", rf"支出预算[:：]?\s*\d{{4}}\s*年(?:年初|初)?预算数(?:为)?{_NUM}"),
    # … or titled by it alone, the year's figure opening the next line
    (r"\s收入预算\s\|", "income_total", rf"^\s*\d{{4}}\s*年(?:年初|初)?预算数(?:为)?{_NUM}"),
    (r"\s支出预算\s\|", "expenditure_total", rf"^\s*\d{{4}}\s*年(?:年初|初)?预算数(?:为)?{_NUM}"),
]
# Last, in a budget only: the topic's own sentence under a title that does not name it
# ("七、其他重要事项的情况说明" holding "…“三公”经费预算数为12.00万元", a paragraph that goes on
# from "1.机关运行经费：…" to "2.政府采购情况：…"). The sentence names its topic, so it is read
# outside the sections of the topics where it means a part (a procurement for the 三公 vehicles,
# an asset's); not in a 决算, whose sentences state budget and actual side by side.
_ANYWHERE_PATTERNS: list[tuple[str, str, str]] = [
    ("", "three_public_total", _THREE_PUBLIC_TOTAL),
    ("", "operating_costs", _OPERATING_COSTS),
    (r"(?s)^(?!.*(?:三公|公务用车|资产|项目))", "procurement_total", _PROCUREMENT_TOTAL),
]


# "第四部分 政府采购预算情况" (深圳): a part whose text follows its title without a 一、… section
# under it titles that text as a top-level section would; a 一、… inside the part replaces it
_PART = re.compile(r"^第[一二三四五六七八九十]{1,3}部分\s*(.{2,40})$")
# an unnumbered title of a page of its own: "某局2016年部门预算“三公”经费预算情况说明"
# ("某镇2020年“三公”经费决算情况", "2021年度“三公”经费决算汇总情况"); a numbered one is a sub-section
# ("…“三公”经费决算情况及增减变化原因说明", "…“三公经费”预算对比增减说明")
_TITLE_ONLY = re.compile(r"^(?![（(]?[一二三四五六七八九十\d]{1,3}[)）、.．])[^，。；,;:：]{2,38}"
                         r"(?:情况(?:说明)?|情况及[^，。；,;:：]{1,10}说明|增减(?:变化)?(?:原因)?说明)$")
_SUB_SECTION = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d))\s*([^：:。，,]{2,30})")


def _contexts(blocks: list[Block]) -> list[tuple[Block, str]]:
    """Each text block with the titles it stands under: its top-level section (一、…),
    its sub-section ((四)… / 2.…) and its own leading label ("（四）政府采购情况：2026年…").
    Regional templates put a figure under a sub-section of a differently named section."""
    out: list[tuple[Block, str]] = []
    top = sub = ""
    for b in blocks:
        if isinstance(b, Table):
            continue
        text = squeeze_cjk(b.text)
        m = _TOP_SECTION.match(text) or _PART.match(text) or _TITLE_ONLY.match(text)
        if m and len(text) <= 40 and not re.search(r"[.…]{3,}\s*\d*$", text):
            top, sub = text, ""
            if re.search(_NUM, text):  # "一、全口径预算安排2017三公经费预算总计21.56万元": a title stating a figure
                out.append((b, top))
            continue
        m = _SUB_SECTION.match(text)
        label = m.group(1) if m else ""
        out.append((b, f"{top} {sub} | {label}"))  # the titles it stands under, then its own label
        if m and len(text) <= 40 and not re.search(_NUM, text):
            sub = label  # a sub-section title; a short item stating an amount is no title for what follows
    return out


# ---- final accounts (部门决算): the year's actual, not its budget --------------------------
# A 决算's 情况说明 states a figure's budget and its actual in one sentence: "“三公”经费支出
# 预算593.46万元，支出决算587.55万元" (西安), "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为
# 0.00万元，…其中：因公出国（境）费决算为0.00万元" (上海普陀). The document's figure is the 决算数:
# the label, then (within its sentence) 决算(数)(为) or 实际支出 and the amount; a budget figure the
# sentence does not follow with its 决算 is not the year's figure and is not read.
_ACTUAL_WORD = r"(?:决算(?:汇总)?(?:数)?|实际支出(?:数)?)(?:总额|共计|合计)?"  # "决算总额为", "决算数共计"
_ACTUAL = rf"(?:(?!会议费|培训费)[^。；;]){{0,40}}?{_ACTUAL_WORD}(?:为|是)?{_NUM}"  # not a sum with 会议/培训费
_ACTUAL_PATTERNS: list[tuple[str, str, str]] = [
    # the total's window names no item: "“三公”经费中，因公出国（境）费决算为…" is the item's
    (_TP, "three_public_total", rf"{_Q}三公{_Q}经费(?:(?!因公出国|公务用车|公务接待|会议费|培训费)[^。；;]){{0,40}}?"
                                   rf"{_ACTUAL_WORD}(?:为|是)?{_NUM}"),
    (_TP_OVERSEAS, "three_public_overseas", _OVERSEAS + _Q + _ACTUAL),
    (_TP_VEHICLES, "three_public_vehicles", _VEHICLES + _Q + _ACTUAL),
    (_TP_VEHICLES, "three_public_vehicle_purchase", _CAR + r"购置(?:经?费用?|支出)" + _Q + _ACTUAL),
    (_TP_VEHICLES, "three_public_vehicle_operation", _CAR + r"(?:运行维护|运维|运行|维护)费?" + _Q + _ACTUAL),
    (_TP_RECEPTION, "three_public_reception", r"公务接待费" + _Q + _ACTUAL),
    # "机关运行经费预算627.62万元，支出决算627.62万元" (西安)
    ("机关运行", "operating_costs", r"(?:机关|拨款)运行(?:经)?费" + _ACTUAL),
]
# Last, in a 决算: the 三公 total and 机关运行经费 whose sentence names its 决算 figure, under a
# title that does not name the topic ("七、其他重要事项的情况说明" holding "“三公”经费财政拨款支出
# 决算为…万元"): the sentence's own 决算 word says it is the year's actual
_ANYWHERE_ACTUAL: list[tuple[str, str, str]] = [
    ("", key, pattern) for _, key, pattern in _ACTUAL_PATTERNS if key in ("three_public_total", "operating_costs")]
# a budget's figure: 预算, not the name of a budget (一般公共预算财政拨款收入 is the year's income)
_BUDGET_WORD = re.compile(r"(?<!公共)(?<!资本经营)(?<!政府性基金)预算")  # 一般公共预算, 公共预算
# a budget stated as the sentence's subject ("“三公”经费预算为168.53万元"), not a comparison
# with it ("完成预算的97.06%")
_BUDGET_STATED = re.compile(r"(?<!公共)(?<!资本经营)(?<!政府性基金)预算(?:数|总额)?(?:为|是|共计|安排)?\s*\d")
_FOLLOWING_ACTUAL = re.compile(rf"^[^。；;]{{0,20}}?{_ACTUAL_WORD}(?:为|是)?{_NUM}")


Amount = tuple[str, str | None]  # (the number as printed, "元" or None for 万元)


def _amount(m: re.Match[str]) -> Amount:
    if m.groupdict().get("nil") is not None:  # "无因公出国（境）费用预算"
        return "0", None
    return m.group(1), "元" if m.groupdict().get("yuan") else None


def _actual_value(text: str, m: re.Match[str]) -> Amount | None:
    """In a 决算, the amount a sentence states for the year: the 决算 figure after a matched
    budget figure ("预算593.46万元，支出决算587.55万元" -> 587.55); None for a budget figure
    without one; the matched figure when it is not a budget's."""
    if re.search(_ACTUAL_WORD, m.group(0)):  # an _ACTUAL_PATTERNS match: the 决算 figure itself
        return _amount(m)
    follow = _FOLLOWING_ACTUAL.search(text[m.end():])
    if follow:
        return _amount(follow)
    # an item of a sentence about the budget: "“三公”经费预算为168.53万元，其中：因公出国（境）费
    # 39万元…" is the budget's breakdown; the year's actual items come in a later sentence
    sentence = re.split(r"[。；;]", text[: m.start()])[-1]
    if _BUDGET_STATED.search(sentence) and not re.search(_ACTUAL_WORD, sentence):
        return None
    return None if _BUDGET_WORD.search(m.group(0)) else _amount(m)


# a year printed right before the figure, or in its words ("2024年收入预算总计…" in a 2025 budget)
_YEAR_BEFORE = re.compile(r"(\d{4})\s*年度?[^，。；,;\d]{0,12}$")
_YEAR_IN = re.compile(r"(\d{4})\s*年")


# figures that are of the year before by definition: "2025年末固定资产总额…" in a 2026 budget
_AS_OF_YEAR_END = frozenset({"fixed_assets_total"})


def _of_another_year(text: str, m: re.Match[str], year: int | None) -> bool:
    """The figure is labelled with a year that is not the document's: last year's total
    beside this year's ("…240万元，2024年收入预算总计363.13万元，同比降低…")."""
    if year is None:
        return False
    clause = re.split(r"[，。；,;]", text[: m.start()])[-1]
    years = [int(y) for y in _YEAR_IN.findall(m.group(0))]
    before = _YEAR_BEFORE.search(clause)
    if before:
        years.append(int(before.group(1)))
    return bool(years) and year not in years


def prose_figures(blocks: list[Block], self_evaluation: bool, final_accounts: bool = False,
                  year: int | None = None) -> list[Figure]:
    """One figure per key: the first sentence stating it under a title naming its topic
    (in a 决算, its 决算 figure: ``_ACTUAL_PATTERNS``), never one labelled with another year
    than the document's ``year``."""
    figures: list[Figure] = []
    contexts = _contexts(blocks)
    patterns = (_ACTUAL_PATTERNS if final_accounts else []) + _FIGURE_PATTERNS + (
        [] if self_evaluation else _ANYWHERE_ACTUAL if final_accounts else _ANYWHERE_PATTERNS)
    for want, key, pattern in patterns:
        if any(f.key == key for f in figures):
            continue
        rx = re.compile(pattern)
        section = re.compile(want)
        for b, context in contexts:
            if not self_evaluation and want and not section.search(context):
                continue
            text = squeeze_cjk(b.text)
            for m in rx.finditer(text):
                if key not in _AS_OF_YEAR_END and _of_another_year(text, m, year):
                    continue
                # in a 决算 every sentence may state a budget beside the year's actual
                amount = _actual_value(text, m) if final_accounts else _amount(m)
                if amount is not None:
                    figures.append(Figure(key=key, value=Decimal(amount[0].replace(",", "")), origin="prose",
                                          unit=amount[1], loc=b.loc))
                    break
            if any(f.key == key for f in figures):
                break
    return figures


# ---- department goals -----------------------------------------------------------

_GOAL_ITEM = re.compile(r"^(?:\d{1,2}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])\s*(?P<rest>.+)$")
_GOAL_START = re.compile(r"分项绩效目标$|绩效目标、指标$")
_GOAL_END = re.compile(r"工作保障措施|第二部分|部门主管专项|自评工作开展|预算项目绩效|分项绩效目标实现")


def overall_goal(blocks: list[Block]) -> str | None:
    texts: list[str] = []
    on = False
    for b in blocks:
        if isinstance(b, Table):
            continue
        key = norm_key(b.text)
        if re.search(r"总体绩效目标$", key):
            on = True
            continue
        if on and (_GOAL_START.search(key) or _GOAL_END.search(key)):
            break
        if on:
            texts.append(squeeze_cjk(b.text))
    return "\n".join(texts) or None


def department_goals(blocks: list[Block]) -> list[DepartmentGoal]:
    goals: list[DepartmentGoal] = []
    on = False
    for b in blocks:
        if isinstance(b, Table):
            continue
        text = squeeze_cjk(b.text)
        key = norm_key(text)
        if _GOAL_START.search(key):
            on = True
            continue
        if not on:
            continue
        if _GOAL_END.search(key) or (_TOP_SECTION.match(text) and len(text) < 40):
            break
        m = re.match(r"^(?:年度)?绩效(目标|指标)[:：]\s*(.*)$", text)
        if m and goals:
            if m.group(1) == "目标":
                goals[-1].goal = m.group(2) or None
            else:
                goals[-1].indicators = m.group(2) or None
            continue
        m = _GOAL_ITEM.match(text)
        if m and (isinstance(b, Heading) or len(text) < 200 or re.search(r"[:：。]", text[:40])):
            rest = m.group("rest")
            parts = re.split(r"(?<=[:：。])", rest, maxsplit=1)
            title = parts[0].rstrip("：:。").strip()
            desc = parts[1].strip() if len(parts) > 1 else None
            goals.append(DepartmentGoal(title=title, description=desc or None, loc=b.loc))
            continue
        if goals:
            g = goals[-1]
            g.description = (g.description + "\n" + text) if g.description else text
    return goals


# ---- self-evaluation -------------------------------------------------------------

_EVAL_ITEM = re.compile(r"^\d{1,2}[、.．]\s*+(?P<title>.+?)完成情况[:：]?$")  # \s*+: linear on space runs
_SCORE = re.compile(r"(?:得分|评分|评价结果|综合得分)[^。；]{0,40}?(?<![\d.])(\d+(?:\.\d+)?)\s*分(以上)?")  # bounded: linear
_GRADE = re.compile(r"(?:等级|评价等级|评级)(?:为|是|：|:)?\s*[“\"]?(优秀|良好|优|良|中等|中|合格|及格|一般|差|不合格)")
_NAMES_SECTION = re.compile(r"人员名单|签字|工作组成员")


def self_evaluation(blocks: list[Block]) -> SelfEvaluation | None:
    ev = SelfEvaluation()
    current: EvaluationItem | None = None
    in_items = False
    for b in blocks:
        if isinstance(b, Table):
            continue
        text = squeeze_cjk(b.text)
        key = norm_key(text)
        if _NAMES_SECTION.search(key):
            break  # the evaluation team: personal names are not published
        if "目标实现情况" in key or "分项绩效目标实现" in key:
            in_items = True
            continue
        m = _EVAL_ITEM.match(text)
        if in_items and m:
            current = EvaluationItem(title=m.group("title").strip(), loc=b.loc)
            ev.items.append(current)
            continue
        if _TOP_SECTION.match(text):
            in_items = in_items and "评价结论" not in key and "存在的问题" not in key
            if "评价结论" in key:
                current = None
                in_items = False
            continue
        if in_items and current is not None:
            current.outcomes.append(text)
            continue
        sm = _SCORE.search(text)
        gm = _GRADE.search(text)
        if sm or gm:
            ev.conclusion = ev.conclusion or text
            ev.loc = b.loc
            if sm and ev.score is None:
                ev.score = ("≥" if sm.group(2) else "") + sm.group(1)
            if gm and ev.grade is None:
                ev.grade = gm.group(1)
    if not ev.items and ev.score is None and ev.grade is None:
        return None
    return ev
