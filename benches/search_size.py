#!/usr/bin/env python3
"""Measures a built site's search index: its total size, and the bytes a query downloads
(meta.json, the shards and long lists of its keys, the details of the pages checked for
the first 20 results, at most 40 pages), by following the same steps as
themes/default/static/search.js.

usage: search_size.py OUTPUT_DIR [QUERY ...]
"""
import json
import os
import sys


def normalize(text):
    return [c for c in text.lower() if c.isalnum()]


def shard_of(key, shards):
    h = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def unvlq(text):
    numbers, value, scale = [], 0, 1
    for c in text:
        digit = DIGITS.index(c)
        value += (digit & 31) * scale
        if digit & 32:
            scale *= 32
        else:
            numbers.append(value)
            value, scale = 0, 1
    return numbers


def decode_pages(text):
    """A key's pages as {doc: in title}; see encode_pages in src/search/format.rs."""
    pages = {}
    if not text.startswith("!"):
        doc = 0
        for n in unvlq(text):
            doc += n // 2
            pages[doc] = n % 2 == 1
        return pages
    bits, _, title_gaps = text[1:].partition(".")
    for k, c in enumerate(bits):
        digit = DIGITS.index(c)
        for i in range(6):
            if digit & (1 << i):
                pages[k * 6 + i] = False
    doc = 0
    for gap in unvlq(title_gaps):
        doc += gap
        pages[doc] = True
    return pages


def postings(base, meta, key, loaded):
    path = os.path.join(base, "shards", f"{shard_of(key, meta['shards'])}.json")
    loaded.add(path)
    text = json.load(open(path, encoding="utf-8")).get(key)
    if text is None:
        return None
    if text.startswith("@"):
        path = os.path.join(base, "big", f"{text[1:]}.txt")
        loaded.add(path)
        text = open(path, encoding="utf-8").read()
    return decode_pages(text)


MAX_PAIRS = 8


def looked_up(pairs):
    """Which of a term's pairs are looked up; see looked_up in src/search/mod.rs."""
    if pairs <= MAX_PAIRS:
        return list(range(pairs))
    return [i * (pairs - 1) // (MAX_PAIRS - 1) for i in range(MAX_PAIRS)]


def main():
    out = sys.argv[1]
    queries = sys.argv[2:] or ["敬老院", "志愿服务", "报名", "植树", "学雷锋活动"]
    base = os.path.join(out, "search")
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(base) for f in fs)
    files = sum(len(fs) for _, _, fs in os.walk(base))
    meta_path = os.path.join(base, "meta.json")
    meta = json.load(open(meta_path, encoding="utf-8"))
    print(f"index: {total / 1024:.0f} kB in {files} files ({meta['shards']} shards, {meta['docs']} pages)")
    for query in queries:
        loaded = {meta_path}
        terms = [normalize(t) for t in query.split() if normalize(t)]
        candidates = None
        for chars in terms:
            keys = chars if len(chars) == 1 else [chars[at] + chars[at + 1] for at in looked_up(len(chars) - 1)]
            found = None
            for key in keys:
                docs = postings(base, meta, key, loaded) or {}
                found = docs if found is None else {d: t and docs[d] for d, t in found.items() if d in docs}
            candidates = found if candidates is None else {d: t and found[d] for d, t in candidates.items() if d in found}
        # Title candidates first, then the rest, each in page order.
        ordered = sorted((candidates or {}).items(), key=lambda item: (not item[1], item[0]))
        # Confirm candidates in order against their text until 20 pages are found, fetching
        # as many at a time as are still wanted, 40 at most.
        shown, checked, words = 0, 0, ["".join(t) for t in terms]
        limit = min(len(ordered), 40)
        while shown < 20 and checked < limit:
            batch = ordered[checked:min(limit, checked + 20 - shown)]
            checked += len(batch)
            for doc, _ in batch:
                file = doc // meta["chunk"]
                path = os.path.join(base, "docs", str(file // meta["folder"]), f"{file}.json")
                loaded.add(path)
                detail = json.load(open(path, encoding="utf-8"))[doc % meta["chunk"]]
                title, text = "".join(normalize(detail["title"])), "".join(normalize(detail["text"]))
                if all(w in title or w in text for w in words):
                    shown += 1
        size = sum(os.path.getsize(p) for p in loaded)
        parts = {}
        for p in loaded:
            # The first folder under search/: docs, shards or big (the search/ files themselves).
            rel = os.path.relpath(p, base).split(os.sep)
            part = rel[0] if len(rel) > 1 else "search"
            parts[part] = parts.get(part, 0) + os.path.getsize(p)
        detail = ", ".join(f"{part} {size / 1024:.0f}" for part, size in sorted(parts.items()))
        print(f"query {query}: {len(ordered)} candidates, {checked} checked for the first {shown}, "
              f"{size / 1024:.0f} kB in {len(loaded)} files ({detail})")


if __name__ == "__main__":
    main()
