"""Strip extraction markup: <b>/<p> tags, markdown emphasis, LaTeX math, and layout
whitespace inside Chinese text."""

from __future__ import annotations

import re
from functools import lru_cache

_HINT = re.compile(r"[<$*_]")
_TAG = re.compile(r"</?(?:b|p|i|u|strong|em|span|br|sup|sub)\s*/?>", re.I)
_MATH = re.compile(r"\$([^$]{1,80})\$")
_LATEX = {
    r"\geqslant": "≥", r"\leqslant": "≤", r"\geq": "≥", r"\leq": "≤", r"\ge": "≥", r"\le": "≤",
    r"\neq": "≠", r"\times": "×", r"\pm": "±", r"\sim": "~", r"\lt": "<", r"\gt": ">",
    r"\%": "%", r"\cdot": "·", r"\div": "÷", r"\approx": "≈",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in sorted(_LATEX, key=len, reverse=True)))
_LATEX_WRAP = re.compile(r"\\(?:text|mathrm|mathbf|textbf|rm)\s*\{([^{}]*)\}")

# CJK ideographs, CJK punctuation and full-width forms: spaces next to these are
# layout artefacts (line wrapping inside a cell), never meaningful.
_CJK = "()\\[\\]\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》〔〕【】、，。；：？！（）"
# Whole runs of layout spaces, each matched once and kept or dropped by its neighbours: a
# pattern with the CJK test as a lookahead after `[ \t]+` re-scans a long run from every
# position in it (quadratic on 20,000 spaces).
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")


_DASH = "-－–—"


def _drop_near_cjk(m: re.Match[str]) -> str:
    text, i, j = m.string, m.start(), m.end()
    if (i > 0 and _CJK_CHAR.match(text, i - 1)) or (j < len(text) and _CJK_CHAR.match(text, j)):
        return ""
    if i > 1 and text[i - 1] in _DASH and text[i - 2].isdigit() and j < len(text) and text[j].isdigit():
        return ""  # a range wrapped at its dash inside a cell: "2025-" / "2026年…" is 2025-2026
    return m.group()


def _math(m: re.Match[str]) -> str:
    body = _LATEX_WRAP.sub(r"\1", m.group(1))
    body = _LATEX_RE.sub(lambda k: _LATEX[k.group(0)], body)
    body = body.replace("{", "").replace("}", "").replace("\\", "")
    return re.sub(r"\s+", "", body)


def strip_markup(text: str) -> str:
    """Remove tags, markdown bold/italic markers and LaTeX; keep the words."""
    if not _HINT.search(text):
        return text.replace("\u00a0", " ")
    text = _TAG.sub("", text)
    text = _MATH.sub(_math, text)
    text = text.replace("**", "").replace("__", "")
    return text.replace("\u00a0", " ")


@lru_cache(maxsize=1 << 16)
def squeeze_cjk(text: str) -> str:
    """Collapse whitespace that sits next to CJK characters and trim the ends.

    "一般公共 服务 支出" -> "一般公共服务支出"; "2024 年" -> "2024年"; Latin word
    spacing ("BIO 大会" keeps no space before 大 but "K50 智库" -> "K50智库") is
    layout too in these documents."""
    return _SPACE_RUN.sub(_drop_near_cjk, text).strip()


@lru_cache(maxsize=1 << 16)
def norm_key(text: str) -> str:
    """Comparison key for headers: no markup, no whitespace, 档次 read as 栏次."""
    return re.sub(r"\s+", "", strip_markup(text)).replace("档次", "栏次")
