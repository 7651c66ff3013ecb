"""年报合规助手 web app: `python app.py [--host HOST] [--port PORT]` (shared/CONTRACT.md).

Serves on 127.0.0.1:7860 unless GRADIO_SERVER_NAME / GRADIO_SERVER_PORT or --host / --port say
otherwise. Offline: analytics and Hugging Face Hub access are switched off before Gradio loads.
Uploads and downloads live in a folder of this server alone (mode 0700), emptied at start and
removed at shutdown, SIGTERM included.
"""
from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CONCURRENCY = 4  # events run at once; the rest wait in the queue


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="年报合规助手网页版")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                        help="监听地址（默认 127.0.0.1，或环境变量 GRADIO_SERVER_NAME）")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
                        help="端口（默认 7860，或环境变量 GRADIO_SERVER_PORT）")
    parser.add_argument("--review-db", default=os.environ.get("ASSISTANT_REVIEW_DB"),
                        help="审核库（SQLite 文件或 SQLAlchemy 地址）；给出时显示“审核台”页（或环境变量 ASSISTANT_REVIEW_DB）")
    return parser.parse_args(argv)


def private_folder(port: int) -> Path:
    """This server's own upload folder, under GRADIO_TEMP_DIR (or the system's temp folder)."""
    base = Path(os.environ.get("GRADIO_TEMP_DIR") or tempfile.gettempdir())
    folder = base / f"nianbao-app-{os.getuid() if hasattr(os, 'getuid') else 0}-{port}"
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    return folder


def _stop(signum, frame) -> None:
    """SIGTERM stops the server the way Ctrl-C does, so the folder is removed on the way out."""
    raise KeyboardInterrupt


def main(argv=None) -> None:
    args = parse_args(argv)
    os.umask(0o077)  # every upload, download and cache file readable by this user only
    folder = private_folder(args.port)
    if args.review_db:
        os.environ["ASSISTANT_REVIEW_DB"] = args.review_db
    from assistant import guard
    from assistant.ui import files, service
    from assistant.ui.views import build, launch_options

    files.prepare()

    def cleanup() -> None:
        guard.shutdown()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, _stop)
    demo = build()
    demo.queue(default_concurrency_limit=CONCURRENCY)
    demo.launch(server_name=args.host, server_port=args.port, share=False, inbrowser=False,
                prevent_thread_lock=True, **launch_options())
    files.start_sweeper()
    # load the NLP models and the knowledge base once the page is served, not before
    threading.Thread(target=service.warm_up, daemon=True).start()
    try:
        demo.block_thread()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
