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
            keys = chars if len(chars) == 1 else [a + b for a, b in zip(chars, chars[1:])]
            found = set()
            lists = []
            for key in keys:
                path = os.path.join(base, "shards", f"{shard_of(key, meta['shards'])}.json")
                loaded.add(path)
                lists.append(json.load(open(path, encoding="utf-8")).get(key, []))
            if len(chars) == 1:
                found = {row[0] for row in lists[0]}
            elif all(lists):
                def decode(row):
                    p, out_ = 0, []
                    for gap in row[1:]:
                        p += gap
                        out_.append(p)
                    return out_
                others = [{row[0]: set(decode(row)) for row in l} for l in lists[1:]]
                for row in lists[0]:
                    if any(all(start + i + 1 in o.get(row[0], ()) for i, o in enumerate(others)) for start in decode(row)):
                        found.add(row[0])
            hits = found if hits is None else hits & found
        for doc in sorted(hits or [])[:20]:
            loaded.add(os.path.join(base, "docs", f"{doc // meta['chunk']}.json"))
        size = sum(os.path.getsize(p) for p in loaded)
        print(f"query {query}: {len(hits or [])} pages, {size / 1024:.0f} kB in {len(loaded)} files")


if __name__ == "__main__":
    main()
