"""分别 lists: "新接收、依法解除社区矫正对象分别为172名、165名", "同比分别增长7.4%和5.1%",
"分别占41.4%、56.5%" — each number goes with its own item before 分别, in order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..quantities import Mention


@dataclass
class Respectively:
    """A number in a "分别" list: "新接收、依法解除社区矫正对象分别为172名、165名"."""
    index: int  # its place in the list
    size: int  # how many numbers the list has
    at: int  # where "分别" is
    item: str | None  # the words before 分别 that go with it ("新接收"), when they can be told apart


_LIST_GAP = re.compile(r"^[、和及与，,\s]*$")
# "分别为", "同比分别增长", "分别同比增长", "分别比上年下降", "分别占"
_FENBIE = re.compile(r"分别\s*(?:比上年|较上年|比去年|较去年|同比|环比)?\s*"
                     r"(?:为|是|达到|达|有|占|增长了?|增加了?|提高了?|提升了?|上升了?|下降了?|减少了?|降低了?)?")
_ITEM_SPLIT = re.compile(r"[、和及与]")


def respectively(text: str, mentions: list[Mention]) -> dict[int, Respectively]:
    """The numbers that follow a "分别", each with its place and, when the words before 分别 list as
    many items as there are numbers, its own item."""
    out: dict[int, Respectively] = {}
    for fm in _FENBIE.finditer(text):
        after = [j for j, m in enumerate(mentions) if m.start >= fm.end()]
        group: list[int] = []
        pos = fm.end()
        for j in after:
            if not _LIST_GAP.match(text[pos:mentions[j].start]):
                break
            group.append(j)
            pos = mentions[j].end
        if len(group) < 2:
            continue
        start = fm.start()
        while start > 0 and text[start - 1] not in "，,；;。：:！？!?\n":
            start -= 1
        items = [x.strip() for x in _ITEM_SPLIT.split(text[start:fm.start()]) if x.strip()]
        for k, j in enumerate(group):
            out[j] = Respectively(k, len(group), fm.start(), items[k] if len(items) == len(group) else None)
    return out

