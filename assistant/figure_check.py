"""The figure checker: every number in the text traced to the structured inputs.

Binding: a number is tied to an input figure by the words around it (its clause first, then its
sentence, paragraph and headings) and by its unit. Label words shared by many figures
("案件", "化解") count for less than distinctive ones ("物业", "复议"). When the value agrees,
that is evidence too; but a wrong number still binds by its words, which is how a mismatch is
found — unless the words right at the number name something the figure's label does not
("成功化解物业纠纷64件" is not "人民调解成功化解案件"): a number that disagrees with a figure and is
described by other words is a different statistic, so it is unsupported, not a mismatch.

Findings:
- figure_mismatch (error): a bound number whose value disagrees with its figure;
- figure_derived_mismatch (error): a rate/share/sum/difference that disagrees with what its parts
  give (the inputs' formula, or two counts beside a rate, or parts after 其中 and a total);
- figure_unsupported (warning): a statistic with no counterpart in the inputs.
With no inputs, only the checks that need none run.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .findings import Finding
from .inputs import Figure, Inputs, format_number
from .numerals import int_to_cn
from .quantities import (Mention, clause_bounds, find_quantities, paragraph_bounds, round_step_of,
                         sentence_bounds)
from .report_tree import ASIDE, ReportTree, parse_report
from .units import MULTIPLE, PERCENT, POINTS, compatible, split_unit

_NON_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z]")
_RATE_WORDS = ("率", "占比", "比例", "比重", "占")
_CHANGE_WORDS = ("增长", "下降", "提高", "降低", "同比", "环比", "增加", "减少", "上升", "提升", "压缩", "缩短")
_EXHAUSTIVE = ("剩余", "其余", "余下", "其他", "分别")
_BEYOND = ("另有", "此外", "另外")  # what follows is outside the 其中 list: "审结63件，其中…，另有5件正在审理"
_MIN_WORDS = 0.34  # minimum evidence from words to bind a number to a figure
_MARGIN = 0.15  # how much better the words must fit one figure than the next to call a wrong value a mismatch
# words around a number that say nothing about what is counted
_GENERIC_WORDS = ("全市", "全县", "全区", "全省", "全州", "全镇", "全乡", "全旗", "全年", "今年", "本年", "年内", "当年",
                  "本级", "累计", "共计", "合计", "总计", "其中", "达到", "一共", "总共", "分别", "各级", "共有", "全部",
                  "我市", "我县", "我区", "我州", "我省", "我局", "本市", "本县", "本区", "目前", "截至", "当前",
                  "现有", "以来", "包括", "在内", "总数", "数量", "上年", "去年", "上一年", "同期", "同比", "环比",
                  "年底", "年末", "年初", "年度", "仅占", "占到", "提高到", "增长到", "上升到", "提升到",
                  "增加到", "下降到", "降低到", "减少到", "提高至", "提升至", "增加至", "增长至", "上升至", "下降至",
                  "降低至", "减少至", "降至", "升至")
_FILLER_CHARS = frozenset("的了和及与等共计达为数已均约近超过余多逾将并对在向把被由是有其中")
_PHRASE_BREAK = frozenset("因被依而经并且均已由于和及是，,、；;：:。！？\n（(")


def grams(text: str) -> set[str]:
    clean = _NON_WORD.sub(" ", text)
    out: set[str] = set()
    for piece in clean.split():
        if len(piece) == 1:
            out.add(piece)
        out.update(piece[i:i + 2] for i in range(len(piece) - 1))
    return out


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
        label_grams = {f.id: [grams(label) for label in f.labels] for f in inputs.figures}
        df = Counter(g for variants in label_grams.values() for g in set().union(*variants))
        self._weight = {g: 1.0 / (1.0 + math.log(n)) for g, n in df.items()}
        # each label as its words and their total weight (what a full match scores)
        self._labels: dict[str, list[tuple[frozenset[str], float]]] = {
            fid: [(frozenset(label), sum(self._weight[g] for g in label)) for label in variants if label]
            for fid, variants in label_grams.items()}
        self._pairs: dict[str, set[str]] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._headings: dict[tuple[int, str], set[str]] = {}
        region = (inputs.report.region or "").strip()
        self._generic = _GENERIC_WORDS + tuple(w for w in {region, region[:-1] if len(region) > 2 else ""} if w)

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

        def without_others(lo: int, hi: int) -> str:
            pieces, pos = [], lo
            for c0, c1 in others:
                if c1 <= lo or c0 >= hi or (c0, c1) == (a, b):
                    continue
                pieces.append(text[pos:max(pos, c0)])
                pos = max(pos, c1)
            pieces.append(text[pos:hi])
            return " ".join(pieces)

        heads, section = set(), None
        if tree is not None:
            node = tree.section_at(m.start)
            if node is not None:
                section = node.path
                heads = self._heading_grams(tree, node.path)
        own = text[a:m.start] + " " + text[m.end:near_end]
        whole_sentence = without_others(s0, s1)
        if item is not None:  # "新接收、依法解除社区矫正对象分别为172名、165名": 172名 is 新接收's,
            own, a = item, m.start  # and the sentence is one statement about the whole list
            whole_sentence = text[s0:s1]
        near, sentence, paragraph = (grams(own), grams(whole_sentence), grams(without_others(p0, p1)))
        after = ""
        for ch in text[m.end:m.end + 8]:
            if ch in _PHRASE_BREAK:
                break
            after += ch
        before = item if item is not None else text[a:m.start]
        return _Context(near, sentence, paragraph, heads, section, near | sentence | paragraph | heads,
                        (ASIDE.sub(" ", before), after))  # titles, brackets: not what is counted

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
            score = (self._coverage(hits, total, ctx.near) + 0.5 * self._coverage(hits, total, ctx.sentence)
                     + 0.15 * self._coverage(hits, total, ctx.paragraph)
                     + 0.15 * self._coverage(hits, total, ctx.headings))
            best = max(best, score)
        if figure.section and ctx.section and _section_matches(figure.section, ctx.section):
            best += 0.2
        return best

    def candidates(self, text: str, m: Mention, tree: ReportTree | None, use_values: bool = True,
                   previous_values: bool = False, others: list[tuple[int, int]] = (),
                   item: str | None = None) -> list[Binding]:
        ctx = self.context(text, m, tree, others, item)
        out = []
        for fig in self.inputs.figures:
            if not compatible(fig.unit, m.unit) or (fig.unit is None and m.base_unit == PERCENT):
                continue
            words = self.word_score(fig, ctx)
            if words <= 0:
                continue
            consistent = self.consistent(fig, m)
            was_previous = previous_values and fig.previous is not None and m.allows(_to_base(fig, fig.previous))
            if (words >= _MIN_WORDS and not consistent and not was_previous
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
        best, best_words = None, _MIN_WORDS * 2
        for fig in self.inputs.figures:
            if split_unit(fig.unit)[0] not in confusable or self.foreign_words(fig, ctx.at_number):
                continue
            value = self.inputs.value(fig.id)
            words = self.word_score(fig, ctx)
            if value is not None and m.allows(_to_base(fig, value)) and words > best_words:
                best, best_words = fig, words
        return best

    def foreign_words(self, fig: Figure, at_number: tuple[str, str]) -> list[str]:
        """Words at a number that the figure's labels do not explain: runs of two or more
        characters before it (in its clause), or right after it ("9件行政复议申请案件"), that
        neither a label nor a generic word covers: "物业纠纷" in "成功化解物业纠纷64件" against
        "人民调解成功化解案件"."""
        before, after = at_number
        runs = self._runs(fig, before)
        first = self._runs(fig, after)
        if first and after.startswith(first[0]):
            runs.append(first[0])
        return runs

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

    def _runs(self, fig: Figure, segment: str) -> list[str]:
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
            runs += [segment[x:y] for x, y in _uncovered_runs(covered, a)]
        return runs

    def consistent(self, fig: Figure, m: Mention) -> bool:
        value = self.inputs.value(fig.id)
        if value is None:
            return False
        true = _to_base(fig, value)
        if fig.approx:
            # the source itself is approximate ("5900余次": at least 5900, below 6000): accept a
            # wording whose range overlaps [v, v + round step)
            step = round_step_of(value, Decimal(1), true)
            low, high, _, _ = m.interval()
            return low < true + step and high > true  # the source is above v: "近460人次" is not "460余人次"
        return m.allows(true)

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
                       if c.words >= _MIN_WORDS] for i, m in enumerate(mentions)}
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


def _section_matches(figure_section: str, path: str) -> bool:
    want = figure_section.replace("（", "(").replace("）", ")").replace(".", "/").strip("/")
    return path == want or path.startswith(want + "/") or want.startswith(path + "/")


def _to_base(fig: Figure, value: Decimal) -> Decimal:
    _, scale = split_unit(fig.unit)
    return value * scale


# -- rendering a value in the style of an existing mention (also used by the offline drafter) -----
def restate(m: Mention, text: str, value: Decimal, unit: str | None = None, approx_source: bool = False) -> str:
    """The mention's wording with `value` put in (same numerals, approximation, multiplier, unit)."""
    original = text[m.start:m.end]
    numeral = text[m.num_start:m.num_end]
    base_unit, scale = split_unit(m.unit)
    _, fig_scale = split_unit(unit) if unit else (None, Decimal(1))
    value_in_mention_unit = value * fig_scale / scale if unit else value
    multiplier = Decimal(1)
    if numeral.endswith(("万", "亿")) and not m.chinese:
        multiplier = Decimal(10) ** (4 if numeral.endswith("万") else 8)
    shown = value_in_mention_unit / multiplier
    decimals = _decimals_of(numeral, m.chinese)
    drop_marker = False
    if m.approx == "above" or (approx_source and m.approx is None):
        # "5900余次": floor to two significant digits (or as many as the original had)
        sig = max(2, _significant_digits(numeral))
        step = _sig_step(shown, sig, decimals)
        anchor = (shown / step).to_integral_value(rounding=ROUND_FLOOR) * step
        if anchor == shown and not approx_source and "以上" not in original:
            drop_marker = True  # an exact round value is not "X余"
        shown = anchor
    elif m.approx == "near":
        step = round_step_of(m.value / multiplier, Decimal(1), m.value / multiplier)
        shown = (shown / step).to_integral_value(rounding="ROUND_CEILING") * step
    elif m.approx == "about":
        step = round_step_of(m.value / multiplier, Decimal(1), m.value / multiplier)
        shown = (shown / step).to_integral_value(rounding=ROUND_HALF_UP) * step
    new_numeral = _write_number(shown, decimals, m.chinese) + ("万" if multiplier == 10 ** 4 else "亿" if multiplier == 10 ** 8 else "")
    rel = m.num_start - m.start
    replaced = original[:rel] + new_numeral + original[rel + len(numeral):]
    if drop_marker:
        replaced = re.sub(r"^(超过|逾|高于|多于)", "", replaced)
        replaced = replaced.replace(new_numeral + "余", new_numeral, 1).replace(new_numeral + "多", new_numeral, 1)
    if approx_source and m.approx is None and base_unit != PERCENT:
        unit_at = replaced.find(m.unit, rel + len(new_numeral))
        if unit_at >= 0:
            replaced = replaced[:unit_at] + "余" + replaced[unit_at:]
    return replaced


