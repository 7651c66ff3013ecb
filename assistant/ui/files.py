"""Files the app hands out for download: per browser session, deleted when the session ends."""
from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

from gradio.utils import get_upload_folder

# Inside Gradio's cache folder: Gradio serves these files as they are instead of copying them.
ROOT = Path(get_upload_folder()) / "nianbao"


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "report"


def session_dir(session: str) -> Path:
    return ROOT / _safe(session or "anonymous")


def write(session: str, kind: str, files: dict[str, str], encoding: str = "utf-8") -> list[str]:
    """Write `files` (name -> text) for one session; earlier files of the same kind are deleted."""
    base = session_dir(session) / kind
    shutil.rmtree(base, ignore_errors=True)
    folder = base / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True)
    paths = []
    for name, text in files.items():
        path = folder / _safe(name)
        path.write_text(text, encoding="utf-8-sig" if path.suffix == ".csv" else encoding)
        paths.append(str(path))
    return paths


def forget(session: str) -> None:
    shutil.rmtree(session_dir(session), ignore_errors=True)
