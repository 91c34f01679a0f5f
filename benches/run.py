#!/usr/bin/env python3
"""Times `herald build` (release) on synthetic sites of 1,000 and 10,000 items (and
100,000 with --full): wall time, items per second and peak RSS from /usr/bin/time -v.
When `hugo` is installed, the same pages are built by Hugo in the same run, alternating
the two, and the ratio herald/Hugo is printed. Every run writes into a new, empty output
folder; old outputs are deleted only after all runs, since deleting a large folder just
before a build slows the next one down on these disks. Each run starts from the same
state: after a sync (no run pays for writing out the one before) and, when run as root,
with the kernel's caches dropped and then the site's sources and the program read back
in, so that no run pays for the millions of files earlier runs left cached (creating a
file gets dearer as the cached ones grow) while every run reads its sources from memory.

usage: run.py [--full] [--rounds N] [--work DIR] [--hugo-max N]
"""
import os
import re
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


DROP_CACHES = "/proc/sys/vm/drop_caches"


def settle(program, site):
    """Brings the machine to the same state before each run (see the module's comment)."""
    # What the previous run left for the disk to write is written now, not during this run.
    os.sync()
    if not os.access(DROP_CACHES, os.W_OK):
        return
    with open(DROP_CACHES, "w") as caches:
        caches.write("3\n")
    for folder, _, files in os.walk(site, followlinks=True):
        for name in files:
            with open(os.path.join(folder, name), "rb") as source:
                source.read()
    with open(program, "rb") as binary:
        binary.read()


def timed(command):
    result = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, seconds = wall.groups()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds), rss * 1024


def main():
    args = sys.argv[1:]
    sizes = [1000, 10000] + ([100000] if "--full" in args else [])
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    work = args[args.index("--work") + 1] if "--work" in args else "/tmp/herald-bench"
    # Hugo needs several GiB and minutes past 10,000 items; --hugo-max raises the limit.
    hugo_max = int(args[args.index("--hugo-max") + 1]) if "--hugo-max" in args else 10000
    herald = os.path.join(ROOT, "target", "release", "herald")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    hugo = shutil.which("hugo")
    if not os.access(DROP_CACHES, os.W_OK):
        print("note: not root, so the kernel's caches are not dropped between runs; "
              "later runs pay for the files earlier ones left cached", file=sys.stderr)
    sites = {}
    for size in sizes:
        site, hugo_site = os.path.join(work, f"site-{size}"), os.path.join(work, f"hugo-{size}")
        if not os.path.isdir(site):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), str(size), site, hugo_site], check=True)
        sites[size] = (site, hugo_site if hugo and size <= hugo_max and os.path.isdir(hugo_site) else None)
    outputs = []
    ours = {size: [] for size in sizes}
    theirs = {size: [] for size in sizes}
    # Rounds outside, sizes inside: a machine that slows down over the run slows every size.
    for round_number in range(rounds):
        for size in sizes:
            site, hugo_site = sites[size]
            out = os.path.join(work, f"out-herald-{size}-{round_number}")
            outputs.append(out)
            settle(herald, site)
            ours[size].append(timed([herald, "--root", site, "build", "--output", out, "--now", "2020-01-01"]))
            if hugo_site:
                out = os.path.join(work, f"out-hugo-{size}-{round_number}")
                outputs.append(out)
                settle(hugo, hugo_site)
                theirs[size].append(timed([hugo, "--quiet", "--source", hugo_site, "--destination", out]))
    print(f"{'items':>7} | {'herald s':>8} | {'items/s':>8} | {'herald RSS':>10} | {'hugo s':>7} | {'hugo RSS':>9} | time ratio | RSS ratio")
    medians = {}
    for size in sizes:
        wall = statistics.median(t for t, _ in ours[size])
        medians[size] = wall
        rss = max(r for _, r in ours[size])
        line = f"{size:>7} | {wall:>8.2f} | {size / wall:>8.0f} | {rss / 2**20:>7.0f} MB"
        if theirs[size]:
            hugo_wall = statistics.median(t for t, _ in theirs[size])
            hugo_rss = max(r for _, r in theirs[size])
            line += f" | {hugo_wall:>7.2f} | {hugo_rss / 2**20:>6.0f} MB | {wall / hugo_wall:>10.2f} | {rss / hugo_rss:>9.2f}"
        print(line)
    if 100000 in medians:
        each = ", ".join(f"{t:.2f}" for t, _ in ours[100000])
        print(f"100,000 items take {medians[100000] / medians[10000]:.1f}x the 10,000-item time "
              f"(runs: {each} s against {', '.join(f'{t:.2f}' for t, _ in ours[10000])} s)")
    for out in outputs:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