def _significant_digits(numeral: str) -> int:
    digits = re.sub(r"\D", "", numeral.split(".")[0]).lstrip("0")
    return len(digits.rstrip("0")) if digits else 1


def _sig_step(value: Decimal, sig: int, decimals: int) -> Decimal:
    """The unit of the `sig`-th significant digit of `value` (never finer than the decimals shown)."""
    if value <= 0:
        return Decimal(1).scaleb(-decimals)
    magnitude = value.adjusted()  # 5937 → 3
    return max(Decimal(1).scaleb(magnitude - sig + 1), Decimal(1).scaleb(-decimals))


def _decimals_of(numeral: str, chinese: bool) -> int:
    core = numeral.rstrip("万亿")
    sep = "点" if chinese else "."
    return len(core.split(sep, 1)[1]) if sep in core else 0


def _write_number(value: Decimal, decimals: int, chinese: bool) -> str:
    quant = Decimal(1).scaleb(-decimals)
    value = value.quantize(quant, rounding=ROUND_HALF_UP)
    if chinese and decimals == 0 and 0 <= value < 10 ** 8:
        written = int_to_cn(int(value))
        return "两" if written == "二" else written
    return f"{value:f}"


def expected_text(fig: Figure, inputs: Inputs, m: Mention, text: str) -> str:
    value = inputs.value(fig.id)
    if fig.approx and m.approx == "near":  # "近3500份" would say below 3500 of what is "3500余份"
        return inputs.display(fig.id)
    return restate(m, text, value, fig.unit, approx_source=fig.approx)


