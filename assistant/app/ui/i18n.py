"""Gradio's own words in Chinese. Gradio translates its components for a zh-CN browser, but not
the titles of its toasts ("Error", "Warning"), its refusals of an upload ("Invalid file type…",
"File(s) exceed the maximum allowed size…"), its lost-connection message, or a progress bar's
"2/2 steps". A small script in the page's head rewrites those texts where Gradio puts them; the
app's own messages are Chinese already. Offline: inline, no request leaves the page.
"""

from __future__ import annotations

import json

# Gradio's exact English (a regular expression) → Chinese; $1… are the captured parts
TEXTS = [
    (r"^Error\s*$", "出错了"),
    (r"^Warning\s*$", "请注意"),
    (r"^Info\s*$", "提示"),
    (r"^Success\s*$", "完成"),
    (r"^Invalid file types?: (.*?)\. Only (.*) allowed\.?$", "不能上传 $1：这里只接受 $2 文件。"),
    (r"^Invalid file type\. Please upload a file that is one of these formats: (.*)$", "不能上传这种文件：这里只接受 $1。"),
    (r"^File\(s\) exceed the maximum allowed size of (.*?): (.*)$", "文件太大，不能上传（上限 $1）：$2"),
    (r"^File size exceeded maximum allowed size of (.*)$", "文件太大，不能上传（上限 $1）。"),
    (r"^Connection errored out\.?\s*$", "与程序的连接中断了：请确认程序仍在运行。" 
     "先复制编辑框里还没保存的文字，再刷新网页（F5）。"),
    (r"^(\d+)\s*/\s*(\d+)\s*steps$", "$1/$2 步"),
    (r"^processing \|$", "处理中 |"),
    (r"^processing$", "处理中"),
    (r"^queue: (\d+)/(\d*) \|$", "排队中：第 $1/$2 位 |"),
    (r"^steps \|$", "步 |"),
]

_SCRIPT = """
<script>
(function () {
  const rules = %s.map(([p, r]) => [new RegExp(p), r]);
  function translate(node) {
    const text = node.nodeValue;
    if (!text || !/[A-Za-z]/.test(text)) return;
    const trimmed = text.trim();
    for (const [pattern, zh] of rules) {
      if (pattern.test(trimmed)) { node.nodeValue = trimmed.replace(pattern, zh); return; }
    }
    const steps = trimmed.match(/^(.*?)(\\d+)\\s*\\/\\s*(\\d+)\\s*steps$/);
    if (steps) node.nodeValue = steps[1] + steps[2] + "/" + steps[3] + " 步";
  }
  function walk(root) {
    if (!root) return;
    if (root.nodeType === 3) { translate(root); return; }
    if (!root.querySelectorAll) return;
    const where = ".toast-body, .toast-wrap, [data-testid=status-tracker], .progress-text, .meta-text, .meta-text-center";
    const scope = root.closest && root.closest(where);
    const targets = scope ? [scope] : root.querySelectorAll(where);
    for (const el of targets) {
      const it = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let n; while ((n = it.nextNode())) translate(n);
    }
  }
  function start() {
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "characterData") { walk(r.target.parentElement); continue; }
        for (const n of r.addedNodes) walk(n.nodeType === 3 ? n.parentElement : n);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
</script>
"""


def head_script() -> str:
    return _SCRIPT % json.dumps(TEXTS, ensure_ascii=False)
