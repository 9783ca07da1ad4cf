"""The guards around the web app without a browser: the error boundary, the login throttle, the
Host check (as ASGI middleware on a real Starlette app), Gradio's English turned Chinese; and the
real app exposed on another loopback address: Host refused, logins throttled, plain HTTP warned."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import gradio as gr
import pytest
from app_process import AppProcess
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from assistant.app.ui.boundary import guarded
from assistant.app.ui.i18n import TEXTS, head_script
from assistant.app.ui.security import FREE_FAILURES, HostCheck, LoginThrottle, Throttle, allowed_hosts, host_of
from assistant.errors import AssistantError


# -- the error boundary ---------------------------------------------------------------------------------
def test_a_known_error_names_the_step_and_what_to_do(tmp_path):
    def on_save():
        raise AssistantError("保存失败。", "Saving failed.", "请重试。", "Retry.")

    with pytest.raises(gr.Error) as info:
        guarded(on_save, tmp_path)()
    assert info.value.message.startswith("“保存并检查”没有完成：保存失败。<br>处理建议：请重试。")
    assert "<details><summary>详细信息（English）</summary>Saving failed.</details>" in info.value.message
    assert not (tmp_path / "logs").exists()  # a known error is not an incident


def test_an_unknown_error_is_logged_with_its_traceback_and_numbered(tmp_path):
    def on_chat():
        yield "第一段"
        raise KeyError("sections")

    run = guarded(on_chat, tmp_path)
    with pytest.raises(gr.Error) as info:
        list(run())
    number = re.search(r"记录编号 (E-[0-9A-F]{6})", info.value.message).group(1)
    assert info.value.message.startswith("“对话”时出现意外错误")
    assert info.value.title == "出错了" and "KeyError" not in info.value.message.split("<details>")[0]
    log = (tmp_path / "logs" / "errors.log").read_text(encoding="utf-8")
    assert number in log and "Traceback" in log and "KeyError: 'sections'" in log and "步骤/step: 对话" in log


def test_the_boundary_keeps_what_gradio_reads_from_a_callback(tmp_path):
    import inspect

    def on_pick(value, key, evt: gr.SelectData):
        return value

    wrapped = guarded(on_pick, tmp_path)
    assert list(inspect.signature(wrapped).parameters) == ["value", "key", "evt"]  # SelectData is still injected
    assert inspect.isgeneratorfunction(guarded(lambda: (yield 1), tmp_path))
    assert guarded(wrapped, tmp_path) is wrapped


# -- the login throttle ---------------------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_passwords_make_a_user_wait_longer_each_time():
    clock = Clock()
    throttle = Throttle(clock)
    key = ("10.0.0.5", "clerk")
    for _ in range(FREE_FAILURES - 1):
        assert throttle.failed(key) == 0
    first = throttle.failed(key)
    assert first == 30 and throttle.wait(key) == 30
    assert throttle.wait(("10.0.0.6", "clerk")) == 0  # another address is not held up
    clock.now += 31
    assert throttle.wait(key) == 0
    assert throttle.failed(key) == 60  # doubled
    throttle.succeeded(key)
    assert throttle.wait(key) == 0


def _app(middleware):
    async def login(request):
        form = await request.form()
        ok = form.get("password") == "secret"
        return JSONResponse({"success": ok}, status_code=200 if ok else 400)

    async def home(request):
        return PlainTextResponse("ok")

    return Starlette(routes=[Route("/login", login, methods=["POST"]), Route("/", home)], middleware=middleware)


def test_the_login_is_refused_while_a_user_waits_even_with_the_right_password():
    client = TestClient(_app([Middleware(LoginThrottle, Throttle())]))
    for _ in range(FREE_FAILURES):
        assert client.post("/login", data={"username": "clerk", "password": "guess"}).status_code == 400
    refused = client.post("/login", data={"username": "clerk", "password": "secret"})
    assert refused.status_code == 429 and "登录失败次数过多" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) > 0
    assert client.post("/login", data={"username": "other", "password": "secret"}).status_code == 200
    assert client.get("/").text == "ok"


def test_only_requests_addressed_to_this_server_are_answered():
    names, any_ip = allowed_hosts("127.0.0.1")
    client = TestClient(_app([Middleware(HostCheck, names, any_ip)]), base_url="http://127.0.0.1:7860")
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "localhost:7860"}).status_code == 200
    refused = client.get("/", headers={"host": "attacker.example:7860"})
    assert refused.status_code == 400 and "拒绝访问" in refused.text
    names, any_ip = allowed_hosts("0.0.0.0", "report.example.gov.cn，Proxy.Local")
    assert any_ip and {"report.example.gov.cn", "proxy.local"} <= names
    assert host_of("[::1]:7860") == "::1" and host_of("Report.Example.gov.cn:443") == "report.example.gov.cn"


def test_gradios_english_has_a_chinese_rule():
    def apply(text):
        for pattern, zh in TEXTS:
            if re.match(pattern, text):
                return re.sub(pattern, zh.replace("$1", r"\1").replace("$2", r"\2"), text)
        return text

    assert apply("Error") == "出错了" and apply("Warning") == "请注意"
    assert apply("Invalid file type: run.exe. Only .yaml, .xlsx allowed.") == "不能上传 run.exe：这里只接受 .yaml, .xlsx 文件。"
    assert apply("File(s) exceed the maximum allowed size of 20 MB: big.pdf") == "文件太大，不能上传（上限 20 MB）：big.pdf"
    assert apply("2/2 steps") == "2/2 步" and apply("processing |") == "处理中 |"
    assert "<script>" in head_script() and "http" not in head_script().split("<script>")[1].split("RegExp")[0]


# -- the real app, exposed ------------------------------------------------------------------------------
def _post(url: str, data: dict, host: str | None = None):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    if host:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_the_exposed_app_checks_the_host_throttles_logins_and_warns_about_http(tmp_path, vector_cache):
    env = {"ASSISTANT_USER": "clerk", "ASSISTANT_PASSWORD": "s3cret-pass"}
    with AppProcess(tmp_path / "data", vector_cache, env, host="127.0.0.2") as app:
        assert "明文 HTTP" in app.log_tail() and "HTTPS 反向代理" in app.log_tail()
        status, body = _post(app.url + "login", {"username": "clerk", "password": "x"}, host="evil.example")
        assert status == 400 and "拒绝访问" in body  # DNS rebinding: a name that is not this server's
        for _ in range(FREE_FAILURES):
            assert _post(app.url + "login", {"username": "clerk", "password": "wrong"})[0] == 400
        status, body = _post(app.url + "login", {"username": "clerk", "password": "s3cret-pass"})
        assert status == 429 and "登录失败次数过多" in body
        status, _ = _post(app.url + "login", {"username": "admin", "password": "s3cret-pass"})
        assert status == 400  # another user name is not held up (and is simply wrong)


def test_the_local_app_refuses_another_host(offline_app_url):
    request = urllib.request.Request(offline_app_url, headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 400


@pytest.fixture(scope="module")
def offline_app_url(tmp_path_factory, vector_cache):
    with AppProcess(tmp_path_factory.mktemp("local") / "data", vector_cache) as app:
        with urllib.request.urlopen(app.url, timeout=10) as response:
            assert response.status == 200
        yield app.url
