#!/usr/bin/env python3
"""Generates a synthetic herald site: N items over the four kinds and ~20 campaigns,
Chinese text of 800-1,500 characters with headings, lists, a table and internal links,
tags from a pool of 30, dates over several years. Deterministic for a given N.

usage: gen_site.py N OUTDIR [HUGO_DIR]

With HUGO_DIR, the same pages are also written as a Hugo site with equally minimal
templates (a page with title, date, tags and content; section lists of 20; tag pages).
"""
import os
import random
import sys

WORDS = ("志愿服务 社区 敬老院 植树 报名 学雷锋 关爱 留守儿童 环境保护 文明创建 义务 献血 "
         "助残 扶贫 帮困 宣传 动员 活动 组织 青年 党员 群众 服务 企业 农村 城市 街道 "
         "培训 表彰 总结 实施 方案 倡议 事迹 相册 奉献 友爱 互助 进步").split()
TAGS = [f"标签{chr(0x4e00 + i * 37)}{chr(0x4e00 + i * 53)}" for i in range(30)]
KINDS = ["plans", "initiatives", "stories", "galleries"]


def sentence(rng):
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) + rng.choice("。,;")


def paragraph(rng):
    return "".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def body(rng, kind, index, count):
    parts = []
    numerals = "一二三四五六"
    for h in range(rng.randint(3, 5)):
        parts.append(f"## {numerals[h]}、{rng.choice(WORDS)}{rng.choice(WORDS)}\n")
        parts.append(paragraph(rng) + "\n")
        if h == 1:
            parts.extend(f"- {sentence(rng)}" for _ in range(3))
            parts.append("")
        if h == 2:
            parts.append("| 项目 | 时间 | 负责 |\n|---|---|---|")
            parts.extend(f"| {rng.choice(WORDS)} | {rng.randint(1, 12)}月 | {rng.choice(WORDS)} |" for _ in range(3))
            parts.append("")
    other = rng.randrange(count)
    parts.append(f"详见[相关内容](../{KINDS[other % 4]}/item-{other}.md)。\n")
    return "\n".join(parts)


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "基准测试站点"
languageCode = "zh-cn"
hasCJKLanguage = true
paginate = 20
[taxonomies]
tag = "tags"
[markup.goldmark.renderer]
unsafe = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time><ul>{{ range .Params.tags }}<li><a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>{{ .Content }}</article>{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time> {{ .Summary }}</li>{{ end }}</ul>{{ template "_internal/pagination.html" . }}{{ end }}\n',
    "index.html": '{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range first 20 .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
}


def write_hugo(hugo, items):
    os.makedirs(hugo, exist_ok=True)
    with open(os.path.join(hugo, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write(HUGO_CONFIG)
    for path, text in HUGO_LAYOUTS.items():
        full = os.path.join(hugo, "layouts", path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
    for kind, name, front, body in items:
        folder = os.path.join(hugo, "content", kind)
        os.makedirs(folder, exist_ok=True)
        keep = [line for line in front if line.split(":")[0] in ("title", "date", "tags")]
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write("---\n" + "\n".join(keep) + "\n---\n" + body)


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    hugo = sys.argv[3] if len(sys.argv) > 3 else None
    items = []
    rng = random.Random(count)
    os.makedirs(os.path.join(out, "content", "campaigns"), exist_ok=True)
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: 基准测试站点\nbase_url: https://example.org/\npaginate: 20\n")
    campaigns = []
    for c in range(20):
        year = 2015 + c % 8
        cid = f"campaign-{c}"
        campaigns.append(cid)
        with open(os.path.join(out, "content", "campaigns", f"{cid}.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {year}年第{c}次志愿服务月\nslogan: 奉献、友爱、互助、进步\nstart: {year}-03-01\nend: {year}-03-31\n"
                    f"phases:\n  - name: 宣传发动\n    start: {year}-02-20\n    end: {year}-03-04\n"
                    f"  - name: 集中服务\n    start: {year}-03-05\n    end: {year}-03-25\n---\n{paragraph(rng)}\n")
    for kind in KINDS:
        os.makedirs(os.path.join(out, "content", kind), exist_ok=True)
    for i in range(count):
        kind = KINDS[i % 4]
        year = 2015 + rng.randrange(8)
        tags = rng.sample(TAGS, rng.randint(1, 3))
        front = [f"title: {rng.choice(WORDS)}{rng.choice(WORDS)}第{i}号", f"date: {year}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
                 f"tags: [{', '.join(tags)}]", f"campaign: {rng.choice(campaigns)}"]
        if kind == "initiatives":
            front += ["to: 广大志愿者朋友们", "signatories: [某某市志愿者协会]"]
        if kind == "galleries":
            front += ["photos: []"]
        text_body = body(rng, kind, i, count)
        text = "---\n" + "\n".join(front) + "\n---\n" + text_body
        with open(os.path.join(out, "content", kind, f"item-{i}.md"), "w", encoding="utf-8") as f:
            f.write(text)
        items.append((kind, f"item-{i}.md", front, text_body))
    if hugo:
        write_hugo(hugo, items)


if __name__ == "__main__":
    main()
