"""Binding: a number is tied to an input figure by the words around it (its clause first, then its
sentence, paragraph and headings) and by its unit. Label words shared by many figures
("案件", "化解") count for less than distinctive ones ("物业", "复议"). When the value agrees,
that is evidence too; but a wrong number still binds by its words, which is how a mismatch is
found — unless the words right at the number name something the figure's label does not
("成功化解物业纠纷64件" is not "人民调解成功化解案件"): a number that disagrees with a figure and is
described by other words is a different statistic, so it is unsupported, not a mismatch.

The figure checks (`check`) and the offline drafter both bind through `FigureBinder`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass
from decimal import Decimal

from ...inputs import Figure, Inputs
from ...report_tree import ASIDE, ReportTree
from ...units import PERCENT, compatible, match_unit, split_unit
from ..quantities import Mention, clause_bounds, overlaps, paragraph_bounds, sentence_bounds, source_interval
from .lists import respectively

_NON_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z]")
MIN_WORDS = 0.34  # minimum evidence from words to bind a number to a figure
_MARGIN = 0.15  # how much better the words must fit one figure than the next to call a wrong value a mismatch
# words around a number that say nothing about what is counted
_GENERIC_WORDS = ("全市", "全县", "全区", "全省", "全州", "全镇", "全乡", "全旗", "全年", "今年", "本年", "年内", "当年",
                  "本级", "累计", "共计", "合计", "总计", "其中", "达到", "一共", "总共", "分别", "各级", "共有", "全部",
                  "我市", "我县", "我区", "我州", "我省", "我局", "本市", "本县", "本区", "目前", "截至", "当前",
                  "现有", "以来", "包括", "在内", "总数", "数量", "上年", "去年", "上一年", "同期", "同比", "环比",
                  "年底", "年末", "年初", "年度", "仅占", "占到", "提高到", "增长到", "上升到", "提升到",
                  "增加到", "下降到", "降低到", "减少到", "提高至", "提升至", "增加至", "增长至", "上升至", "下降至",
                  "降低至", "减少至", "降至", "升至", "整合为", "整合至", "调整为", "调整至", "精简为", "精简至",
                  "压减为", "压减至", "合并为", "缩减为", "缩减至", "增至", "减至", "变为")
# words that say how a figure changed, not what it counts: they do not bind a number to a label
# ("同比下降11.8%" is not 涉企行政检查次数同比下降's because of 同比下降); the change is checked
# against `previous` by year_over_year
_CHANGE_TEXT = re.compile(r"同比|环比|比上年|较上年|比去年|较去年|增长|下降|上升|提高|降低|减少|增加|提升|增幅|降幅")
# “quoted names” of campaigns and services before a number name the activity, not what is counted
_QUOTED_NAME = re.compile(r"[“\"「『][^“”\"」』\n]{1,24}[”\"」』]")
_LAST_NUMBER = re.compile(r"[\d０-９][\d０-９.,，]*[万亿千百]?[余多]?")
_FILLER_CHARS = frozenset("的了和及与等共计达为数已均约近超过余多逾将并对在向把被由是有其中")
_PHRASE_BREAK = frozenset("因被依而经并且均已由于和及是，,、；;：:。！？\n（(")
_LAST_YEAR = re.compile(r"上年|去年|上一年|前一年|同期|[12]\d{3}年的")
_COMPARISON_WORDS = ("上年", "去年", "上一年", "同期", "同比", "环比")  # "窗口由上年的32个": still at the number
_CONFUSABLE = {"人": ("人次",), "人次": ("人", "次"), "次": ("人次",)}  # people vs attendances: not the same

@lru_cache(maxsize=16384)
def grams(text: str) -> frozenset[str]:
    """The character bigrams of a text's words (a lone character stands for itself)."""
    clean = _NON_WORD.sub(" ", text)
    out: set[str] = set()
    for piece in clean.split():
        if len(piece) == 1:
            out.add(piece)
        out.update(piece[i:i + 2] for i in range(len(piece) - 1))
    return frozenset(out)


@dataclass
class Binding:
    figure: Figure
    score: float  # words + value evidence
    words: float  # words only
    consistent: bool


@dataclass
class _Context:
    near: set[str]
    sentence: set[str]
    paragraph: set[str]
    headings: set[str]
    section: str | None
    every: set[str]  # the union of the four
    at_number: tuple[str, str]  # the words describing the number: its clause up to it, the noun right after


