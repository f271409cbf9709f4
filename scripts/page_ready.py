#!/usr/bin/env python3
"""How soon the explorer page is ready to use on the shipped graph.

Usage: .venv/bin/python scripts/page_ready.py [--binary PATH] [--loads 20]
                                               [--link QUERY]

Starts `linkchart serve --port 0` on the built-in graph, opens the page
--loads times in the system Chromium (Playwright through executable_path,
no browser download; .ci/run installs both into .venv) and reports, per
load, the milliseconds from the start of navigation until the page marks
itself ready (`body[data-ready=true]`: the statistics read, the controls
wired and any state in the link restored) and until DOMContentLoaded: the
median and the slowest. --link opens a shared link instead of the empty
page, e.g. "#path=from%3Dhamid-gul%26to%3Dosama-bin-laden" (a route). A
fresh browser context for each load, so nothing is cached between loads.
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent

READY_AT = """
window.__readyAt = null;
new MutationObserver((_, watcher) => {
  if (document.body && document.body.dataset.ready === 'true') {
    window.__readyAt = performance.now();
    watcher.disconnect();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "target/release/linkchart"))
    ap.add_argument("--loads", type=int, default=20)
    ap.add_argument("--link", default="")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        server = subprocess.Popen(
            [args.binary, "serve", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={"LINKCHART_CACHE_DIR": cache, "PATH": "/usr/bin:/bin"},
        )
        try:
            line = server.stdout.readline()
            url = next(w for w in line.split() if w.startswith("http://")) + args.link
            ready, loaded = [], []
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=shutil.which("chromium"),
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                for _ in range(args.loads):
                    context = browser.new_context(viewport={"width": 1366, "height": 860})
                    page = context.new_page()
                    # The moment the page marks itself ready, in its own
                    # clock (performance.now() counts from the start of
                    # navigation), not when the test hears of it.
                    page.add_init_script(READY_AT)
                    page.goto(url)
                    page.wait_for_selector("body[data-ready=true]", timeout=10_000)
                    ready.append(page.evaluate("window.__readyAt"))
                    loaded.append(page.evaluate(
                        "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                    ))
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{args.loads} loads of {url}")
    print(f"ready: median {statistics.median(ready):.0f} ms, slowest {max(ready):.0f} ms")
    print(f"DOMContentLoaded: median {statistics.median(loaded):.0f} ms, slowest {max(loaded):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
