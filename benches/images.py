#!/usr/bin/env python3
"""Times image processing: herald (release) against Hugo and libvips' `vipsthumbnail`.

First build (default): N photo-like JPEGs (default 40 at 4032×3024, quality 92, as a phone
writes them) made into copies 480 and 1600 pixels wide, JPEG q82 and WebP q78, by
  - `herald build` of a site with one gallery holding them;
  - `hugo` of a site whose one page does `.Resize "480x q82"`, `.Resize "480x webp q78"`,
    `.Resize "1600x q82"` and `.Resize "1600x webp q78"` on each of them;
  - `vipsthumbnail`, four calls a photo, as many at once as there are cores.
Rounds alternate the three; each writes into a new folder with an empty cache. Prints
the median wall time of each and herald's ratio to the others.

Rebuild (--rebuild): a site of --rebuild-photos photos (default 1000 at 1600×1200) built
once, then one line of a Markdown page changed and the site built again; the rebuild is
timed against the same edit on the same site without its photos.

The photos are smooth gradients, noise and hard edges, so the encoders work as hard as
on real photos; they are made once (Pillow and NumPy: `pip install pillow numpy`) and
kept under --work. The first 40 are drawn one by one, the others are those shifted and
mirrored.

usage: images.py [--photos N] [--size WxH] [--rounds N] [--work DIR] [--skip hugo,vips]
                 [--rebuild] [--rebuild-photos N] [--rebuild-size WxH] [--only-rebuild]
                 [--herald BINARY]

--herald times the given binary instead of building target/release/herald (to compare
two versions); --skip leaves out Hugo, libvips or both.
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SITE_YAML = "title: 图片基准站点\nbase_url: https://example.org/\npaginate: 20\n"
GALLERY = "---\ntitle: 基准相册\ndate: 2024-03-05\n---\n\n相册说明。\n"
HUGO_CONFIG = 'baseURL = "https://example.org/"\ntitle = "图片基准站点"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
HUGO_SINGLE = """<!DOCTYPE html><html><body><h1>{{ .Title }}</h1>
{{ range .Resources.ByType "image" }}
{{ $a := .Resize "480x q82" }}{{ $b := .Resize "480x webp q78" }}{{ $c := .Resize "1600x q82" }}{{ $d := .Resize "1600x webp q78" }}
<picture><source srcset="{{ $b.RelPermalink }} 480w, {{ $d.RelPermalink }} 1600w" type="image/webp"><img srcset="{{ $a.RelPermalink }} 480w, {{ $c.RelPermalink }} 1600w" src="{{ $c.RelPermalink }}"></picture>
{{ end }}{{ .Content }}</body></html>
"""


def flag(args, name, default):
    return args[args.index(name) + 1] if name in args else default


# Photos drawn one by one; past these, photos are drawn ones shifted and mirrored, which
# is as much work to process and far quicker to make.
DRAWN = 40


def make_photos(folder, count, width, height):
    """Writes `count` photo-like JPEGs into `folder`, unless they are there already."""
    import numpy as np
    from PIL import Image, ImageDraw

    os.makedirs(folder, exist_ok=True)
    names = [f"photo-{index:04}.jpg" for index in range(count)]
    if all(os.path.exists(os.path.join(folder, name)) for name in names):
        return names
    rng = np.random.default_rng(7)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    for index, name in enumerate(names[:DRAWN]):
        path = os.path.join(folder, name)
        # Drawn whether or not the file is there, so the random numbers stay in step.
        # Smooth light over the frame, different for each photo.
        fx, fy, phase = rng.uniform(1, 4), rng.uniform(1, 4), rng.uniform(0, 6.3)
        light = 0.5 + 0.3 * np.sin(xs / width * fx * 3.1 + phase) * np.cos(ys / height * fy * 3.1)
        channels = [light * rng.uniform(150, 255) + rng.uniform(-30, 30) * (ys / height) for _ in range(3)]
        pixels = np.stack(channels, axis=-1)
        # Sensor noise, plus a texture of coarser grain, as foliage or fabric give.
        pixels += rng.normal(0, 6, pixels.shape).astype(np.float32)
        grain = rng.normal(0, 14, (height // 8 + 1, width // 8 + 1, 3)).astype(np.float32)
        pixels += np.repeat(np.repeat(grain, 8, axis=0), 8, axis=1)[:height, :width]
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
        # Hard edges: shapes and lines, as buildings and branches give.
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
            size = int(rng.integers(width // 40, width // 6))
            colour = tuple(int(c) for c in rng.integers(0, 256, 3))
            if rng.random() < 0.5:
                draw.rectangle([x, y, x + size, y + size // 2], fill=colour)
            else:
                draw.line([x, y, x + size, y - size], fill=colour, width=int(rng.integers(2, 12)))
        if not os.path.exists(path):
            image.save(path, quality=92)
        print(f"  made {name}", file=sys.stderr, end="\r")
    for index, name in enumerate(names[DRAWN:], start=DRAWN):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            continue
        drawn = np.asarray(Image.open(os.path.join(folder, names[index % DRAWN])))
        shifted = np.roll(drawn, (index * 7 % height, index * 13 % width), axis=(0, 1))
        if index // DRAWN % 2:
            shifted = shifted[:, ::-1]
        Image.fromarray(np.ascontiguousarray(shifted)).save(path, quality=92)
        print(f"  made {name}", file=sys.stderr, end="\r")
    return names


def link_photos(photos, names, folder):
    os.makedirs(folder, exist_ok=True)
    for name in names:
        target = os.path.join(folder, name)
        if not os.path.exists(target):
            os.link(os.path.join(photos, name), target)


def herald_site(site, photos, names):
    os.makedirs(os.path.join(site, "content", "galleries", "bench"), exist_ok=True)
    with open(os.path.join(site, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(SITE_YAML)
    with open(os.path.join(site, "content", "galleries", "bench", "index.md"), "w", encoding="utf-8") as f:
        f.write(GALLERY)
    link_photos(photos, names, os.path.join(site, "content", "galleries", "bench"))


def hugo_site(site, photos, names):
    os.makedirs(os.path.join(site, "layouts", "_default"), exist_ok=True)
    os.makedirs(os.path.join(site, "content", "bench"), exist_ok=True)
    with open(os.path.join(site, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write(HUGO_CONFIG)
    with open(os.path.join(site, "layouts", "_default", "single.html"), "w", encoding="utf-8") as f:
        f.write(HUGO_SINGLE)
    with open(os.path.join(site, "content", "bench", "index.md"), "w", encoding="utf-8") as f:
        f.write(GALLERY)
    link_photos(photos, names, os.path.join(site, "content", "bench"))


def cpu_seconds():
    """User and system time of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command):
    """Wall and CPU seconds of one run of `command`."""
    cpu, start = cpu_seconds(), time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return elapsed, cpu_seconds() - cpu


