"""Lazy public faces for the subpackages (PEP 562): a name is imported from its module the first
time it is used, so `python -m assistant check` does not pay for Chroma, the embedding model,
LangChain or Gradio, and every stage is reached through the few names its `__init__` lists."""

from __future__ import annotations

from importlib import import_module


def lazy_names(package: str, table: dict[str, str]):
    """`__getattr__` and `__dir__` for a package whose public names are {name: ".module"}."""

    def __getattr__(name: str):
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module, package), name)
        import_module(package).__dict__[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(table)

    return __getattr__, __dir__
