"""kit studio without a browser: the server's guards, saving without loss, the command.

The page itself is tested in a real browser in tests/studio/test_browser.py."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest

from kit.campaign import load_campaign
from kit.catalog.pofile import load_po
from kit.studio.server import StudioServer
from kit.studio.session import Session

from ..conftest import tool


class Client:
    """Requests to a running studio, with whatever headers a test wants to forge."""

    def __init__(self, server: StudioServer) -> None:
        self.server = server
        self.base = f"/{server.token}/"

    def __call__(
        self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.server.port}"} | (headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        out = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        conn.close()
        return out

    def api(self, method: str, name: str, body: object = None) -> tuple[int, dict[str, Any]]:
        status, _, data = self(method, self.base + name, body)
        return status, json.loads(data)


def start(locales: Path, locale: str = "ja", second: str | None = None) -> StudioServer:
    session = Session(load_campaign(), locales, locale, "students", "a4", second)
    server = StudioServer(session)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


@pytest.fixture
def studio(locales: Path) -> Iterator[Client]:
    server = start(locales)
    yield Client(server)
    server.shutdown()
    server.server_close()


def po_path(locales: Path, locale: str = "ja") -> Path:
    return locales / locale / "LC_MESSAGES" / "messages.po"


def entry(path: Path, mid: str) -> polib.POEntry:
    return next(e for e in load_po(path) if e.msgctxt == mid)


def view(client: Client, mid: str) -> dict[str, Any]:
    status, state = client.api("GET", "api/state")
    assert status == 200
    return next(m for m in state["messages"] if m["id"] == mid)


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---- the guards --------------------------------------------------------------------------


def test_every_route_without_the_token_is_forbidden(studio):
    token = studio.server.token
    paths = [
        "/",
        "/favicon.ico",
        "/index.html",
        "/static/studio.js",
        "/api/state",
        "/api/message",
        f"/{token[:-1]}/",
        f"/{token}x/api/state",
        f"/x/{token}/",
        f"/{token.upper()}/api/state",
        "/fonts/NotoSans-Regular.subset.ttf",
    ]
    for path in paths:
        for method in ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND"):
            status, headers, _ = studio(method, path, body={} if method == "POST" else None)
            assert status == 403, (method, path, status)
            assert "access-control-allow-origin" not in headers
    # With the token, the same routes answer.
    assert studio("GET", f"/{token}/")[0] == 200
    assert studio("GET", f"/{token}/static/studio.js")[0] == 200


def test_a_foreign_host_origin_or_site_is_forbidden_even_with_the_token(studio):
    page = studio.base
    port = studio.server.port
    forged = [
        {"Host": f"evil.example:{port}"},  # DNS rebinding: the attacker's name
        {"Host": "127.0.0.1"},
        {"Host": f"127.0.0.1:{port + 1}"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ]
    for headers in forged:
        assert studio("GET", page + "api/state", headers=headers)[0] == 403, headers
        status, _, _ = studio(
            "POST", page + "api/message", {"id": "help_tell", "version": 0, "forms": ["x"]}, headers
        )
        assert status == 403, headers
    assert studio("GET", page, headers={"Host": f"localhost:{port}"})[0] == 200


def test_answers_carry_no_cors_and_a_strict_content_policy(studio):
    status, headers, _ = studio(
        "OPTIONS",
        studio.base + "api/message",
        headers={
            "Origin": f"http://127.0.0.1:{studio.server.port}",
            "Access-Control-Request-Method": "POST",
        },
    )
    assert status == 405
    for path in ("", "static/studio.js", "api/state"):
        status, headers, _ = studio("GET", studio.base + path)
        assert status == 200
        assert not any(k.startswith("access-control-") for k in headers)
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_a_write_must_be_json(studio, locales):
    before = tree(locales)
    status, _, _ = studio(
        "POST",
        studio.base + "api/message",
        headers={"Content-Type": "text/plain", "Content-Length": "2"},
    )
    assert status == 415  # a cross-site form cannot send application/json without CORS
    status, _ = studio.api("POST", "api/message", {"id": "help_tell"})
    assert status == 400
    assert tree(locales) == before


def test_the_page_loads_nothing_from_elsewhere(studio):
    for name in ("", "static/studio.css", "static/studio.js", "static/words.js"):
        text = studio("GET", studio.base + name)[2].decode()
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, name


def test_the_fonts_the_page_names_are_served(studio):
    import re

    css = studio("GET", studio.base + "static/studio.css")[2].decode()
    fonts = re.findall(r'url\("\.\./fonts/([^"]+)"\)', css)
    assert len(fonts) == 14
    for name in fonts:
        status, headers, body = studio("GET", studio.base + "fonts/" + name)
        assert status == 200 and headers["content-type"].startswith("font/") and body, name


# ---- saving -------------------------------------------------------------------------------


def test_an_edit_is_written_as_msgcat_writes_it_and_is_a_draft(studio, locales):
    msgfmt, msgcat = tool("msgfmt", "gettext"), tool("msgcat", "gettext")
    path = po_path(locales)
    before = tree(locales)
    m = view(studio, "help_tell")
    assert m["status"] == "reviewed"
    text = "ひとりでなやまず、家族や先生に話そう。<b>"
    status, saved = studio.api(
        "POST", "api/message", {"id": "help_tell", "version": m["version"], "forms": [text]}
    )
    assert status == 200 and saved["status"] == "draft" and saved["version"] == m["version"] + 1
    assert any(f["code"] == "markup" for f in saved["findings"])
    e = entry(path, "help_tell")
    assert e.msgstr == text and e.fuzzy
    assert subprocess.run([msgfmt, "-c", "-o", os.devnull, str(path)], check=False).returncode == 0
    again = subprocess.run([msgcat, str(path)], capture_output=True, text=True, check=True).stdout
    assert again == path.read_text("utf-8")
    after = tree(locales)
    assert {k for k in after if after[k] != before.get(k)} == {"ja/LC_MESSAGES/messages.po"}
    assert set(after) == set(before)  # and no temporary file left beside it


def test_reviewed_is_explicit_and_refused_while_there_are_errors(studio, locales):
    path = po_path(locales)
    m = view(studio, "fig_never_met")
    dropped = m["forms"][0].replace("{share}", "")
    status, saved = studio.api(
        "POST", "api/message", {"id": "fig_never_met", "version": m["version"], "forms": [dropped]}
    )
    assert status == 200 and saved["status"] == "draft"
    errors = [f["code"] for f in saved["findings"] if f["severity"] == "error"]
    assert errors == ["placeholder-missing"]
    status, answer = studio.api(
        "POST",
        "api/message",
        {"id": "fig_never_met", "version": saved["version"], "reviewed": True},
    )
    assert status == 400 and "{share}" in answer["error"]
    assert entry(path, "fig_never_met").fuzzy
    # Refused with a new text too: neither the file nor what the page is told changes.
    status, _ = studio.api(
        "POST",
        "api/message",
        {
            "id": "fig_never_met",
            "version": saved["version"],
            "forms": ["{total}"],
            "reviewed": True,
        },
    )
    assert status == 400
    assert view(studio, "fig_never_met")["forms"] == [dropped]
    assert entry(path, "fig_never_met").msgstr == dropped
    status, fixed = studio.api(
        "POST",
        "api/message",
        {"id": "fig_never_met", "version": saved["version"], "forms": m["forms"], "reviewed": True},
    )
    assert status == 200 and fixed["status"] == "reviewed"
    assert not entry(path, "fig_never_met").fuzzy


def test_another_programs_change_is_merged_never_overwritten(studio, locales):
    path = po_path(locales)
    mine, theirs = view(studio, "help_block"), view(studio, "help_stop")
    # Another program (Poedit, git pull) rewrites the file in its own way.
    po = polib.pofile(str(path))
    next(e for e in po if e.msgctxt == "help_stop").msgstr = "おどされても、送らない。"
    po.save(str(path))
    status, _ = studio.api(
        "POST",
        "api/message",
        {"id": "help_block", "version": mine["version"], "forms": ["アカウントをブロックする。"]},
    )
    assert status == 200
    assert entry(path, "help_stop").msgstr == "おどされても、送らない。"
    assert entry(path, "help_block").msgstr == "アカウントをブロックする。"
    # An edit begun before their change to the same message is refused, and theirs stays.
    status, answer = studio.api(
        "POST",
        "api/message",
        {"id": "help_stop", "version": theirs["version"], "forms": ["私の訳"]},
    )
    assert status == 409
    assert answer["conflict"]["forms"] == ["おどされても、送らない。"]
    assert entry(path, "help_stop").msgstr == "おどされても、送らない。"
    # Keeping mine is a decision: an edit based on their version.
    status, _ = studio.api(
        "POST",
        "api/message",
        {"id": "help_stop", "version": answer["conflict"]["version"], "forms": ["私の訳"]},
    )
    assert status == 200 and entry(path, "help_stop").msgstr == "私の訳"


def test_a_broken_file_on_disk_is_left_alone(studio, locales):
    path = po_path(locales)
    m = view(studio, "help_tell")
    broken = path.read_text("utf-8") + '\nmsgid "unterminated\n'
    path.write_text(broken, "utf-8")  # a half-done edit in another editor
    status, answer = studio.api(
        "POST", "api/message", {"id": "help_tell", "version": m["version"], "forms": ["x"]}
    )
    assert status == 503 and "does not parse" in answer["error"]
    assert path.read_text("utf-8") == broken


def test_the_check_of_one_message_as_typed(studio, locales):
    before = po_path(locales).read_bytes()
    status, live = studio.api(
        "POST",
        "api/check",
        {
            "id": "fig_never_met",
            "forms": [
                "被害にあった子どもの{shares}は、相手と一度も会ったことがありませんでした。\u202e"
            ],
        },
    )
    assert status == 200
    codes = {f["code"] for f in live["findings"]}
    assert {"placeholder-renamed", "bidi-control"} <= codes
    long = "あ" * 200
    status, live = studio.api("POST", "api/check", {"id": "help_tell", "forms": [long + "5"]})
    assert {"length-budget", "typed-figure"} <= {f["code"] for f in live["findings"]}
    assert live["widths"] == [401]
    # The width is the printed one: figures filled in, furigana not counted.
    status, live = studio.api(
        "POST",
        "api/check",
        {"id": "fig_victims", "forms": ["{period}に{count}人（{change}）｜写真《しゃしん》"]},
    )
    printed = "2017年1月～6月に263人（+10%）写真"
    from kit.textwidth import columns

    assert live["widths"] == [columns(printed)]
    assert live["ruby"] == [[["{period}に{count}人（{change}）", None], ["写真", "しゃしん"]]]
    assert po_path(locales).read_bytes() == before  # a check writes nothing


def test_plural_forms_come_by_cldr_category_with_example_numbers(locales):
    server = start(locales, "ar")
    try:
        m = view(Client(server), "fig_junior_high")
    finally:
        server.shutdown()
        server.server_close()
    forms = m["plural"]["forms"]
    assert [f["category"] for f in forms] == ["zero", "one", "two", "few", "many", "other"]
    assert forms[1]["examples"] == [1] and not forms[1]["more"]
    assert forms[3]["examples"] == [3, 4, 5, 6] and forms[3]["more"]
    assert m["plural"]["n"] == 139 and m["plural"]["used"] == 4  # 139 is "many" in Arabic
    assert len(m["forms"]) == 6


def test_a_text_too_long_for_its_box_is_that_messages_preview_error(studio):
    status, answer = studio.api(
        "POST",
        "api/preview",
        {"focus": "help_tell", "edits": [{"id": "help_tell", "forms": ["とても長い文。" * 120]}]},
    )
    assert status == 200
    assert answer["msgid"] == "help_tell" and "does not fit" in answer["error"]
    status, headers, png = studio("POST", studio.base + "api/preview", {"focus": "help_tell"})
    assert status == 200 and headers["content-type"] == "image/png"
    assert png.startswith(b"\x89PNG") and "help_tell" in headers["x-kit-shown"].split()


# ---- the command --------------------------------------------------------------------------


def test_kit_studio_prints_its_url_first_and_stops_cleanly_on_ctrl_c(locales, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "kit", "studio", "ja", "--no-browser", "--locales", str(locales)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, "no URL within 30 s"
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert len(token) >= 32
        port = int(url.split(":")[2].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/{token}/")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err


def test_a_browser_closing_a_connection_early_prints_no_traceback(locales, capfd):
    import socket
    import struct
    import time

    server = start(locales)
    try:
        font = sorted(server.fonts)[0]  # megabytes: more than a socket buffer holds
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", server.port))
            host = f"127.0.0.1:{server.port}"
            sock.sendall(
                f"GET /{server.token}/fonts/{font} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
            )
            sock.recv(1024)
            # Closed with a reset, as a browser abandons a transfer.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        time.sleep(0.5)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", f"/{server.token}/")
        assert conn.getresponse().status == 200  # and the server still answers
        conn.close()
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err


def test_kit_studio_refuses_what_it_cannot_edit(kit, locales, tmp_path, monkeypatch):
    result = kit("studio", "xx", "--no-browser", "--locales", str(locales))
    assert result.exit_code == 1 and "no catalog for locale 'xx'" in result.output
    result = kit(
        "studio", "ja", "--second-locale", "ja-JP", "--no-browser", "--locales", str(locales)
    )
    assert result.exit_code == 2 and "same catalog" in result.output
    # The catalogs installed with kit (in a wheel: inside the package) are not the
    # translator's: a reinstall would erase them. Outside any project, kit falls back to them.
    from importlib import resources

    import kit.locales as where

    inside = Path(str(resources.files("kit"))) / "locales"
    monkeypatch.setattr(where, "installed_locales_dir", lambda: inside)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # no project, no ./locales here
    result = kit("studio", "ja", "--no-browser")
    assert result.exit_code == 1 and "installed with kit" in result.output


def test_the_preview_of_a_bilingual_poster(locales):
    server = start(locales, "ja", second="en")
    try:
        client = Client(server)
        status, headers, png = client("POST", client.base + "api/preview", {"size": "a3"})
    finally:
        server.shutdown()
        server.server_close()
    assert status == 200 and png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    assert 890 <= width <= 910  # the preview's width, whatever the paper
    assert "headline_students" in headers["x-kit-shown"].split()


def test_a_port_in_use_is_an_error_not_a_second_server(locales):
    import socket

    from kit.errors import KitError

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        session = Session(load_campaign(), locales, "ja", "students", "a4")
        with pytest.raises(KitError, match="cannot listen on 127.0.0.1"):
            StudioServer(session, taken.getsockname()[1])
    finally:
        taken.close()