class FigureBinder:
    """Ties numbers in a text to the figures of the inputs."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        label_grams = {f.id: [grams(_CHANGE_TEXT.sub(" ", label)) or grams(label) for label in f.labels]
                       for f in inputs.figures}
        df = Counter(g for variants in label_grams.values() for g in set().union(*variants))
        self._weight = {g: 1.0 / (1.0 + math.log(n)) for g, n in df.items()}
        # each label as its words and their total weight (what a full match scores)
        self._labels: dict[str, list[tuple[frozenset[str], float]]] = {
            fid: [(frozenset(label), sum(self._weight[g] for g in label)) for label in variants if label]
            for fid, variants in label_grams.items()}
        # which figures each word occurs in: a number is scored only against figures sharing a word
        self._by_gram: dict[str, list[int]] = {}
        for k, fig in enumerate(inputs.figures):
            for g in set().union(*label_grams[fig.id]) if label_grams[fig.id] else ():
                self._by_gram.setdefault(g, []).append(k)
        self._pairs: dict[str, set[str]] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._headings: dict[tuple[int, str], set[str]] = {}
        self._nodes: dict[int, tuple] = {}
        region = (inputs.report.region or "").strip()
        self._generic = _GENERIC_WORDS + tuple(w for w in {region, region[:-1] if len(region) > 2 else ""} if w)
        self._generic_grams = {g for w in self._generic for g in grams(w)}

    def _coverage(self, hits: frozenset[str], total: float, context: set[str]) -> float:
        return sum(self._weight[g] for g in hits if g in context) / total

    def context(self, text: str, m: Mention, tree: ReportTree | None,
                others: list[tuple[int, int]] = (), item: str | None = None) -> _Context:
        """Words around `m`: its own clause; its sentence and paragraph without the clauses of the
        other numbers there (their words describe them, not `m`); its headings."""
        a, b = clause_bounds(text, m.start, m.end)
        s0, s1 = sentence_bounds(text, m.start, m.end)
        p0, p1 = paragraph_bounds(text, m.start, m.end)
        # the clauses after a number that hold no other number still speak of it:
        # "剩余28件规范性文件依据充分、…有效期未满而继续适用"
        taken = set(others)
        near_end = b
        while near_end + 1 < s1 - 1:
            nxt = clause_bounds(text, near_end + 1, near_end + 1)
            if nxt in taken or nxt[1] <= near_end:
                break
            near_end = nxt[1]

        def without_others(lo: int, hi: int, skip: list[tuple[int, int]]) -> str:
            pieces, pos = [], lo
            for c0, c1 in skip:
                if c1 <= lo or c0 >= hi or (c0, c1) == (a, b):
                    continue
                pieces.append(text[pos:max(pos, c0)])
                pos = max(pos, c1)
            pieces.append(text[pos:hi])
            return " ".join(pieces)

        in_paragraph = others
        if others and item is None and self._names_nothing(text[a:m.start]):
            # "受理线索17件，办结17件" / "培训8期，620人参加" / "35宗、2176亩": a number whose own clause
            # names (almost) nothing shares the subject of the number before it in the sentence (that
            # clause counts as its sentence); the clauses further back count as its paragraph
            # ("召开联席会议12次，涉及部门26个，案件143件")
            before = sorted(c for c in others if s0 <= c[0] and c[1] <= a)
            if before:
                others = [c for c in others if c != before[-1]]
                in_paragraph = [c for c in others if c not in before]
        heads, section = set(), None
        if tree is not None:
            node = self._section_at(tree, m.start)
            if node is not None:
                section = node.path
                heads = self._heading_grams(tree, node.path)
        own = text[a:m.start] + " " + text[m.end:near_end]
        whole_sentence = without_others(s0, s1, others)
        if item is not None:  # "新接收、依法解除社区矫正对象分别为172名、165名": 172名 is 新接收's,
            own, a = item, m.start  # and the sentence is one statement about the whole list
            whole_sentence = text[s0:s1]
        near, sentence, paragraph = (grams(own), grams(whole_sentence), grams(without_others(p0, p1, in_paragraph)))
        after = ""
        for ch in text[m.end:m.end + 8]:
            if ch in _PHRASE_BREAK:
                break
            after += ch
        before = item if item is not None else text[a:m.start]
        last = None
        for last in _LAST_NUMBER.finditer(before):
            pass
        if last is not None:  # "由上年的32个整合为18个": what is said of 18个 starts after 32个
            cut = last.end()
            unit = match_unit(before, cut)
            before = before[cut + (len(unit) if unit else 0):]
        # titles, brackets, “quoted names”: not what is counted
        before = _QUOTED_NAME.sub(" ", ASIDE.sub(" ", before))
        return _Context(near, sentence, paragraph, heads, section, near | sentence | paragraph | heads,
                        (before, after))

    def _names_nothing(self, words: str) -> bool:
        """At most one bigram of content (not generic, not filler) in `words`."""
        content = [g for g in grams(words) if len(g) == 2 and g not in self._generic_grams
                   and not set(g) <= _FILLER_CHARS]
        return len(content) <= 1

    def _section_at(self, tree: ReportTree, offset: int):
        """tree.section_at, over the tree's sections listed once."""
        nodes = self._nodes.get(id(tree))
        if nodes is None or nodes[0] is not tree:
            nodes = self._nodes[id(tree)] = (tree, list(tree.walk()))
        found = None
        for node in nodes[1]:
            if node.line_start <= offset < node.end:
                found = node
        return found

    def _heading_grams(self, tree: ReportTree, path: str) -> set[str]:
        """The words of the headings above a section (its subsection and item titles)."""
        key = (id(tree), path)
        found = self._headings.get(key)
        if found is None:
            chain = [n for n in tree.walk() if path.startswith(n.path) and n.level >= 2]
            found = self._headings[key] = grams(" ".join(n.title for n in chain))
        return found

    def word_score(self, figure: Figure, ctx: _Context) -> float:
        best = 0.0
        for label, total in self._labels[figure.id]:
            hits = label & ctx.every
            if not hits:  # no word of the label anywhere around: nothing to add up
                continue
            w = self._weight
            score = (sum(w[g] for g in hits & ctx.near) + 0.5 * sum(w[g] for g in hits & ctx.sentence)
                     + 0.15 * sum(w[g] for g in hits & ctx.paragraph)
                     + 0.15 * sum(w[g] for g in hits & ctx.headings)) / total
            best = max(best, score)
        if figure.section and ctx.section and _section_matches(figure.section, ctx.section):
            best += 0.2
        return best

    def candidates(self, text: str, m: Mention, tree: ReportTree | None, use_values: bool = True,
                   previous_values: bool = False, others: list[tuple[int, int]] = (),
                   item: str | None = None) -> list[Binding]:
        ctx = self.context(text, m, tree, others, item)
        out = []
        near = sorted({k for g in ctx.every for k in self._by_gram.get(g, ())})
        for fig in (self.inputs.figures[k] for k in near):
            if not compatible(fig.unit, m.unit) or (fig.unit is None and m.base_unit == PERCENT):
                continue
            words = self.word_score(fig, ctx)
            if words <= 0:
                continue
            consistent = self.consistent(fig, m)
            last_year = fig.previous is not None and m.allows(to_base(fig, fig.previous))
            if last_year and not consistent and not previous_values and _LAST_YEAR.search(ctx.at_number[0]):
                continue  # "由上年的32个整合为18个": last year's value, for year_over_year to check
            was_previous = previous_values and last_year
            if (words >= MIN_WORDS and not consistent and not was_previous
                    and self.foreign_words(fig, ctx.at_number)):
                continue  # the value disagrees and the words name something else: not this figure
            bonus = 0.0
            if use_values and consistent:
                bonus = 0.35
            if was_previous:
                bonus = 0.35
            out.append(Binding(fig, words + bonus, words, consistent))
        out.sort(key=lambda b: b.score, reverse=True)
        return out

    def _clear(self, text: str, mentions: list[Mention], options: dict[int, list[Binding]],
               named: set[int]) -> set[int]:
        """The mentions whose figure is clear: the value agrees, or the words fit one figure
        better (by _MARGIN) than any other not already claimed by another number of the paragraph.
        "成功化解480件" fits 人民调解成功化解案件 and 成功化解物业纠纷 about equally, but the latter is
        "成功化解物业纠纷64件" a few words on, so the former is meant. Among figures that fit about
        equally, one is also clear when its whole label is said in the sentence and no other's is:
        "交通运输局培训…，交通运输局主动公开…，审查行政合同45份" is 交通运输局's.
        `options[i]` is put in order with the clear figure first; a mention decided by its sentence
        goes into `named` (only that figure may then be bound to it)."""
        paragraph = {i: paragraph_bounds(text, m.start, m.end)[0] for i, m in enumerate(mentions)}
        claimed: dict[int, set[str]] = {}
        clear: set[int] = set()
        changed = True
        while changed:
            changed = False
            for i, cands in options.items():
                if i in clear or not cands:
                    continue
                top = cands[0]
                taken = claimed.get(paragraph[i], set())
                rivals = [c for c in cands[1:] if c.figure.id != top.figure.id and c.figure.id not in taken]
                close = [c for c in rivals if c.words >= top.words - _MARGIN]
                if not top.consistent and close:
                    # words that name one of them may stand in another clause of the sentence
                    # ("全年交通运输局培训…，审查行政合同11份"): look at every figure the words fit
                    chosen = self._said_in_sentence(text, mentions[i], [top, *rivals])
                    if chosen is None:
                        continue
                    cands.remove(chosen)
                    cands.insert(0, chosen)
                    top = chosen
                    named.add(i)
                clear.add(i)
                claimed.setdefault(paragraph[i], set()).add(top.figure.id)
                changed = True
        return clear

    def _said_in_sentence(self, text: str, m: Mention, pool: list[Binding]) -> Binding | None:
        """Of figures the words fit, the one whose whole label is said in the number's sentence
        (in any clause) when no other comes close: "全年交通运输局培训…，审查行政合同11份" names
        交通运输局审查行政合同, not 税务局审查行政合同."""
        s0, s1 = sentence_bounds(text, m.start, m.end)
        said = grams(text[s0:s1])
        scored = []
        for c in pool:
            best = 0.0
            for label, total in self._labels[c.figure.id]:
                hits = label & said
                best = max(best, self._coverage(frozenset(hits), total, said) if hits else 0.0)
            scored.append((best, c))
        scored.sort(key=lambda x: x[0], reverse=True)
        if not scored or scored[0][0] < 0.9:
            return None
        if len(scored) > 1 and scored[1][0] > scored[0][0] - 0.1:
            return None
        return scored[0][1]

    def other_unit(self, text: str, m: Mention, tree: ReportTree | None) -> Figure | None:
        """A figure this number plainly is, but for a unit that is easy to mix up with its own
        (人 / 人次, 次 / 人次): its words fit well, nothing else in them, the value equal."""
        confusable = _CONFUSABLE.get(m.base_unit)
        if not confusable:
            return None
        ctx = self.context(text, m, tree)
        best, best_words = None, MIN_WORDS * 2
        for fig in self.inputs.figures:
            if split_unit(fig.unit)[0] not in confusable or self.foreign_words(fig, ctx.at_number):
                continue
            value = self.inputs.value(fig.id)
            words = self.word_score(fig, ctx)
            if value is not None and m.allows(to_base(fig, value)) and words > best_words:
                best, best_words = fig, words
        return best

    def foreign_words(self, fig: Figure, at_number: tuple[str, str]) -> list[str]:
        """Words right at a number that the figure's labels do not explain: the phrase just before
        it (nothing but filler between) or just after it ("9件行政复议申请案件"), of two or more
        characters that neither a label nor a generic word covers: "物业纠纷" in "成功化解物业纠纷64件"
        against "人民调解成功化解案件". Words further away ("组织全区…", "汛前汛中排查…") set the
        scene, and words before 等 ("土地管理法等12部") give examples of what is counted."""
        before, after = at_number
        cut = before.rfind("等")
        if cut >= 0:
            before = before[cut + 1:]
        runs = []
        spans = self._runs(fig, before)
        if spans and self._at_number(fig, before[spans[-1][1]:]):
            runs.append(before[spans[-1][0]:spans[-1][1]])
        first = self._runs(fig, after)
        if first and first[0][0] == 0:
            runs.append(after[first[0][0]:first[0][1]])
        return runs

    def _at_number(self, fig: Figure, gap: str) -> bool:
        """Whether words followed by `gap` (up to the number) describe the number itself. Not when
        a generic word starts a phrase of its own between them ("组织全区11.9万人参加"), nor when the
        label's own phrase starts after them ("汛前汛中｜排查地质灾害隐患点146处"): those words set the
        scene. Otherwise they do, however far: "成功化解物业纠纷64件", "梳理政务服务事项1255项" for
        街道政务服务延伸事项."""
        if any(word in gap for word in self._generic if word not in _COMPARISON_WORDS):
            return False
        rest = gap.lstrip("".join(_FILLER_CHARS) + " ")
        return not any(rest.startswith(label[:2]) for label in fig.labels if len(label) >= 2)

    def _plain_runs(self, segment: str) -> list[tuple[int, int]]:
        """Spans of two or more characters in `segment` that something counted could be named by:
        not digits or punctuation, filler characters or generic words (全市, 累计, the region…)."""
        spans = self._spans.get(segment)
        if spans is None:
            covered = [not ("\u4e00" <= ch <= "\u9fff" or ch.isalpha()) or ch in _FILLER_CHARS for ch in segment]
            for word in self._generic:
                at = segment.find(word)
                while at >= 0:
                    covered[at:at + len(word)] = [True] * len(word)
                    at = segment.find(word, at + 1)
            spans = self._spans[segment] = _uncovered_runs(covered, 0)
        return spans

    def _runs(self, fig: Figure, segment: str) -> list[tuple[int, int]]:
        """Spans of `segment` that neither the figure's labels nor generic words cover."""
        spans = self._plain_runs(segment)
        if not spans:
            return []
        pairs = self._pairs.get(fig.id)
        if pairs is None:
            pairs = self._pairs[fig.id] = {label[i:i + 2] for label in fig.labels for i in range(len(label) - 1)}
        runs = []
        for a, b in spans:
            covered = [False] * (b - a)
            for i in range(max(a - 1, 0), min(b, len(segment) - 1)):
                if segment[i:i + 2] in pairs:
                    for k in (i, i + 1):
                        if a <= k < b:
                            covered[k - a] = True
            runs += _uncovered_runs(covered, a)
        return runs

    def consistent(self, fig: Figure, m: Mention) -> bool:
        value = self.inputs.value(fig.id)
        if value is None:
            return False
        if fig.approx:
            # the source itself is approximate ("5900余次", "近50件", "约3万人次"): a wording is right when
            # the values it allows meet the values the source stands for ("近460人次" is not "460余人次")
            return overlaps(m.interval(), source_interval(value, split_unit(fig.unit)[1], fig.approx))
        return m.allows(to_base(fig, value))

    def bind(self, text: str, mentions: list[Mention], tree: ReportTree | None = None, use_values: bool = True,
             previous_values: bool = False) -> dict[int, Binding]:
        """Best figure for each mention (index → binding), each figure used once per sentence."""
        proposals = []
        clauses = [clause_bounds(text, m.start, m.end) for m in mentions]
        lists = respectively(text, mentions)
        # in a 分别 list whose items can be told apart, the order decides, not which value fits
        item = {i: lists[i].item for i in lists if lists[i].item is not None}
        options = {i: [c for c in self.candidates(text, m, tree, use_values and i not in item, previous_values,
                                                  clauses, item.get(i))
                       if c.words >= MIN_WORDS] for i, m in enumerate(mentions)}
        named: set[int] = set()
        for i in self._clear(text, mentions, options, named):
            for rank, cand in enumerate(options[i][:1] if i in named else options[i][:4]):
                proposals.append((cand.score, -rank, i, cand))
        proposals.sort(key=lambda p: (p[0], p[1]), reverse=True)
        taken: dict[int, Binding] = {}
        used: set[tuple[int, str]] = set()
        for _score, _rank, i, cand in proposals:
            if i in taken:
                continue
            sentence = sentence_bounds(text, mentions[i].start, mentions[i].end)[0]
            if (sentence, cand.figure.id) in used:
                continue
            taken[i] = cand
            used.add((sentence, cand.figure.id))
        return taken


def _uncovered_runs(covered: list[bool], offset: int) -> list[tuple[int, int]]:
    """(start, end) of every run of two or more False values, shifted by `offset`."""
    out, start = [], None
    for k, ok in enumerate(covered + [True]):
        if not ok and start is None:
            start = k
        elif ok and start is not None:
            if k - start >= 2:
                out.append((start + offset, k + offset))
            start = None
    return out


@lru_cache(maxsize=4096)
def _section_matches(figure_section: str, path: str) -> bool:
    want = figure_section.replace("（", "(").replace("）", ")").replace(".", "/").strip("/")
    return path == want or path.startswith(want + "/") or want.startswith(path + "/")


def to_base(fig: Figure, value: Decimal) -> Decimal:
    _, scale = split_unit(fig.unit)
    return value * scale

