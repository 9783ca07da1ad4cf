"""Errors the user sees: always in Chinese and English, with what to do next."""

from __future__ import annotations


class AssistantError(Exception):
    """An error with a Chinese message, an English message and a hint on what to do."""

    exit_code = 2

    def __init__(self, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> None:
        self.zh, self.en, self.hint_zh, self.hint_en = zh, en, hint_zh, hint_en
        super().__init__(self.text())

    def text(self) -> str:
        lines = [f"{self.zh}", f"{self.en}"]
        if self.hint_zh or self.hint_en:
            lines.append(f"处理建议：{self.hint_zh}" if self.hint_zh else "")
            lines.append(f"What to do: {self.hint_en}" if self.hint_en else "")
        return "\n".join(line for line in lines if line)


class DocumentError(AssistantError):
    """A document cannot be read or parsed (corrupt, empty, binary, unknown type)."""


class InputsError(AssistantError):
    """The structured inputs (YAML/XLSX) cannot be used; `problems` lists every one found."""

    def __init__(self, zh: str, en: str, problems: list | None = None, hint_zh: str = "", hint_en: str = "") -> None:
        self.problems = list(problems or [])
        super().__init__(zh, en, hint_zh, hint_en)

    def text(self) -> str:
        head = super().text()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(str(p) for p in self.problems)


class KnowledgeBaseError(AssistantError):
    """The knowledge base cannot be opened or changed (model mismatch, server down...)."""


class LLMError(AssistantError):
    """The LLM endpoint failed; `retryable` tells whether trying again can help."""

    def __init__(self, zh: str, en: str, hint_zh: str = "", hint_en: str = "", *, retryable: bool = False,
                 status: int | None = None, partial_text: str = "") -> None:
        self.retryable = retryable
        self.status = status
        self.partial_text = partial_text
        super().__init__(zh, en, hint_zh, hint_en)


class NotFound(AssistantError):
    """A document, article or section that was asked for does not exist."""