# -- the checks --------------------------------------------------------------------------------------
def check_figures(text: str, inputs: Inputs | None = None, tree: ReportTree | None = None,
                  mentions: list[Mention] | None = None) -> list[Finding]:
    if mentions is None:
        mentions = find_quantities(text, inputs.extra_units if inputs is not None else ())
    if not mentions:
        return []
    if tree is None:
        tree = parse_report(text)
    findings: list[Finding] = []
    flagged: set[int] = set()
    supported: set[int] = set()
    bindings: dict[int, Binding] = {}
    if inputs is not None and inputs.figures:
        binder = FigureBinder(inputs)
        bindings = binder.bind(text, mentions, tree)
        for i, b in bindings.items():
            m = mentions[i]
            supported.add(i)
            if b.consistent:
                continue
            flagged.add(i)
            fig = b.figure
            expected = expected_text(fig, inputs, m, text)
            derived = inputs.formula(fig.id) is not None
            what = "推算得出的" if derived else ""
            findings.append(Finding(
                kind="figure_derived_mismatch" if derived else "figure_mismatch",
                severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
                message=f"“{fig.label}”{what}数值应为{inputs.display(fig.id)}" +
                        (f"（{inputs.formula(fig.id).source}）" if derived else "") +
                        f"，正文写的是“{m.text}”。",
                figure_id=fig.id, expected=expected, found=m.text, suggestion=f"改为“{expected}”",
                details={"input_value": str(inputs.value(fig.id)), "unit": fig.unit}))
    # derived checks that need no inputs: a rate beside its two counts, parts after 其中 and their total
    for finding, members, derived in _rate_from_counts(text, mentions, bindings, inputs) + _parts_and_total(text, mentions):
        if finding is None:
            supported.add(derived)  # it follows from the numbers beside it
        elif not members & flagged:  # one root cause, one finding
            findings.append(finding)
            flagged |= members
    if inputs is not None and inputs.figures:
        for finding, i in _year_over_year(text, mentions, bindings, binder, tree, supported | flagged):
            supported.add(i)
            if finding is not None:
                findings.append(finding)
                flagged.add(i)
        for i, m in enumerate(mentions):
            if i in supported or i in flagged:
                continue
            fig = binder.other_unit(text, m, tree)
            if fig is not None:  # "培训执法人员1050人" for 1050人次: the number is right, the unit is not
                flagged.add(i)
                shown = inputs.display(fig.id)
                findings.append(Finding(
                    kind="figure_mismatch", severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
                    message=f"“{fig.label}”的单位是“{fig.unit}”，正文写成了“{m.unit}”（{m.text}）。",
                    figure_id=fig.id, expected=shown, found=m.text, suggestion=f"改为“{shown}”",
                    details={"unit": fig.unit}))
    if inputs is not None:
        for i, m in enumerate(mentions):
            if i in supported or i in flagged:
                continue
            findings.append(Finding(
                kind="figure_unsupported", severity="warning", start=m.start, end=m.end, text=text[m.start:m.end],
                message=f"“{m.text}”在本年度统计数据中找不到对应指标：请核实来源，或补充到输入数据中。",
                found=m.text, suggestion="补充该指标，或删去/改写该数字"))
    return sorted(findings, key=lambda f: (f.start, f.end))


