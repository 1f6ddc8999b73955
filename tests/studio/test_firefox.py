"""kit studio in Firefox (Debian's firefox-esr, headless). There is no geckodriver in Debian, so
the test speaks WebDriver BiDi, which Firefox serves itself, over a WebSocket (the
websocket-client library that Selenium brings)."""

from __future__ import annotations

import json
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websocket

from kit.catalog.pofile import load_po

from ..conftest import tool
from .test_server import start


class Firefox:
    """A headless Firefox with one tab, driven by WebDriver BiDi commands."""

    def __init__(self, profile: Path) -> None:
        self.proc = subprocess.Popen(
            [
                tool("firefox-esr", "firefox-esr"),
                "--headless",
                "--no-remote",
                "--profile",
                str(profile),
                "--remote-debugging-port",
                "0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        address = self._address()
        self.ws = websocket.create_connection(
            f"{address}/session", timeout=30, suppress_origin=True
        )
        self.count = 0
        self.log: list[dict[str, Any]] = []
        self.call("session.new", capabilities={})
        self.call("session.subscribe", events=["log.entryAdded"])
        self.context = self.call("browsingContext.getTree")["contexts"][0]["context"]

    def _address(self) -> str:
        stderr = self.proc.stderr
        assert stderr is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if select.select([stderr], [], [], 1)[0]:
                line = stderr.readline()
                if "WebDriver BiDi listening on " in line:
                    return line.split("listening on ", 1)[1].strip()
        self.proc.kill()
        pytest.fail("Firefox did not start its WebDriver BiDi server within 60 s")

    def call(self, method: str, **params: Any) -> Any:
        self.count += 1
        self.ws.send(json.dumps({"id": self.count, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == "log.entryAdded":
                self.log.append(message["params"])
            elif message.get("id") == self.count:
                if message.get("type") == "error":
                    raise AssertionError(f"{method}: {message}")
                return message["result"]

    def js(self, expression: str) -> Any:
        result = self.call(
            "script.evaluate",
            expression=expression,
            awaitPromise=True,
            target={"context": self.context},
        )
        assert result["type"] == "success", result
        return result["result"].get("value")

    def until(self, expression: str, timeout: float = 10) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        pytest.fail(f"not true within {timeout} s: {expression}")

    def close(self) -> None:
        try:
            self.call("session.end")
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc.stderr.close()  # type: ignore[union-attr]


@pytest.fixture
def firefox(tmp_path: Path) -> Iterator[Firefox]:
    (tmp_path / "profile").mkdir()
    browser = Firefox(tmp_path / "profile")
    yield browser
    browser.close()


def test_the_page_works_in_firefox(firefox, locales):
    server = start(locales)
    try:
        firefox.call(
            "browsingContext.navigate", context=firefox.context, url=server.url, wait="complete"
        )
        firefox.until("document.querySelectorAll('#messages textarea').length > 30")
        firefox.until("document.getElementById('preview').naturalWidth > 0")
        firefox.js("""(() => { const a = document.getElementById('t-help_tell-0'); a.focus();
                     a.setRangeText('5', a.value.length, a.value.length, 'end');
                     a.dispatchEvent(new Event('input')); })()""")
        firefox.until("document.getElementById('f-help_tell').textContent.includes('typed-figure')")
        # A typed figure never prints; with a word instead, the poster is drawn again.
        firefox.js("""(() => { const a = document.getElementById('t-help_tell-0');
                     a.setRangeText('ね', a.value.length - 1, a.value.length, 'end');
                     a.dispatchEvent(new Event('input')); })()""")
        firefox.until(
            "!document.getElementById('f-help_tell').textContent.includes('typed-figure')"
        )
        firefox.until("document.getElementById('preview').dataset.focus === 'help_tell'")
        path = locales / "ja" / "LC_MESSAGES" / "messages.po"
        deadline = time.monotonic() + 2.0
        while not next(e for e in load_po(path) if e.msgctxt == "help_tell").msgstr.endswith("ね"):
            assert time.monotonic() < deadline, "not saved within 2 s"
            time.sleep(0.05)
        # The file is written before the server's answer reaches the page: the status
        # follows within moments, not necessarily at once.
        firefox.until(
            "document.getElementById('save-status').textContent === 'All changes saved'", timeout=2
        )
    finally:
        server.shutdown()
        server.server_close()
    assert [e for e in firefox.log if e.get("level") == "error"] == []
