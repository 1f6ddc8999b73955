"""The studio's web server: the standard library's threading HTTP server on 127.0.0.1.

Safe by construction: every path starts with a random token (anything else is 403), the
Host header must name the loopback address (a DNS-rebinding page cannot reach us under
its own name), a cross-site request is refused by its Origin and Sec-Fetch-Site headers,
there are no CORS headers, and a Content-Security-Policy lets the page run only kit's own
script. The only file the server writes is the session's catalog.

Routes, each under /TOKEN/: "" (the page), static/NAME (its assets), fonts/NAME (kit's
fonts), api/state, api/check, api/message and api/preview (see Session).
"""

from __future__ import annotations

import hmac
import json
import secrets
import sys
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kit.errors import KitError
from kit.fonts import font_files
from kit.studio.disk import DiskProblem
from kit.studio.session import Conflict, Session

MAX_BODY = 1 << 20
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
}
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' blob:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
}


def _assets() -> dict[str, bytes]:
    folder = resources.files("kit.studio").joinpath("static")
    return {
        f.name: f.read_bytes()
        for f in folder.iterdir()
        if f.is_file() and "." + f.name.rpartition(".")[2] in _TYPES
    }


@dataclass(frozen=True)
class Preview:
    png: bytes
    shown: list[str]  # the ids of the messages the poster shows