@dataclass
class _Respectively:
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


def respectively(text: str, mentions: list[Mention]) -> dict[int, _Respectively]:
    """The numbers that follow a "分别", each with its place and, when the words before 分别 list as
    many items as there are numbers, its own item."""
    out: dict[int, _Respectively] = {}
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
            out[j] = _Respectively(k, len(group), fm.start(), items[k] if len(items) == len(group) else None)
    return out


_CONFUSABLE = {"人": ("人次",), "人次": ("人", "次"), "次": ("人次",)}  # people vs attendances: not the same
_PREVIOUS_MARK = re.compile(r"上年|去年|上一年|前一年|同期|同比")
_CHANGE_TO = re.compile(r"\s*(?:提高|提升|增加|增长|上升|下降|降低|减少|压缩|缩短|升|降)(?:到|至)")
_UP = ("增加", "增长", "提高", "上升", "提升", "增幅", "多")
_DOWN = ("减少", "下降", "降低", "压缩", "缩短", "降幅", "少")


def _year_over_year(text: str, mentions: list[Mention], bindings: dict[int, Binding], binder: FigureBinder,
                    tree: ReportTree | None, done: set[int]) -> list[tuple[Finding | None, int]]:
    """Last year's value and the change against it, for figures whose `previous` is given:
    "受理16件，比上年的12件增加4件" / "同比增长33.3%" / "提高2.1个百分点" / "是上年的1.1倍".
    Returns (finding, or None when right; the mention's index)."""
    inputs = binder.inputs
    if not any(f.previous is not None for f in inputs.figures):
        return []
    year = inputs.report.year
    lists = respectively(text, mentions)
    out = []
    for i, m in enumerate(mentions):
        if i in done:
            continue
        a, _ = clause_bounds(text, m.start, m.end)
        s0, _ = sentence_bounds(text, m.start, m.end)
        before = text[a:m.start]
        if i in lists:  # "同比分别增加60件、52件": the change word is at 分别, not in 52件's own clause
            before = text[min(a, lists[i].at):m.start]
        change = next((w for w in _UP + _DOWN if w in before), None)
        marked = _PREVIOUS_MARK.search(text[s0:m.start]) or (year and f"{year - 1}年" in text[s0:m.start])
        base = _stated_before(mentions, bindings, lists, i, s0)
        if m.base_unit == MULTIPLE and marked and base is not None:  # "是上年的1.1倍"
            result = _multiple(text, m, base.figure, inputs)
        elif change is None and marked and (_PREVIOUS_MARK.search(before) or (year and f"{year - 1}年" in before)):
            fig = _last_year_figure(text, mentions, bindings, binder, tree, i, base)
            result = _last_year_value(text, m, fig) if fig is not None else False
        elif change is not None and marked and base is not None:
            result = _change(text, m, base.figure, inputs, change)
        else:
            result = False
        if result is not False:
            out.append((result, i))
    return out


