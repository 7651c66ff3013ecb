"""Validate and summarise the themes corpus (items.jsonl, boilerplate.jsonl).

Usage: python corpus/themes/stats.py [--near 0.6]
Prints counts per topic, kind, style and agency kind, length ranges, and flags
exact duplicates, near-duplicates (character 4-gram Jaccard, digits masked)
and schema problems. Exit status 1 if a hard problem is found.
"""
import argparse
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOPICS = ["组织领导", "宣传培训", "主动公开", "依申请公开", "政府信息管理", "平台建设", "监督考核"]
KINDS = {"sentence", "paragraph"}
AGENCY_KINDS = {"government", "department", "other"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def grams(text, n=4):
    t = re.sub(r"[0-9０-９.．%]+", "#", text)
    t = re.sub(r"[\s，。；：、“”‘’（）()《》!！?？,;:]", "", t)
    return {t[i:i + n] for i in range(max(1, len(t) - n + 1))}


def near_duplicates(texts, threshold):
    sets = [grams(t) for t in texts]
    index = collections.defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            index[g].append(i)
    pairs = []
    for i, s in enumerate(sets):
        shared = collections.Counter()
        for g in s:
            for j in index[g]:
                if j > i:
                    shared[j] += 1
        for j, c in shared.items():
            jac = c / (len(s) + len(sets[j]) - c)
            if jac >= threshold:
                pairs.append((i, j, jac))
    return pairs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--near", type=float, default=0.6, help="near-duplicate Jaccard threshold")
    args = ap.parse_args()
    problems = 0

    items = load(HERE / "items.jsonl")
    ids = [o["id"] for o in items]
    if len(set(ids)) != len(ids):
        print("ERROR duplicate ids")
        problems += 1
    topic_count = collections.Counter()
    kind_count = collections.Counter()
    style_count = collections.Counter()
    agency_count = collections.Counter()
    ntop = collections.Counter()
    docs = collections.defaultdict(list)
    for o in items:
        for key in ("id", "doc", "kind", "text", "topics", "agency_kind", "style"):
            if key not in o:
                print("ERROR missing", key, o.get("id"))
                problems += 1
        if o["kind"] not in KINDS or o["agency_kind"] not in AGENCY_KINDS:
            print("ERROR bad kind/agency_kind", o["id"])
            problems += 1
        for t in o["topics"]:
            if t not in TOPICS:
                print("ERROR bad topic", o["id"], t)
                problems += 1
        topic_count.update(o["topics"])
        ntop[len(o["topics"])] += 1
        kind_count[o["kind"]] += 1
        docs[o["doc"]].append(o)
        n = len(o["text"])
        if o["kind"] == "paragraph" and not 80 <= n <= 400:
            print("WARN paragraph length", n, o["id"])
        if o["kind"] == "sentence" and n > 160:
            print("WARN long sentence", n, o["id"])
    for d, lst in docs.items():
        if len({o["agency_kind"] for o in lst}) > 1 or len({o["style"] for o in lst}) > 1:
            print("ERROR doc with mixed agency_kind/style", d)
            problems += 1
        style_count[lst[0]["style"]] += 1
        agency_count[lst[0]["agency_kind"]] += 1
    paras = [o for o in items if o["kind"] == "paragraph"]
    multi_paras = sum(1 for o in paras if len(o["topics"]) >= 2)

    print(f"items: {len(items)}  documents: {len(docs)}")
    print("kinds:", dict(kind_count), f"(sentences {kind_count['sentence'] / len(items):.0%})")
    print(f"paragraphs with 2+ topics: {multi_paras} of {len(paras)} ({multi_paras / max(1, len(paras)):.0%})")
    print("topics per item:", dict(sorted(ntop.items())))
    for t in TOPICS:
        print(f"  {t}: {topic_count[t]}")
    print(f"  (no topic): {ntop[0]}")
    print("documents by agency_kind:", dict(agency_count))
    print("documents by style:", dict(style_count))
    lens = [len(o["text"]) for o in paras]
    if lens:
        print(f"paragraph length: min {min(lens)} max {max(lens)} mean {sum(lens) / len(lens):.0f}")

    bp_path = HERE / "boilerplate.jsonl"
    bp = load(bp_path) if bp_path.exists() else []
    if bp:
        ones = sum(o["boilerplate"] for o in bp)
        print(f"boilerplate: {len(bp)} items in {len({o['doc'] for o in bp})} documents; "
              f"1 = {ones} ({ones / len(bp):.0%}), 0 = {len(bp) - ones}")
    labelled = [o for o in items if "boilerplate" in o]
    if labelled:
        ones = sum(o["boilerplate"] for o in labelled)
        print(f"topic items with a boilerplate label: {len(labelled)}; 1 = {ones}, 0 = {len(labelled) - ones}")

    texts = [o["text"] for o in items] + [o["text"] for o in bp]
    labels = [o["id"] for o in items] + [o["id"] for o in bp]
    seen = {}
    for lab, t in zip(labels, texts):
        if t in seen:
            print("ERROR exact duplicate", seen[t], lab)
            problems += 1
        seen[t] = lab
    for i, j, jac in near_duplicates(texts, args.near):
        print(f"WARN near-duplicate {labels[i]} {labels[j]} {jac:.2f}")

    for name in ("stock_phrases.txt", "userdict.txt"):
        p = HERE / name
        if p.exists():
            lines = [line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
            if len(set(lines)) != len(lines):
                print("ERROR duplicate lines in", name)
                problems += 1
            print(f"{name}: {len(lines)} lines")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
