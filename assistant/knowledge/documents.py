"""Reading user documents (.txt, .md, .docx, .pdf) into plain text, with clear errors.

Text files may be UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, which government
offices still use, or Big5 (traditional characters, read as such). A .docx is read as its paragraphs joined by "\n" (tables are appended after the
body paragraphs, row by row), so character offsets are stable for the checkers.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from ..inputs import UnknownEncoding, decode_bytes

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}


@dataclass(frozen=True)
class DocumentText:
    path: Path
    text: str
    fmt: str  # txt | md | docx | pdf
    encoding: str | None = None


def read_document(path: str | Path) -> DocumentText:
    """Read a supported file into text, or raise DocumentError saying why and what to do."""
    path = Path(path)
    if not path.exists():
        raise DocumentError(f"文件不存在：{path}", f"File not found: {path}", "请检查路径。", "Check the path.")
    if path.is_dir():
        raise DocumentError(f"这是一个文件夹，不是文件：{path}", f"This is a folder, not a file: {path}")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"不支持的文件类型“{suffix or '无扩展名'}”：{path.name}",
            f"Unsupported file type '{suffix or 'none'}': {path.name}",
            "请使用 .txt、.md、.docx 或 .pdf 文件（旧版 .doc 请先另存为 .docx）。",
            "Use .txt, .md, .docx or .pdf (save an old .doc as .docx first).",
        )
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError(f"文件是空的：{path.name}", f"The file is empty: {path.name}", "请确认文件内容后重新上传。",
                            "Check the file's content and try again.")
    if suffix in TEXT_SUFFIXES:
        text, encoding = decode_text(data, path.name)
        fmt = "md" if suffix in {".md", ".markdown"} else "txt"
        doc = DocumentText(path, normalise_newlines(text), fmt, encoding)
    elif suffix == ".docx":
        doc = DocumentText(path, read_docx_text(path), "docx")
    else:
        doc = DocumentText(path, read_pdf_text(path), "pdf")
    if not doc.text.strip():
        raise DocumentError(
            f"没有从文件中读出任何文字：{path.name}",
            f"No text could be read from {path.name}",
            "如果是扫描件 PDF，请先做文字识别（OCR）或提供 Word 版本。",
            "If it is a scanned PDF, run OCR first or provide the Word version.",
        )
    return doc


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """Decode bytes of a text file: BOMs first, then UTF-8, GB18030 (a superset of GBK) or Big5,
    told apart by the characters they give (`inputs.decode_bytes`)."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(
            f"这不是文本文件（含有二进制内容）：{name}",
            f"This is not a text file (it contains binary data): {name}",
            "请确认文件类型；Word 文档请使用 .docx 扩展名。",
            "Check the file type; Word documents must have the .docx extension.",
        )
    try:
        decoded = decode_bytes(data)
    except UnknownEncoding:
        decoded = None
    if decoded is None or not _looks_like_text(decoded.text):
        raise DocumentError(
            f"无法识别文件编码：{name}",
            f"Cannot tell the text encoding of {name}",
            "请将文件另存为 UTF-8 编码的文本后重试。",
            "Save the file as UTF-8 text and try again.",
        )
    return decoded.text, decoded.encoding


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text[:20000] if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / min(len(text), 20000) < 0.01


def read_docx_text(path: Path) -> str:
    """A .docx as its paragraphs joined by "\n", tables after the body. A package that is no zip,
    lacks its parts or holds broken XML (a damaged download, a file cut short) is a DocumentError
    naming the file, never the XML parser's own exception."""
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    if not cells or cells[-1] != cell.text:  # merged cells repeat their text
                        cells.append(cell.text)
                lines.append("\t".join(cells))
    except (PackageNotFoundError, zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, EOFError,
            SyntaxError, TypeError, AttributeError, IndexError, zlib.error) as exc:
        # lxml's XMLSyntaxError is a SyntaxError; a part missing or of the wrong type raises
        # KeyError/AttributeError/TypeError deep inside python-docx; a truncated member zlib.error
        raise DocumentError(
            f"Word 文件已损坏或不是 .docx 格式：{path.name}",
            f"The Word file is damaged or not a .docx: {path.name} ({type(exc).__name__})",
            "请用 Word 或 WPS 打开后另存为 .docx 再上传。",
            "Open it in Word or WPS, save it as .docx and upload it again.",
        ) from exc
    return normalise_newlines("\n".join(lines))


def read_pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - pypdf raises several types here
                raise DocumentError(f"PDF 文件已加密：{path.name}", f"The PDF is encrypted: {path.name}",
                                    "请提供未加密的版本。", "Provide an unencrypted copy.") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(
            f"PDF 文件已损坏，无法读取：{path.name}",
            f"The PDF is damaged and cannot be read: {path.name} ({type(exc).__name__})",
            "请重新导出 PDF，或提供 Word 版本。",
            "Export the PDF again or provide the Word version.",
        ) from exc
    return normalise_newlines("\n".join(p.strip("\n") for p in pages))