def _stated_before(mentions: list[Mention], bindings: dict[int, Binding], lists: dict[int, _Respectively],
                   i: int, s0: int) -> Binding | None:
    """The figure stated last before mention `i` in its sentence, if it has last year's value; in a
    分别 list ("5.2万户、8460户，同比分别增长7.4%和5.1%") the figure in the same place before 分别."""
    base = next((bindings[j] for j in range(i - 1, -1, -1) if j in bindings and mentions[j].start >= s0), None)
    if i in lists:
        listed = [j for j in range(i) if j in bindings and s0 <= mentions[j].start < lists[i].at]
        if len(listed) >= lists[i].size:
            base = bindings[listed[len(listed) - lists[i].size + lists[i].index]]
    return base if base is not None and base.figure.previous is not None else None


def _last_year_figure(text: str, mentions: list[Mention], bindings: dict[int, Binding], binder: FigureBinder,
                      tree: ReportTree | None, i: int, base: Binding | None) -> Figure | None:
    """Whose last-year value mention `i` is: the figure stated before it ("受理16件，比上年的12件…"),
    the one right after a change-to ("由上年的52%提升至65%"), else the one its words fit."""
    fig = base.figure if base is not None else None
    then_now = _CHANGE_TO.match(text, mentions[i].end)
    if then_now and i + 1 < len(mentions) and mentions[i + 1].start == then_now.end():
        following = bindings.get(i + 1)
        fig = following.figure if following is not None and following.figure.previous is not None else None
    if fig is None:
        cands = [c for c in binder.candidates(text, mentions[i], tree, use_values=False) if c.figure.previous is not None]
        fig = cands[0].figure if cands and cands[0].words >= _MIN_WORDS else None
    return fig


