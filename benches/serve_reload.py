#!/usr/bin/env python3
"""Times the live preview: from saving one story to the browser's reload event.

usage: serve_reload.py HERALD_BINARY SITE_DIR [ROUNDS] [body|title]

Starts `herald serve` on SITE_DIR, listens to /__herald/events like a browser, then edits
the body (or the title) of one story ROUNDS times (default 20) and prints the median and
worst times from the write to the `reload` event. SITE_DIR is edited in place: use a copy.
"""
import glob
import os
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    binary, site = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    edit = sys.argv[4] if len(sys.argv) > 4 else "body"
    stories = sorted(glob.glob(os.path.join(site, "content", "stories", "**", "*.md"), recursive=True))
    story = stories[len(stories) // 2]
    original = open(story, encoding="utf-8").read()
    port = free_port()
    started = time.monotonic()
    server = subprocess.Popen([binary, "--root", site, "--lang", "en", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        server.stdout.readline()  # the URL
        server.stdout.readline()  # "built N pages"
        first_build = time.monotonic() - started
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        events = socket.create_connection(("127.0.0.1", port))
        events.sendall(b"GET /__herald/events HTTP/1.1\r\nHost: x\r\n\r\n")
        reader = events.makefile("r", encoding="utf-8")
        arrived = []
        lock = threading.Condition()

        def listen():
            for line in reader:
                if line.startswith("event: reload"):
                    with lock:
                        arrived.append(time.monotonic())
                        lock.notify()

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)
        times = []
        for round_number in range(rounds):
            with lock:
                seen = len(arrived)
            saved = time.monotonic()
            with open(story, "w", encoding="utf-8") as f:
                if edit == "title":
                    f.write(original.replace("\ntitle: ", f"\ntitle: 第{round_number}次", 1))
                else:
                    f.write(original + f"\n\n第 {round_number} 次修改的一段话。\n")
            with lock:
                lock.wait_for(lambda: len(arrived) > seen, timeout=30)
                if len(arrived) == seen:
                    raise SystemExit("no reload event within 30 s")
                times.append((arrived[seen] - saved) * 1000)
            time.sleep(0.2)
        print(f"site: {site} ({len(glob.glob(os.path.join(site, 'content', '**', '*.md'), recursive=True))} files)")
        print(f"first build in the preview: {first_build * 1000:.0f} ms")
        print(f"save -> reload event over {rounds} {edit} edits: median {statistics.median(times):.1f} ms, "
              f"best {min(times):.1f} ms, worst {max(times):.1f} ms")
    finally:
        with open(story, "w", encoding="utf-8") as f:
            f.write(original)
        server.kill()


if __name__ == "__main__":
    main()
