"""年报合规助手 web app: `python app.py [--host HOST] [--port PORT]` (shared/CONTRACT.md).

Serves on 127.0.0.1:7860 unless GRADIO_SERVER_NAME / GRADIO_SERVER_PORT or --host / --port say
otherwise. Offline: analytics and Hugging Face Hub access are switched off before Gradio loads.
"""
from __future__ import annotations

import argparse
import os
import threading

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CONCURRENCY = 4  # events run at once; the rest wait in the queue


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="年报合规助手网页版")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                        help="监听地址（默认 127.0.0.1，或环境变量 GRADIO_SERVER_NAME）")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
                        help="端口（默认 7860，或环境变量 GRADIO_SERVER_PORT）")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    from assistant.ui import service
    from assistant.ui.views import build, launch_options

    demo = build()
    demo.queue(default_concurrency_limit=CONCURRENCY)
    demo.launch(server_name=args.host, server_port=args.port, share=False, inbrowser=False,
                prevent_thread_lock=True, **launch_options())
    # load the NLP models and the knowledge base once the page is served, not before
    threading.Thread(target=service.warm_up, daemon=True).start()
    demo.block_thread()


if __name__ == "__main__":
    main()