class StudioServer(ThreadingHTTPServer):
    daemon_threads = True
    # Connections waiting to be accepted: the default 5 reset one of twenty saves sent at
    # once (two tabs, a page saving every message after a reconnect).
    request_queue_size = 128

    def __init__(self, session: Session, port: int = 0) -> None:
        self.session = session
        self.token = secrets.token_urlsafe(24)
        self.assets = _assets()
        # The poster's fonts, for the page too: the same glyphs, and no system CJK font needed.
        self.fonts = {p.name: p for p in font_files()}
        try:
            super().__init__(("127.0.0.1", port), _Handler)
        except OSError as e:
            raise KitError(f"cannot listen on 127.0.0.1:{port} ({e.strerror or e})") from None
        self.port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.token}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a connection before the answer is sent (a tab closed, a
        # preview superseded) is no error of kit's: no traceback on the translator's screen.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: StudioServer
    protocol_version = "HTTP/1.1"
    server_version = "kit-studio"
    sys_version = ""

    def __getattr__(self, name: str) -> Any:
        # Every method, even one http.server does not know, goes through the same checks
        # (otherwise an unknown method would answer 501 before the token is looked at).
        if name.startswith("do_"):
            return lambda: self._handle(name[3:])
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL and errors, not every keystroke's request

    def _handle(self, method: str) -> None:
        self._read_body = False
        try:
            route = self._route()
            if route is None:
                self._send(HTTPStatus.FORBIDDEN, b"forbidden\n", "text/plain; charset=utf-8")
                return
            self._dispatch(method, route)
        except Exception as e:  # noqa: BLE001 - a bug must answer 500, not kill the thread
            # The server's log: the terminal kit studio runs in.
            sys.stderr.write(f"kit studio: internal error on {method} {self._path()}: {e!r}\n")
            self._json(
                HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error; see the terminal"}
            )

    def _path(self) -> str:
        return urlsplit(self.path).path

    def _route(self) -> str | None:
        """The path after the token, or None when the request must be refused."""
        srv = self.server
        if self.headers.get("Host", "") not in srv.hosts:
            return None
        origin = self.headers.get("Origin")
        if origin is not None and origin not in srv.origins:
            return None
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return None
        token, _, rest = self._path().removeprefix("/").partition("/")
        if not hmac.compare_digest(token.encode(), srv.token.encode()):
            return None
        return rest

    def _dispatch(self, method: str, route: str) -> None:
        if self._serve_file(method, route):
            return
        session = self.server.session
        if route == "api/state":
            if method != "GET":
                return self._not_allowed()
            # ?since=N: the page's periodic look; the whole state only when the file changed.
            since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
            return self._answer(lambda: session.state(int(since) if since.isdigit() else None))
        handlers = {
            "api/check": lambda b: session.check(b["id"], b["forms"]),
            "api/furigana": lambda b: session.furigana(b["id"], b["forms"]),
            "api/message": lambda b: session.update(
                b["id"], b["version"], b.get("forms"), b.get("reviewed")
            ),
            "api/preview": self._preview,
        }
        if route not in handlers:
            return self._json(HTTPStatus.NOT_FOUND, {"error": "no such page"})
        if method != "POST":
            return self._not_allowed()
        body = self._body()
        if body is not None:
            self._answer(lambda: handlers[route](body))

    def _serve_file(self, method: str, route: str) -> bool:
        """The page, its scripts and its fonts, to GET and HEAD; False for any other route."""
        srv = self.server
        gets = {"": "index.html"} | {f"static/{name}": name for name in srv.assets}
        font = srv.fonts.get(route.removeprefix("fonts/")) if route.startswith("fonts/") else None
        if route not in gets and font is None:
            return False
        if method not in ("GET", "HEAD"):
            self._not_allowed()
        elif font is not None:
            self._send(HTTPStatus.OK, font.read_bytes(), _TYPES[font.suffix])
        elif route == "" and not self._path().endswith("/"):
            self._send(HTTPStatus.FOUND, b"", "text/plain", {"Location": f"/{srv.token}/"})
        else:
            name = gets[route]
            self._send(HTTPStatus.OK, srv.assets[name], _TYPES["." + name.rpartition(".")[2]])
        return True

    def _body(self) -> Any:
        """The request's JSON object, or None after answering why it cannot be read."""
        if self.headers.get_content_type() != "application/json":
            self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send application/json"})
            return None
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "the request is too large"})
            return None
        self._read_body = True
        try:
            body = json.loads(self.rfile.read(int(length)))
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            self._json(HTTPStatus.BAD_REQUEST, {"error": "the request is not a JSON object"})
            return None
        return body

    def _answer(self, action: Any) -> None:
        """Run an action and answer with its result, or with why it failed."""
        try:
            result = action()
        except Conflict as c:
            return self._json(HTTPStatus.CONFLICT, {"conflict": c.message})
        except DiskProblem as e:
            return self._json(HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(e), "disk": True})
        except KitError as e:
            return self._json(
                HTTPStatus.UNPROCESSABLE_ENTITY, {"error": e.message, "msgid": e.msgid}
            )
        except (KeyError, TypeError, ValueError) as e:
            what = f"missing {e}" if isinstance(e, KeyError) else str(e)
            return self._json(HTTPStatus.BAD_REQUEST, {"error": what})
        if isinstance(result, Preview):
            return self._send(
                HTTPStatus.OK, result.png, "image/png", {"X-Kit-Shown": " ".join(result.shown)}
            )
        self._json(HTTPStatus.OK, result)

    def _preview(self, body: dict[str, Any]) -> Preview | dict[str, Any]:
        session = self.server.session
        edits = {e["id"]: e["forms"] for e in body.get("edits", [])}
        try:
            png, shown = session.preview(
                body.get("audience", session.audience),
                body.get("size", session.size),
                body.get("focus"),
                edits,
            )
        except DiskProblem:
            raise
        except KitError as e:
            # A text that cannot print is the preview's answer, shown at its message: not a
            # failed request.
            return {"error": e.message, "msgid": e.msgid}
        return Preview(png, shown)

    def _not_allowed(self) -> None:
        self._json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "method not allowed"})

    def _json(self, status: HTTPStatus, data: Any) -> None:
        self._send(
            status,
            json.dumps(data, ensure_ascii=False).encode("utf-8"),
            "application/json; charset=utf-8",
        )

    def _send(
        self, status: HTTPStatus, body: bytes, ctype: str, extra: dict[str, str] | None = None
    ) -> None:
        if self.headers.get("Content-Length", "0") != "0" and not self._read_body:
            # A body we did not read would be taken for the next request on this connection.
            self.close_connection = True
            extra = (extra or {}) | {"Connection": "close"}
        self.send_response(status)
        for key, value in (_HEADERS | {"Content-Type": ctype} | (extra or {})).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
