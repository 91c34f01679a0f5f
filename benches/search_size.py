#!/usr/bin/env python3
"""Measures a built site's search index: its total size, and the bytes a query downloads
(meta.json, the shards of its keys, the detail chunks of the first 20 results), by
following the same steps as themes/default/static/search.js.

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
    return unvlq(text)


def pair_rows(n):
    rows, i, doc = [], 0, 0
    while i < len(n):
        doc += n[i]
        count = n[i + 1]
        i += 2
        positions, p = [], 0
        for _ in range(count):
            p += n[i]
            positions.append(p)
            i += 1
        rows.append((doc, positions))
    return rows


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
        hits = None
        for term in query.split():
            chars = normalize(term)
            found = set()
            if len(chars) == 1:
                n = postings(base, meta, chars[0], loaded) or []
                doc = 0
                for i in range(0, len(n), 3):
                    doc += n[i]
                    found.add(doc)
            else:
                lists = [postings(base, meta, a + b, loaded) for a, b in zip(chars, chars[1:])]
                if all(l is not None for l in lists):
                    rows = [pair_rows(l) for l in lists]
                    others = [dict((doc, set(ps)) for doc, ps in r) for r in rows[1:]]
                    for doc, positions in rows[0]:
                        if any(all(start + i + 1 in o.get(doc, ()) for i, o in enumerate(others)) for start in positions):
                            found.add(doc)
            hits = found if hits is None else hits & found
        for doc in sorted(hits or [])[:20]:
            loaded.add(os.path.join(base, "docs", f"{doc // meta['chunk']}.json"))
        size = sum(os.path.getsize(p) for p in loaded)
        print(f"query {query}: {len(hits or [])} pages, {size / 1024:.0f} kB in {len(loaded)} files")


if __name__ == "__main__":
    main()
