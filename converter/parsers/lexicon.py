"""Words about organs and their documents, shared by the parsers that read names.

``identity`` reads where a department's full name ends (…局, …委员会, …人民政府);
``docnumbers`` reads where a document number's issuer abbreviation (石财外, 国办发,
闽人社文) starts, and a full organ name printed right before it (省财政厅冀财预〔2023〕5号,
国务院办公厅国办发〔2024〕5号) is never part of it. One list of organ endings serves both.
"""

from __future__ import annotations

import re

# how an organ's full name ends: words first (longest match wins in an alternation listed
# this way), then single characters
ORGAN_WORDS = ("委员会", "办公厅", "办公室", "管委会", "研究院", "研究所", "中心", "政府", "集团", "公司", "学校",
               "学院", "大学", "中学", "小学", "幼儿园", "医院", "党校", "法院", "检察院", "街道", "公署", "监狱",
               "林场", "农场", "基地")
ORGAN_CHARS = "局厅委办院所站部处队馆社室会台团园镇乡科股"
ORGAN_SUFFIX = re.compile("|".join(ORGAN_WORDS) + f"|[{ORGAN_CHARS}]")
# how a subordinate unit's name in a list ends (``units``): an organ's ending, a few more
# that a list of names allows but a title's words do not (…场, …库, …宫, …校: 市场 and 数据库
# are words of a title's rest), or the department's own budget named as such (…局本级,
# …局机关); a bracketed alias or nature may follow
# (…局本级行政 / …局本级事业: a department's own budget split by nature, 北京)
# (科协, 文联, 妇联, 残联, 侨联, 工商联, 社科联: mass organisations' short names)
UNIT_NAME_END = re.compile("(?:" + "|".join(ORGAN_WORDS) + f"|[{ORGAN_CHARS}场库宫校]|本级(?:行政|事业)?|机关"
                           "|科协|[文妇残侨商科]联)"
                           r"(?:[（(][^）)]{1,60}[)）])?$")

# Full organ names that may stand right before an issuer abbreviation but are never inside
# one. Issuers are abbreviations: they hold 办, 委, 府, 部 and 政府 (鹿政府办, 市委办政府办,
# 京编委, 穗府, 人社部发), so only the ORGAN_WORDS and endings no abbreviation uses are
# listed: 人民政府 and 市政府 (not 鹿政府办: a region's one character before 政府), 国务院,
# 财政部 (a ministry is cited as 财预, 财农), and …局 / …厅, which end a name only where an
# abbreviation of two or more characters follows (厅字〔2005〕8号 is the 中办's own issuer).
ORGAN_BEFORE_ISSUER = re.compile(
    r"委员会|办公厅|办公室|管委会|人民政府|[省市区县]政府(?!办)|国务院|中共中央|财政部|中心|集团|公司|[局厅]"
)
ORGAN_BEFORE_MIN_REST = 2  # characters of issuer that must follow such a word for it to be cut

# words that are never part of an issuer prefix but often stand right before one: verbs
# and nouns of citing (根据…, 文件, 资金来源), function words (的, 和, 对), form labels
# (项目名称); 经 is not one: 京财经一, 渝经信发 are issuers
LEAD_WORDS = re.compile(
    r"根据|依据|按照|参照|依照|遵照|结合|贯彻|关于|通知|文件|印发|转发|下达|符合|资金|来源|文号|批复|安排|拨付|要求|精神|"
    r"规定|落实|执行|同意|出台|制定|颁布|本级|名称|详见|项目|方案|办法|意见|细则|标准|指标|计划|通过|"
    r"对|及|和|与|等|的|为|是|了|在|按|将|由|以|即|向|从|见|据|照|系|之|表"
)


# one-character lead words that are also a region's abbreviation (即墨 即, 和平 和, 从化 从,
# 将乐 将): before a character an issuer never starts with (the kind of document and the
# office follow a region's or an organ's abbreviation: 京政发, 石财外, 国办发) such a word is
# the region, the first character of the issuer (即政发, 和政办, 从府发), not "namely"/"and"
REGION_LEADS = "即和从将"
NEVER_FIRST = "政府办发函字委"


def issuer_start(run: str, opens_phrase: bool = False) -> int:
    """Where the issuer abbreviation starts in ``run``, the CJK characters printed right
    before a number's year bracket: after the last lead word or full organ name in it.
    ``opens_phrase``: the run starts a phrase (after an opening bracket or at a line's
    start), where a conjunction never stands, so a region lead there is the region's
    (（和财农〔2024〕17号）, 和平县's)."""
    cut = 0
    for m in LEAD_WORDS.finditer(run):
        if m.group(0) in REGION_LEADS and m.end() < len(run) and run[m.end()] in NEVER_FIRST:
            continue  # 即政发: 即 is 即墨's abbreviation here, not "namely"
        if m.group(0) in REGION_LEADS and m.start() == 0 and opens_phrase:
            continue
        cut = m.end()
    for m in ORGAN_BEFORE_ISSUER.finditer(run):
        if m.end() > cut and len(run) - m.end() >= ORGAN_BEFORE_MIN_REST:
            cut = m.end()
    return cut
