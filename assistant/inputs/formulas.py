"""Formulas of derived figures: `mediation.resolved / mediation.accepted * 100`, or over Chinese
ids: `(复议.撤销 + 复议.变更) / 复议.审结 * 100`.

Parsed with Python's own `ast` after the figure ids are swapped for safe names; only numbers,
ids, + - * / and parentheses are allowed. Evaluated in Decimal, so 408/416*100 is exact enough
to judge any rounding a report may use.
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

ID_RE = re.compile(r"[^\W\d]\w*(?:\.\w+)*")  # letters of any script, digits, _, joined by dots
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd,
            ast.Constant, ast.Name, ast.Load)


class FormulaError(ValueError):
    pass


class Formula:
    def __init__(self, source: str) -> None:
        self.source = source
        self.ids: list[str] = []
        names: dict[str, str] = {}

        def swap(m: re.Match) -> str:
            ident = m.group(0)
            if ident not in names:
                names[ident] = f"_v{len(names)}"
                self.ids.append(ident)
            return names[ident]

        expr = ID_RE.sub(swap, source.replace("×", "*").replace("÷", "/").replace("（", "(").replace("）", ")"))
        try:
            tree = ast.parse(expr, mode="eval")
        except SyntaxError as exc:
            raise FormulaError(f"公式写法有误：{source}") from exc
        for node in ast.walk(tree):
            if not isinstance(node, _ALLOWED):
                raise FormulaError(f"公式只能使用数字、指标编号、+ - * / 和括号：{source}")
            if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
                raise FormulaError(f"公式中有不能计算的内容：{source}")
        self._tree = tree
        self._names = {v: k for k, v in names.items()}

    def render(self, names: dict[str, str]) -> str:
        """The formula for a reader: each id replaced by its name, × and ÷ for * and /."""
        text = ID_RE.sub(lambda m: names.get(m.group(0), m.group(0)), self.source)
        return re.sub(r"\s*([*×])\s*", " × ", re.sub(r"\s*([/÷])\s*", " ÷ ", text)).strip()

    def evaluate(self, values: dict[str, Decimal]) -> Decimal:
        """Raises FormulaError on division by zero or a missing id."""
        with localcontext() as ctx:
            ctx.prec = 34
            return self._eval(self._tree.body, values)

    def _eval(self, node, values):
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            ident = self._names[node.id]
            if ident not in values or values[ident] is None:
                raise FormulaError(f"公式用到的指标“{ident}”没有数值")
            return values[ident]
        if isinstance(node, ast.UnaryOp):
            operand = self._eval(node.operand, values)
            return -operand if isinstance(node.op, ast.USub) else operand
        left, right = self._eval(node.left, values), self._eval(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        try:
            if right == 0:
                raise DivisionByZero
            return left / right
        except (DivisionByZero, InvalidOperation) as exc:
            raise FormulaError(f"公式“{self.source}”出现除以零") from exc

    @property
    def kind(self) -> str:
        """rate (a/b*100), share, sum, difference or other: how a report words it."""
        body = self._tree.body
        if isinstance(body, ast.BinOp) and isinstance(body.op, ast.Mult) and isinstance(body.left, ast.BinOp) \
                and isinstance(body.left.op, ast.Div):
            return "rate"
        if isinstance(body, ast.BinOp) and isinstance(body.op, ast.Div):
            return "ratio"
        if isinstance(body, ast.BinOp) and isinstance(body.op, ast.Add):
            return "sum"
        if isinstance(body, ast.BinOp) and isinstance(body.op, ast.Sub):
            return "difference"
        return "other"
