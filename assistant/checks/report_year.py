"""The report's own year where the text sets the time frame: "2023年，我市…" in a 2024 report is last
year's text copied, not this year's account.

Only the forms that state the period the sentence reports on are read:
- a year at the start of a sentence or paragraph, followed by "，" or by the subject
  ("2023年我市…", "2023年度，全市…", "在2023年，"…);
- the year in the heading of a required part ("一、2023年推进法治政府建设的主要举措和成效").
Parts 一–三 and the opening report on the report's year; part 四 plans the next year. Years in
any other position ("2023年以来", "较2023年增长", "截至2023年底", "2023年6月，", a 2021—2025年
plan, a title) are history or comparison and are never reported.
"""

from __future__ import annotations

import re

from ..report_tree import ReportTree
from .findings import Finding

_SUBJECT = r"(?:我|全|本)(?:市|县|区|省|州|旗|局|委|厅|镇|乡|街道|部)"
_FRAME = r"(?:^|(?<=[。；;！？!?]))[ \t\u3000]*(?:在|于)?((?:19|20)\d{2})年(度)?(?=[，,]|{subject})"
_HEADING_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年(?!\s*[—–\-~～至])")
_PLANS = 4  # part number of 下一年度的主要安排


def check_report_year(text: str, tree: ReportTree, year: int | None, region: str | None = None) -> list[Finding]:
    if not year:
        return []
    subject = _SUBJECT + (f"|{re.escape(region)}" if region else "")
    frame = re.compile(_FRAME.replace("{subject}", subject), re.M)
    findings: list[Finding] = []
    skip = [tree.title_span] if tree.title_span else []
    if tree.signoff:
        skip.append((tree.signoff.start, tree.signoff.end))
    headings = {}
    for part in tree.sections:
        if part.level == 1:
            headings[(part.start, part.heading_end)] = part
    for m in frame.finditer(text):
        start = m.start(1)
        if any(a <= start < b for a, b in skip) or any(a <= start < b for a, b in headings):
            continue
        part = _part_at(tree, start)
        if part == 5:
            continue
        expected = year + 1 if part == _PLANS else year
        if int(m.group(1)) != expected:
            findings.append(_finding(text, start, m.end(1) + 1, int(m.group(1)), expected, part))
    for (start, end), part in headings.items():
        if part.part not in (1, 2, 3, _PLANS):
            continue
        expected = year + 1 if part.part == _PLANS else year
        for m in _HEADING_YEAR.finditer(text, start, end):
            if int(m.group(1)) != expected:
                findings.append(_finding(text, m.start(1), m.end(), int(m.group(1)), expected, part.part, heading=True))
            break  # the first year of a heading is its period
    return findings


def _part_at(tree: ReportTree, pos: int) -> int | None:
    for part in tree.sections:
        if part.line_start <= pos < part.end:
            return part.part
    return None


def _finding(text: str, start: int, end: int, found: int, expected: int, part: int | None,
             heading: bool = False) -> Finding:
    what = "第四部分是下一年度的安排" if part == _PLANS else "本报告写的是"
    where = "标题" if heading else "这句话"
    message = (f"{where}写的是{found}年，但{what}{expected}年的情况：是否照搬了往年的文字？"
               if part != _PLANS else f"{where}写的是{found}年，但{what}（{expected}年）。")
    return Finding("year_mismatch", "warning", start, end, text[start:end], message, expected=f"{expected}年",
                   found=f"{found}年", suggestion=f"改为“{expected}年”，并核对这段内容是否为本年度情况")
