"""The baseline for bench_app.py: an almost empty Gradio Blocks app, started like app.py.

    python benchmarks/minimal_gradio_app.py PORT

Shows how long Gradio itself needs to import and serve its first page on this machine, so the
difference to `python app.py` is what our app adds (its imports, building its UI, its start-up).
"""

import os
import sys

for key, value in {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}.items():
    os.environ.setdefault(key, value)  # nothing phones home (the same defaults as assistant/privacy.py)
sys.modules.setdefault("mcp", None)  # as assistant/privacy.py: gradio would import the installed mcp (~0.4 s)

import gradio as gr  # noqa: E402

port = int(sys.argv[1]) if len(sys.argv) > 1 else 7861
with gr.Blocks(title="baseline") as demo:
    gr.Markdown("# baseline")
demo.launch(server_name="127.0.0.1", server_port=port, share=False, quiet=True)
