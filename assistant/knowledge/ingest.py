"""The ingest pipeline: files → text → structure → chunks → catalog (BM25 at once) → vectors.

Each file is read and parsed first, for all files, so keyword search covers every new document
within seconds; the slow dense embedding runs after, in batches, with progress and an ETA, and
resumes later if it is interrupted. Files go one at a time: a file that cannot be read or stored
is reported by name and skipped, the index is left as it was for that file, and the rest go on.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssistantError, DocumentError, explain_exception, log_unexpected
from ..outline import load_outline
from ..report_tree import parse_report
from .base import KnowledgeBase, Progress
from .bm25 import tokenize
from .chunking import Chunker, DocInfo, make_doc_id
from .documents import SUPPORTED_SUFFIXES, read_document
from .regulations import parse_regulation

_ARTICLE_LINE = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?第[一二三四五六七八九十百零〇两0-9]+条", re.M)


@dataclass
class FileResult:
    path: str
    ok: bool
    doc_id: str | None = None
    title: str | None = None
    kind: str | None = None
    region: str | None = None
    year: int | None = None
    chunks: int = 0
    added: int = 0
    removed: int = 0
    error: str | None = None
    regulation: object | None = field(default=None, repr=False)  # the parsed Regulation, for the registry

    @property
    def unchanged(self) -> bool:
        return self.ok and not self.added and not self.removed


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    embedded: int = 0
    embed_error: str | None = None

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if not f.ok]


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files and folders (recursively) → supported files, sorted; hidden files skipped."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                              and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            out.append(path)
    return out


def detect_kind(text: str) -> str:
    if text.startswith("---\n") or len(_ARTICLE_LINE.findall(text[:20000])) >= 3:
        return "regulation"
    return "report"


def ingest_paths(kb: KnowledgeBase, paths: list[str | Path], *, kind: str | None = None, region: str | None = None,
                 year: int | None = None, title: str | None = None, embed: bool = True,
                 progress: Progress | None = None, on_regulation=None) -> IngestReport:
    """Ingest files and folders, one file at a time: a file that cannot be read or stored — for
    whatever reason, an unforeseen one included (its traceback goes to the data dir's error log) —
    is reported by name and skipped, and the others go on. `on_regulation(result)` is called for
    each regulation stored (the registry uses it to learn the title, dates and status).
    `progress(done, total, message)` counts files; within a long file the message says how far
    its chunking has got ("读取与分段 汇编.docx：分段 45%")."""
    report = IngestReport()
    files = expand_paths(paths)
    chunker = None
    for n, path in enumerate(files, 1):
        if progress:
            progress(n - 1, len(files), f"读取与分段 {path.name}")
        try:
            if chunker is None:
                embedder = kb.embeddings.embedder
                chunker = Chunker(embedder.count_tokens, embedder.max_tokens, load_outline())
            chunker.progress = _within_file(progress, n - 1, len(files), path.name) if progress else None
            result = ingest_file(kb, chunker, path, kind=kind, region=region, year=year, title=title)
        except AssistantError as exc:
            result = FileResult(str(path), False, error=exc.text())
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            step_zh, step_en = f"把“{path.name}”加入知识库", f"ingesting {path.name}"
            log = log_unexpected(exc, step_en, kb.settings.data_dir)
            result = FileResult(str(path), False, error=explain_exception(exc, step_zh, step_en, log).text())
        report.files.append(result)
        if result.ok and result.kind == "regulation" and on_regulation:
            on_regulation(result)
    if any(f.ok and not f.unchanged for f in report.files):
        kb.warm_keyword_index()
    if progress and files:
        progress(len(files), len(files), "关键词检索已可用，开始向量化")
    if embed:
        try:
            report.embedded = kb.embed_pending(progress)
        except AssistantError as exc:
            report.embed_error = exc.text()
        except Exception as exc:  # noqa: BLE001 - the files are in; only their vectors wait
            report.embed_error = _embed_failure(exc, kb.settings.data_dir).text()
    return report


def _embed_failure(exc: Exception, data_dir) -> AssistantError:
    """Embedding that broke off: a vector store that stopped answering (a Chroma server stopped
    mid-ingest) is said as such; what was read stays searchable by keywords, and `embed` resumes."""
    if isinstance(exc, ConnectionError) or type(exc).__name__ in (
            "ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError", "ReadError"):
        return AssistantError(f"向量库服务连接不上（{type(exc).__name__}: {exc}），向量化中断。",
                              f"The vector store stopped answering ({type(exc).__name__}: {exc}); embedding stopped.",
                              "已读入的文件可用关键词检索；确认 Chroma 服务已启动后运行 python -m assistant embed 继续。",
                              "The files read are searchable by keywords; start the Chroma server, then run "
                              "`python -m assistant embed` to resume.")
    log = log_unexpected(exc, "embedding after ingest", data_dir)
    return explain_exception(exc, "向量化", "embedding", log)


def _within_file(progress: Progress, done: int, total: int, name: str, every: float = 0.5):
    """A chunker's progress (characters) as the ingest's message, at most every `every` seconds."""
    last = [time.monotonic()]

    def tick(chars: int, length: int) -> None:
        now = time.monotonic()
        if now - last[0] >= every and length:
            last[0] = now
            progress(done, total, f"读取与分段 {name}：分段 {chars * 100 // length}%")

    return tick


def ingest_file(kb: KnowledgeBase, chunker: Chunker, path: Path, *, kind: str | None = None,
                region: str | None = None, year: int | None = None, title: str | None = None) -> FileResult:
    doc = read_document(path)
    text = doc.text
    kind = kind or detect_kind(text)
    if kind not in ("report", "regulation"):
        raise DocumentError(f"未知的文件类别：{kind}", f"Unknown kind: {kind}", "类别只能是 report 或 regulation。",
                            "The kind is report or regulation.")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    regulation = None
    if kind == "report":
        tree = parse_report(text)
        region = region or tree.region
        year = year or tree.year
        doc_title = title or tree.title or (f"{region or ''}{year or ''}年法治政府建设年度报告" if (region or year) else path.stem)
        info = DocInfo(make_doc_id(kind, doc_title, region, year), doc_title, kind, region, year, path.name,
                       {"recipient": tree.recipient, "parts": [s.part for s in tree.sections]})
        chunks = chunker.chunk_report(tree, info)
    else:
        regulation = parse_regulation(text, fallback_title=path.stem)
        doc_title = title or regulation.title or path.stem
        promulgated = regulation.promulgated
        year = year or (int(promulgated[:4]) if promulgated else None)
        region = region or detect_region_of_title(doc_title)
        extra = {"status": regulation.status, "version": regulation.version, "promulgated": promulgated,
                 "effective": regulation.effective, "issuer": regulation.issuer, "articles": regulation.article_count}
        info = DocInfo(make_doc_id(kind, doc_title, None, None, promulgated or regulation.version), doc_title, kind,
                       region, year, path.name, extra)
        chunks = chunker.chunk_regulation(regulation, info)
    if not chunks:
        raise DocumentError(f"文件中没有可检索的内容：{path.name}", f"Nothing searchable in {path.name}",
                            "请检查文件内容。", "Check the file's content.")
    added, removed = kb.catalog.replace_document(info, text, sha, chunks, ChunkTokens(chunks))
    kb.delete_vectors(removed)
    return FileResult(str(path), True, info.doc_id, info.title, kind, region, year, len(chunks), len(added),
                      len(removed), regulation=regulation)


class ChunkTokens(Mapping):
    """Chunk id → its BM25 tokens, computed when the catalog asks for them (only for the chunks it
    adds) and not kept: a big file's token lists all at once took ~40 MB per million characters,
    and unchanged chunks of a re-ingested file need none."""

    def __init__(self, chunks: list) -> None:
        self._texts = {c.id: c.search_text for c in chunks}

    def __getitem__(self, chunk_id: str) -> list[str]:
        return tokenize(self._texts[chunk_id])

    def __iter__(self):
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def detect_region_of_title(title: str) -> str:
    """'吉林省重大行政决策程序规定' → '吉林省'; a national document → '全国'."""
    m = re.match(r"^([\u4e00-\u9fff]{2,8}?(?:省|自治区|市|自治州|州|县|区))", title)
    if m and not title.startswith(("中华人民共和国", "中国共产党", "中共中央")):
        return m.group(1)
    return "全国"