def _last_year_value(text: str, m: Mention, fig: Figure) -> Finding | None | bool:
    """None when `m` states the figure's last-year value, a finding when it does not, False when
    the units do not compare."""
    if not compatible(fig.unit, m.unit):
        return False
    if m.allows(_to_base(fig, fig.previous)):
        return None
    shown = format_number(fig.previous) + (fig.unit or "")
    return Finding("figure_mismatch", "error", m.start, m.end, text[m.start:m.end],
                   f"“{fig.label}”上年数值应为{shown}，正文写的是“{m.text}”。", figure_id=fig.id,
                   expected=shown, found=m.text, suggestion=f"改为“{shown}”", details={"previous": str(fig.previous)})


def _multiple(text: str, m: Mention, fig: Figure, inputs: Inputs) -> Finding | None | bool:
    """"是上年的1.1倍": None when right, a finding when wrong, False when it cannot be computed."""
    now, then = _to_base(fig, inputs.value(fig.id)), _to_base(fig, fig.previous)
    if now is None or not then:
        return False
    times = now / then
    if m.allows(times):
        return None
    stated = restate(m, text, times)
    return Finding("figure_derived_mismatch", "error", m.start, m.end, text[m.start:m.end],
                   f"“{fig.label}”本年{inputs.display(fig.id)}、上年{format_number(fig.previous)}"
                   f"{fig.unit or ''}，是上年的{stated}，正文写的是“{m.text}”。", figure_id=fig.id,
                   expected=stated, found=m.text, suggestion=f"改为“{stated}”")


def _change(text: str, m: Mention, fig: Figure, inputs: Inputs, change: str) -> Finding | None | bool:
    """"增加4件" / "同比增长33.3%" / "提高2.1个百分点" against value − previous, direction included:
    None when right, a finding when wrong, False when it does not compare."""
    now, then = _to_base(fig, inputs.value(fig.id)), _to_base(fig, fig.previous)
    if now is None or then is None:
        return False
    if m.base_unit == PERCENT and split_unit(fig.unit)[0] != PERCENT:
        if then == 0:
            return False
        expected = abs(now - then) / then * 100
    elif m.base_unit == POINTS or (m.base_unit == PERCENT and split_unit(fig.unit)[0] == PERCENT):
        expected = abs(now - then)
    elif compatible(fig.unit, m.unit):
        expected = abs(now - then)
    else:
        return False
    wrong_way = (change in _UP and now < then) or (change in _DOWN and now > then)
    if m.allows(expected) and not wrong_way:
        return None
    way = "增加" if now > then else ("减少" if now < then else "持平")
    stated = restate(m, text, expected)
    return Finding("figure_derived_mismatch", "error", m.start, m.end, text[m.start:m.end],
                   f"“{fig.label}”本年{inputs.display(fig.id)}、上年"
                   f"{format_number(fig.previous)}{fig.unit or ''}，比上年{way}{stated}，正文写的是“{change}{m.text}”。",
                   figure_id=fig.id, expected=stated if not wrong_way else f"{way}{stated}", found=m.text,
                   suggestion=f"改为“{way}{stated}”" if wrong_way else f"改为“{stated}”",
                   details={"value": str(inputs.value(fig.id)), "previous": str(fig.previous)})


