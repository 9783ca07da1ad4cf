"""The Gradio web app. It only wires components to the Workbench; no logic lives here.

Tabs: 起草与修改 (sections, editor, findings, sources, versions, chat), 指标与素材 (inputs),
知识库 (upload, list, remove, search), 审阅 (check a report written elsewhere), 导出 (Word/Markdown).
`layout` builds the screens, `callbacks` wires them, `views` turns results into what they show,
`server` starts it.
"""

from __future__ import annotations

from ... import privacy  # noqa: F401  (analytics off before gradio is imported)
from .server import build_app, launch, start_background_indexing

__all__ = ["build_app", "launch", "start_background_indexing"]
