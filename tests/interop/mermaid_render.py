"""Parses and draws a linkchart Mermaid export with the mermaid package
itself, in headless Chromium (Playwright driving the Debian chromium).

usage: mermaid_render.py MERMAID.mmd MERMAID.min.js
Prints JSON: whether mermaid parsed it, the error if not, and the text of
every node label it drew."""
import json
import shutil
import sys

from playwright.sync_api import sync_playwright

text = open(sys.argv[1], encoding="utf-8").read()
library = open(sys.argv[2], encoding="utf-8").read()
with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path=shutil.which("chromium"),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=library)
    result = page.evaluate(
        """async (text) => {
            mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
            try {
                await mermaid.parse(text);
                const { svg } = await mermaid.render('chart', text);
                const box = document.createElement('div');
                box.innerHTML = svg;
                const labels = [...box.querySelectorAll('.nodeLabel, .node text, foreignObject')]
                    .map((e) => e.textContent.trim()).filter((t) => t.length);
                return { parsed: true, labels, size: svg.length };
            } catch (e) {
                return { parsed: false, error: String(e && e.message || e) };
            }
        }""",
        text,
    )
    browser.close()
print(json.dumps(result))
