"""Run `python app.py` on a free port for the web-app tests, the way a user starts it."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from conftest import ROOT

STARTUP_LIMIT = 15.0  # seconds from `python app.py` to a served page (issue 6)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """`python app.py` with its own Gradio cache folder; `startup` = seconds until the page was served."""

    def __init__(self, use_env: bool = False, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.cache = Path(tempfile.mkdtemp(prefix="nianbao-app-"))
        self.log = self.cache.parent / f"{self.cache.name}.log"
        env = dict(os.environ, GRADIO_TEMP_DIR=str(self.cache), **(env or {}))
        args = [sys.executable, "app.py"]
        if use_env:  # the environment variables of CONTRACT.md
            env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(self.port))
        else:  # the command-line options
            args += ["--host", "127.0.0.1", "--port", str(self.port)]
        start = time.perf_counter()
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = start + STARTUP_LIMIT + 45
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.perf_counter() > deadline:
                output = self.output()
                self.stop()
                raise RuntimeError(f"app.py did not serve {self.url} in time:\n{output}")
            time.sleep(0.1)
        self.startup = time.perf_counter() - start

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def folder(self) -> Path:
        """The server's private folder (app.py makes it under GRADIO_TEMP_DIR)."""
        return self.cache / f"nianbao-app-{os.getuid()}-{self.port}"

    def session_files(self) -> list[Path]:
        """Files the app wrote for download that still exist."""
        root = self.folder() / "nianbao"
        return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []

    def uploaded(self, name: str) -> list[Path]:
        """Uploaded files called `name` still in the cache folder."""
        return [p for p in self.cache.rglob(name) if p.is_file()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.cache, ignore_errors=True)
        self.log.unlink(missing_ok=True)