def _rate_from_counts(text: str, mentions: list[Mention], bindings: dict[int, Binding],
                      inputs: Inputs | None) -> list[tuple[Finding | None, set[int], int]]:
    """A percentage worded as a rate, following two counts of one unit in its sentence (or
    paragraph), must equal the later count over the earlier one. Returns (finding, or None when
    consistent; the indices involved; the index of the rate)."""
    out = []
    for i, m in enumerate(mentions):
        if m.base_unit != PERCENT or m.approx:
            continue
        if i in bindings and inputs is not None and (inputs.formula(bindings[i].figure.id) or bindings[i].consistent):
            continue  # the inputs decide this one
        a, _ = clause_bounds(text, m.start, m.end)
        clause = text[a:m.start]
        if not any(w in clause for w in _RATE_WORDS) or any(w in clause for w in _CHANGE_WORDS):
            continue
        qualifier = _rate_qualifier(clause)
        for bounds in (sentence_bounds, paragraph_bounds):
            s0, _ = bounds(text, m.start, m.end)
            counts = [j for j in range(i) if mentions[j].start >= s0 and mentions[j].base_unit != PERCENT
                      and not mentions[j].approx]
            if len(counts) < 2:
                continue
            unit = mentions[counts[-1]].base_unit
            counts = [j for j in counts if mentions[j].base_unit == unit]
            # without a name in common, the counts make the rate only when it comes right after them
            # (no other rate between), is not a survey result (满意率), and is worded as a rate (率)
            # or as a share (占/占比) whose own clause names no other subset ("746名，其中…159名，
            # 仅占21.3%", not "…，其中涉企纠纷占比20%")
            word = _rate_word(clause)
            share = word in ("占", "占比", "比例", "比重") and "其中" not in clause
            fallback = (not any(mentions[x].base_unit == PERCENT for x in range(counts[-1] + 1, i))
                        and (word == "率" or share) and not any(w in qualifier for w in _SURVEY_WORDS))
            pair = _rate_parts(text, mentions, counts, qualifier, fallback, share)
            if pair is None:
                break  # not clear which counts the rate is made of: say nothing
            j, k = pair
            whole, part = mentions[j].base_value, mentions[k].base_value
            if whole <= 0 or part > whole:
                break
            rate = part / whole * 100
            members = {i, j, k}
            if m.allows(rate):
                out.append((None, members, i))
                break
            decimals = _decimals_of(text[m.num_start:m.num_end], m.chinese)
            shown = format_number(rate, max(decimals, 0 if rate == rate.to_integral_value() else decimals))
            expected = restate(m, text, rate)
            out.append((Finding(
                kind="figure_derived_mismatch", severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
                message=f"按前文“{mentions[k].text}”÷“{mentions[j].text}”计算，比率应为{rate.quantize(Decimal('0.01'))}%"
                        f"（约{shown}%），正文写的是“{m.text}”。",
                expected=expected, found=m.text, suggestion=f"改为“{expected}”",
                details={"parts": [mentions[k].text, mentions[j].text]}), members, i))
            break
    return out


def _is_list(text: str, mentions: list[Mention], parts: list[int]) -> bool:
    """Parts written as one list ("网上信访80件、来访50件"), not in separate clauses."""
    gaps = [text[mentions[a].end:mentions[b].start] for a, b in zip(parts, parts[1:])]
    return bool(gaps) and all("、" in g and not re.search(r"[，,；;]", g) for g in gaps)


