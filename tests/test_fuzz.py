"""Fuzzing: mutated reports of every format go through the reader and all rules, in this process
(without the worker that would turn a crash into a reason), and nothing but `InputError` comes out.

A seeded generator, so a failure names the seed that reproduces it.
"""
import io
import random
import re
import signal
import zipfile

import pytest

from assistant.document.reader import document_from_bytes
from assistant.errors import InputError
from assistant.limits import budget
from assistant.rules import run_rules

from conftest import CORPUS

SOURCES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))
ROUNDS = 20  # mutations per source file; about 500 documents in all
PER_CASE = 20  # seconds before a single document counts as hung
NOISE = ["|", "\t", "　", " | ", "|||", "（", "）", "一、", "(三)", "1.", "——", "/", "0", "12", "-3", "1,234",
         "二〇二三年", "\ufeff", "\x00", "\u200b", "表三", "总计", "本年新收", "第二十条第（一）项", "万元", "\n", "\r\n"]


def mutate_text(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        if not lines:
            break
        action = rng.randrange(6)
        i = rng.randrange(len(lines))
        if action == 0:
            del lines[i]
        elif action == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif action == 2:
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + rng.choice(NOISE) * rng.randint(1, 40) + lines[i][j:]
        elif action == 3:
            lines[i] = re.sub(r"\d+", lambda m: str(rng.randint(-5, 10 ** rng.randint(1, 30))), lines[i])
        elif action == 4:
            lines[i], lines[-1 - i] = lines[-1 - i], lines[i]
        else:
            lines = lines[:rng.randint(1, len(lines))]
    return "\n".join(lines)


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not data:
            break
        action = rng.randrange(3)
        i = rng.randrange(len(data))
        if action == 0:
            data[i] = rng.randrange(256)
        elif action == 1:
            data[i:i + rng.randint(1, 64)] = b""
        else:
            data[i:i] = data[rng.randrange(len(data)):][:rng.randint(1, 256)]
    return bytes(data)


def mutate_docx(data: bytes, rng: random.Random) -> bytes:
    """Rewrite word/document.xml: mutated text, and odd attribute values the loader must survive."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    xml = entries["word/document.xml"].decode("utf-8")
    xml = re.sub(r'w:val="(\d+)"', lambda m: f'w:val="{rng.choice([m.group(1), "abc", "-3", "99999", ""])}"', xml)
    entries["word/document.xml"] = mutate_text(xml, rng).encode("utf-8", errors="surrogatepass")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in entries.items():
            target.writestr(name, content)
    return out.getvalue()


def mutations(path, rng):
    data = path.read_bytes()
    for _ in range(ROUNDS):
        kind = rng.randrange(3)
        if path.suffix in (".txt", ".md", ".html"):
            text = data.decode("utf-8", errors="replace")
            yield mutate_text(text, rng).encode(rng.choice(["utf-8", "gb18030", "utf-16"]), errors="replace") \
                if kind else mutate_bytes(data, rng)
        elif path.suffix == ".docx":
            yield mutate_docx(data, rng) if kind else mutate_bytes(data, rng)
        else:
            yield mutate_bytes(data, rng)


def _hung(*_):
    raise TimeoutError("one mutated document took too long")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_mutated_reports_never_crash(source):
    rng = random.Random(f"fuzz-{source.name}")
    limits = budget()
    previous = signal.signal(signal.SIGALRM, _hung)
    try:
        for number, data in enumerate(mutations(source, rng)):
            signal.alarm(PER_CASE)
            try:
                document = document_from_bytes(data, source.name, limits)
            except InputError as exc:
                assert exc.message and "\n" not in exc.message
                continue
            finally:
                signal.alarm(0)
            try:
                run_rules(document, document)
            except Exception as exc:  # pragma: no cover - the report names the reproducing round
                raise AssertionError(f"{source.name} round {number}: rules raised {exc!r}") from exc
    finally:
        signal.signal(signal.SIGALRM, previous)
