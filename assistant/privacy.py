"""Turn off every phone-home before the libraries that do it are imported.

Imported first by the CLI and the web app. Only sets environment variables that are not set
already, so a user can still override them on purpose.
"""

import os

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


apply()