def run_herald(herald, site, out):
    shutil.rmtree(os.path.join(site, ".herald-cache"), ignore_errors=True)
    return timed([herald, "--root", site, "build", "--output", out, "--now", "2030-01-01"])


def run_hugo(site, out):
    # Hugo keeps resized images under resources/_gen and its file cache under --cacheDir.
    shutil.rmtree(os.path.join(site, "resources"), ignore_errors=True)
    return timed(["hugo", "--quiet", "--source", site, "--destination", out, "--cacheDir", out + "-cache"])


def run_vips(photos, names, out):
    os.makedirs(out)
    calls = [
        ["vipsthumbnail", os.path.join(photos, name), "--size", f"{width}x",
         "-o", os.path.join(out, f"%s-{width}w.{ext}[Q={quality}]")]
        for name in names
        for width in (480, 1600)
        for ext, quality in (("jpg", 82), ("webp", 78))
    ]
    cpu, start = cpu_seconds(), time.monotonic()
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        for result in pool.map(lambda call: subprocess.run(call, capture_output=True, text=True), calls):
            if result.returncode != 0:
                raise SystemExit(f"vipsthumbnail failed:\n{result.stderr[-2000:]}")
    return time.monotonic() - start, cpu_seconds() - cpu


def first_build(args, herald, work):
    count = int(flag(args, "--photos", "40"))
    width, height = (int(side) for side in flag(args, "--size", "4032x3024").split("x"))
    rounds = int(flag(args, "--rounds", "3"))
    skip = flag(args, "--skip", "").split(",")
    photos = os.path.join(work, f"photos-{count}-{width}x{height}")
    names = make_photos(photos, count, width, height)
    site, hugo = os.path.join(work, f"herald-{count}-{width}"), os.path.join(work, f"hugo-{count}-{width}")
    herald_site(site, photos, names)
    hugo_site(hugo, photos, names)
    times = {"herald": [], "hugo": [], "vips": []}
    outputs = []
    load = os.getloadavg()[0]
    for round_number in range(rounds):
        out = os.path.join(work, f"out-{round_number}")
        outputs.extend(out + suffix for suffix in ("-herald", "-hugo", "-hugo-cache", "-vips"))
        for path in outputs[-4:]:
            shutil.rmtree(path, ignore_errors=True)
        os.sync()
        times["herald"].append(run_herald(herald, site, out + "-herald"))
        if "hugo" not in skip:
            os.sync()
            times["hugo"].append(run_hugo(hugo, out + "-hugo"))
        if "vips" not in skip:
            os.sync()
            times["vips"].append(run_vips(photos, names, out + "-vips"))
        done = ", ".join(f"{name} {runs[-1][0]:.2f} s" for name, runs in times.items() if runs)
        print(f"round {round_number + 1}: {done}", file=sys.stderr)
    print(f"{count} photos {width}×{height} → 480 and 1600 px, JPEG q82 + WebP q78, "
          f"{os.cpu_count()} cores, {rounds} rounds, load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    print(f"{'':>8} | {'wall s':>7} | {'CPU s':>7} | {'wall runs':<24} | herald/it wall | CPU")
    ours = [statistics.median(t[i] for t in times["herald"]) for i in (0, 1)]
    for name, runs in times.items():
        if runs:
            wall, cpu = (statistics.median(t[i] for t in runs) for i in (0, 1))
            each = ", ".join(f"{t:.2f}" for t, _ in runs)
            print(f"{name:>8} | {wall:>7.2f} | {cpu:>7.2f} | {each:<24} | {ours[0] / wall:>14.2f} | {ours[1] / cpu:.2f}")
    for out in outputs:
        shutil.rmtree(out, ignore_errors=True)


def rebuild(args, herald, work):
    count = int(flag(args, "--rebuild-photos", "1000"))
    width, height = (int(side) for side in flag(args, "--rebuild-size", "1600x1200").split("x"))
    rounds = int(flag(args, "--rounds", "3"))
    photos = os.path.join(work, f"photos-{count}-{width}x{height}")
    names = make_photos(photos, count, width, height)
    with_photos = os.path.join(work, f"rebuild-{count}-{width}")
    without = os.path.join(work, "rebuild-none")
    herald_site(with_photos, photos, names)
    herald_site(without, photos, [])
    times = {}
    for site in (with_photos, without):
        page = os.path.join(site, "content", "galleries", "bench", "index.md")
        out = os.path.join(work, "out-rebuild")
        shutil.rmtree(out, ignore_errors=True)
        first, _ = timed([herald, "--root", site, "build", "--output", out, "--now", "2030-01-01"])
        runs = []
        for round_number in range(rounds):
            with open(page, "w", encoding="utf-8") as f:
                f.write(GALLERY + f"\n第{round_number}次修改。\n")
            os.sync()
            runs.append(timed([herald, "--root", site, "build", "--output", out, "--now", "2030-01-01"])[0])
        with open(page, "w", encoding="utf-8") as f:
            f.write(GALLERY)
        times[site] = (first, runs)
        shutil.rmtree(out, ignore_errors=True)
    (first, runs), (_, bare) = times[with_photos], times[without]
    print(f"rebuild after a one-line edit, {count} photos {width}×{height}, {rounds} rounds")
    print(f"  first build with photos: {first:.2f} s")
    print(f"  rebuild with photos:     median {statistics.median(runs):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in runs)})")
    print(f"  rebuild without photos:  median {statistics.median(bare):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in bare)})")
    print(f"  ratio: {statistics.median(runs) / statistics.median(bare):.2f}")


def main():
    args = sys.argv[1:]
    work = flag(args, "--work", "/tmp/herald-images")
    herald = flag(args, "--herald", None)
    if herald is None:
        herald = os.path.join(ROOT, "target", "release", "herald")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if "--only-rebuild" not in args:
        first_build(args, herald, work)
    if "--rebuild" in args or "--only-rebuild" in args:
        rebuild(args, herald, work)


if __name__ == "__main__":
    main()