_SURVEY_WORDS = ("满意", "知晓", "好评", "认可", "覆盖", "参与", "普及", "信任", "评价", "知情", "获得", "满足")
_TOTAL_WORDS = ("受理", "办理", "共", "总", "收到", "全年", "累计", "合计", "登记", "审理", "接收", "立案", "排查")


def _rate_qualifier(clause: str) -> str:
    """The words a rate is named by: '调解成功率' → '调解成功', '纠错率' → '纠错'."""
    for word in ("率", "占比", "比例", "比重"):
        at = clause.rfind(word)
        if at > 0:
            return clause[max(0, at - 4):at]
    return ""


def _rate_word(clause: str) -> str:
    """The rate word last used in the clause: 率 / 占比 / 比例 / 比重 / 占 ('' when none)."""
    at, word = max((clause.rfind(w), w) for w in ("率", "占比", "比例", "比重", "占"))
    return word if at >= 0 else ""


def _rate_parts(text: str, mentions: list[Mention], counts: list[int], qualifier: str,
                fallback: bool = True, share: bool = False) -> tuple[int, int] | None:
    """(whole, part) for a rate among the counts before it, or None when that is not clear: the
    whole is the first count and is worded as a total (受理/办理/共…), or the part's words
    share the rate's name (纠错率 ← 纠错…件)."""
    def clause_of(j: int) -> str:
        a, _ = clause_bounds(text, mentions[j].start, mentions[j].end)
        return text[a:mentions[j].start]

    whole = counts[0]
    named = [j for j in counts[1:] if qualifier and grams(qualifier) & grams(clause_of(j))]
    if len(named) == 1:
        return whole, named[0]
    if fallback and len(counts) == 2 and (any(w in clause_of(whole) for w in _TOTAL_WORDS) or share):
        return whole, counts[1]
    return None


def _parts_and_total(text: str, mentions: list[Mention]) -> list[tuple[Finding | None, set[int], int]]:
    """'对34件…进行清理，其中6件…废止，剩余28件…': the parts after 其中 must add up to the total
    when they are exhaustive (剩余/其余/分别…), and may never exceed it."""
    out = []
    for i, m in enumerate(mentions):
        s0, s1 = sentence_bounds(text, m.start, m.end)
        after = text[m.end:s1]
        marker = after.find("其中")
        if marker < 0 or any(x for x in mentions[i + 1:] if x.start < m.end + marker and x.base_unit == m.base_unit):
            continue
        stop = min([at for at in (text.find(w, m.end + marker, s1) for w in _BEYOND) if at >= 0] or [s1])
        parts = [j for j in range(i + 1, len(mentions)) if mentions[j].start > m.end + marker
                 and mentions[j].end <= stop and mentions[j].base_unit == m.base_unit]
        if not parts or m.approx or any(mentions[j].approx for j in parts):
            continue
        tail = text[m.end + marker:mentions[parts[-1]].start]
        exhaustive = any(w in tail for w in _EXHAUSTIVE)
        total = sum((mentions[j].base_value for j in parts), Decimal(0))
        members = {i, *parts}
        if exhaustive and m.allows(total):
            out.append((None, members, i))
            continue
        if not exhaustive and (total <= m.base_value or not _is_list(text, mentions, parts)):
            continue  # a subset, or categories in separate clauses that may overlap
        expected = restate(m, text, total)
        listing = "＋".join(mentions[j].text for j in parts)
        why = "各部分之和" if exhaustive else "各部分之和已超过总数，"
        out.append((Finding(
            kind="figure_derived_mismatch", severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
            message=f"{why}{listing}＝{format_number(total)}，与总数“{m.text}”不符。",
            expected=expected, found=m.text, suggestion=f"核对总数与各分项（按分项合计应为“{expected}”）",
            details={"parts": [mentions[j].text for j in parts]}), members, i))
    return out
