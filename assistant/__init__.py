"""法治政府建设年度报告起草助手 — the drafting assistant for the annual rule-of-law government report.

A library first: every CLI command and every web-app action is a call into these modules.
Stages: ingest (documents → knowledge base) → retrieve → draft → check → revise → export.
"""

__version__ = "0.1.0"
