"""The hash of the corpus files the models learn from (stored in models/manifest.json)."""
from __future__ import annotations

import hashlib

from .paths import CORPUS

DATA_FILES = ("themes/items.jsonl", "themes/boilerplate.jsonl", "themes/stock_phrases.txt", "themes/userdict.txt",
              "knowledge/articles.jsonl", "knowledge/format.jsonl", "knowledge/faq.jsonl", "qa/out_of_scope.txt",
              "qa/in_scope.txt", "qa/dev.jsonl")


def data_hash() -> str:
    digest = hashlib.sha256()
    for name in DATA_FILES:
        path = CORPUS / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()
