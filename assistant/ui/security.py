"""HTTP middleware of the web app: security headers, the browser's private cookie, downloads
served only to the browser that made them, and the count of uploads (files.py)."""
from __future__ import annotations

import json
import secrets
from http.cookies import SimpleCookie
from urllib.parse import unquote

from . import files

COOKIE = "nianbao_client"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    # Gradio's page needs inline scripts and styles, and its HTML component evaluates its template
    # as JavaScript; everything comes from this server only and the page cannot be framed.
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
                               "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                               "font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
                               "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
                               "form-action 'self'; frame-ancestors 'none'",
}
_ENCODED = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]


def client_cookie(headers) -> str | None:
    """The browser's private cookie from ASGI headers or a mapping of cookies."""
    if isinstance(headers, dict):
        return headers.get(COOKIE)
    for name, value in headers:
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is the client's problem, not ours
                return None
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def _file_target(path: str) -> str | None:
    for marker in ("/file=", "/file/"):
        if marker in path:
            return unquote(path.split(marker, 1)[1])
    return None


class SecurityMiddleware:
    """Pure ASGI, so streamed responses (the event queue) pass through untouched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = client_cookie(scope.get("headers", []))
        target = _file_target(scope.get("path", ""))
        if target is not None and not files.may_fetch(target, cookie):
            await _not_found(send)
            return
        new_cookie = None if cookie else secrets.token_urlsafe(32)
        uploads = scope.get("method") == "POST" and scope.get("path", "").rstrip("/").endswith("/upload")
        body: list[bytes] = []
        status = {"code": 0}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(_ENCODED)]
                headers += _ENCODED
                if new_cookie:
                    headers.append((b"set-cookie", f"{COOKIE}={new_cookie}; Path=/; HttpOnly; SameSite=Strict"
                                    .encode("latin-1")))
                message = dict(message, headers=headers)
            elif uploads and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body") and status["code"] == 200:
                    _count_uploads(b"".join(body))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _count_uploads(body: bytes) -> None:
    try:
        paths = json.loads(body)
    except ValueError:
        return
    if isinstance(paths, list):
        files.register_uploads([p for p in paths if isinstance(p, str)])


async def _not_found(send) -> None:
    await send({"type": "http.response.start", "status": 404,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *_ENCODED]})
    await send({"type": "http.response.body", "body": "文件不存在".encode()})
