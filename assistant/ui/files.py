"""The web app's files: uploads and downloads, in one private folder that the app owns.

- The folder is Gradio's upload folder (GRADIO_TEMP_DIR), made by app.py for this server alone,
  mode 0700, emptied at start and removed at shutdown.
- Uploads: Gradio stores an upload at <folder>/<content hash>/<name>, so two sessions that upload
  the same file at once get the same path. The security middleware counts every upload response;
  a handler reads the file into memory and the file is deleted when every upload of it has been
  read (never while another session still has to read it). Uploads nobody reads (a chat attachment
  never sent) are swept after `UPLOAD_TTL`.
- Downloads: <folder>/nianbao/<owner>/<session>/…, mode 0600, where owner is a hash of the
  browser's private cookie; the middleware serves them only to that browser, and they are deleted
  when the session ends (or after `DOWNLOAD_TTL` for sessions that never say goodbye).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from ..errors import InputError
from ..limits import budget, too_large

UPLOAD_TTL = 600  # seconds an upload that no handler read may stay
DOWNLOAD_TTL = 3 * 3600  # seconds a download may outlive a session that never ended properly
SWEEP_EVERY = 60
_pending: Counter[str] = Counter()
_lock = threading.Lock()


def folder() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def downloads_root() -> Path:
    return folder() / "nianbao"


def owner_of(cookie: str | None) -> str | None:
    """The folder name of a browser's downloads: a hash, so the cookie itself never shows in URLs."""
    return hashlib.sha256(cookie.encode()).hexdigest()[:32] if cookie else None


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "report"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------- uploads


def register_uploads(paths: list[str]) -> None:
    """Gradio answered an upload with these paths: each must be read once before it is deleted."""
    with _lock:
        for path in paths:
            _pending[str(Path(path).resolve())] += 1


def take(path: str | Path) -> tuple[str, bytes]:
    """(file name, bytes) of an upload; refuses anything but an upload of this server."""
    path = Path(path).resolve()
    if not _inside(path, folder()) or _inside(path, downloads_root()):
        raise InputError("上传的文件无效，请重新上传")
    limit = budget().max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(too_large(size, limit))
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("上传的文件已失效，请重新上传") from None
    finally:
        _consume(path)
    if len(data) > limit:
        raise InputError(too_large(len(data), limit))
    return path.name, data


def _consume(path: Path) -> None:
    key = str(path)
    with _lock:
        _pending[key] -= 1
        last = _pending[key] <= 0
        if last:
            del _pending[key]
    if last:
        _delete_upload(path)


def _delete_upload(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
        if path.parent != folder() and not any(path.parent.iterdir()):
            path.parent.rmdir()  # the folder Gradio made for this content hash
    except OSError:
        pass


# ---------------------------------------------------------------- downloads


def session_dir(owner: str | None, session: str) -> Path:
    return downloads_root() / _safe(owner or "nobody") / _safe(session or "anonymous")


def new_dir(owner: str | None, session: str, kind: str) -> Path:
    """A fresh private folder for one session's downloads of a kind; earlier ones of the kind are deleted.
    Whatever is written there must be made private with `seal`."""
    base = session_dir(owner, session) / kind
    shutil.rmtree(base, ignore_errors=True)
    target = base / uuid.uuid4().hex
    target.mkdir(parents=True, mode=0o700)
    return target


def seal(path: Path) -> str:
    path.chmod(0o600)
    return str(path)


def write(owner: str | None, session: str, kind: str, files: dict[str, str]) -> list[str]:
    """Write `files` (name -> text) for one session; earlier files of the same kind are deleted."""
    target = new_dir(owner, session, kind)
    paths = []
    for name, text in files.items():
        path = target / _safe(name)
        path.write_text(text, encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8")
        paths.append(seal(path))
    return paths


def may_fetch(path: str, cookie: str | None) -> bool:
    """Whether a browser with this cookie may fetch `path` (only its own downloads are guarded)."""
    target = Path(path).resolve()
    root = downloads_root()
    if not _inside(target, root):
        return True
    parts = target.relative_to(root).parts
    owner = owner_of(cookie)
    return owner is not None and len(parts) > 1 and parts[0] == owner


def forget(owner: str | None, session: str) -> None:
    shutil.rmtree(session_dir(owner, session), ignore_errors=True)


# ---------------------------------------------------------------- the folder as a whole


def prepare() -> Path:
    """Make the folder private and empty (the app owns it; see app.py)."""
    root = folder()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    root.chmod(0o700)
    clean(root)
    return root


def clean(root: Path | None = None) -> None:
    root = root or folder()
    for entry in root.iterdir() if root.is_dir() else ():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    with _lock:
        _pending.clear()


def sweep(now: float | None = None) -> None:
    """Delete uploads nobody read within UPLOAD_TTL and downloads older than DOWNLOAD_TTL."""
    now = time.time() if now is None else now
    root, downloads = folder(), downloads_root()
    for dirpath, _, filenames in os.walk(root, topdown=False):
        here = Path(dirpath)
        ttl = DOWNLOAD_TTL if _inside(here, downloads) else UPLOAD_TTL
        for name in filenames:
            path = here / name
            try:
                if now - path.lstat().st_mtime > ttl:
                    path.unlink()
                    with _lock:
                        _pending.pop(str(path), None)
            except OSError:
                pass
        if here != root and here != downloads:
            try:
                if now - here.stat().st_mtime > SWEEP_EVERY:  # not one Gradio is filling right now
                    here.rmdir()  # only when empty
            except OSError:
                pass


def start_sweeper() -> threading.Thread:
    def loop() -> None:
        while True:
            time.sleep(SWEEP_EVERY)
            try:
                sweep()
            except OSError:
                pass

    thread = threading.Thread(target=loop, name="nianbao-sweeper", daemon=True)
    thread.start()
    return thread
