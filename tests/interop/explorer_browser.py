"""The explorer in a real browser: Playwright driving the system Chromium.

Usage: explorer_browser.py served  URL SCREENSHOT
       explorer_browser.py filters URL
       explorer_browser.py file    PATH-TO-HTML
       explorer_browser.py readme  URL PNG   (the README's picture)

`served` walks the scenario of issue 14 against `linkchart serve`: search
"hamid gul", open the card, expand, ask the route to "Osama bin Laden",
check the routes and the highlighted entities, hide alleged evidence and
see those lines go, move the time slider, export SVG, reload the shared
URL; no console errors and no request leaving the server. `file` does the
same, as far as a fixed selection allows, for the self-contained HTML
export opened from disk. `filters` uses the route form's tags, where and
weighted controls, with the keyboard, on a graph that has tags, attributes
and weights (the `attributes` fixture): each changes the routes as the
command line would, a bad condition shows the server's reason as text, and
a shared link reopens the same query. Prints one JSON object of findings; exits non-zero
on the first failed check.
"""

import json
import shutil
import sys
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def launch(p):
    return p.chromium.launch(
        executable_path=shutil.which("chromium"),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def watch(page, allowed):
    """Collects console errors, page errors and requests leaving `allowed`."""
    problems = []

    def on_console(message):
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type}: {message.text}")

    def on_request(request):
        if not allowed(request.url):
            problems.append(f"request left: {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", on_request)
    return problems


def expected_400s(problems):
    """Takes out the console's note of the 400 a bad condition was meant to get."""
    wanted = [p for p in problems if "status of 400" in p]
    check(wanted, f"no 400 reached the console: {problems}")
    for p in wanted:
        problems.remove(p)


def wait_until(page, expression, timeout=10.0):
    """Polls an expression (the page's CSP forbids wait_for_function's eval)."""
    import time

    end = time.time() + timeout
    while time.time() < end:
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    fail(f"timed out waiting for {expression}")


def visible_edges(page, status=None):
    selector = "#edges path.edge" + (f"[data-status={status}]" if status else "")
    return page.eval_on_selector_all(
        selector, "els => els.filter(e => getComputedStyle(e).display !== 'none').length"
    )


def node_positions(page):
    return page.eval_on_selector_all(
        "#nodes .node",
        "els => Object.fromEntries(els.map(e => [e.dataset.id, e.getAttribute('transform')]))",
    )


def move_slider(page, selector, value):
    page.eval_on_selector(
        selector,
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        value,
    )


def export_svg(page, tmp):
    page.select_option("#export-format", "svg")
    with page.expect_download() as info:
        page.click("#export")
    path = info.value.path()
    text = open(path, encoding="utf-8").read()
    check(text.startswith("<?xml") and "<svg" in text, "the SVG export is not SVG")
    return text


def served(url, screenshot):
    host = urlparse(url).netloc
    findings = {}
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1366, "height": 860}, accept_downloads=True)
        problems = watch(page, lambda u: urlparse(u).netloc == host or u.startswith(("data:", "blob:")))
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", timeout=10_000)
        findings["interactive_ms"] = page.evaluate(
            "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
        )

        # Search with a variant spelling, pick with the keyboard.
        page.focus("body")
        page.keyboard.press("/")
        check(page.evaluate("document.activeElement.id") == "search", "/ does not focus the search box")
        page.keyboard.type("hamid gul")
        page.wait_for_selector("#search-list li[role=option] .hit-name")
        first = page.inner_text("#search-list li[role=option] .hit-name")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        page.wait_for_selector("#card:not([hidden])")
        title = page.inner_text("#card-title")
        check(title == first, f"the card is {title!r}, not {first!r}")
        check(page.locator("#card-relations li").count() > 0, "the card lists no relations")
        check(page.locator("#nodes .node[data-id=hamid-gul]").count() == 1, "Hamid Gul is not on the chart")

        # Expand with the keyboard, on the chart.
        page.focus("#nodes .node[data-id=hamid-gul]")
        page.keyboard.press("e")
        wait_until(page, "document.querySelectorAll('#nodes .node').length > 1")
        before = node_positions(page)
        findings["after_expand"] = len(before)
        # Expanding ISI (a hub) keeps what is drawn where it is and holds some back.
        page.dblclick("#nodes .node[data-id=isi]")
        wait_until(page, f"document.querySelectorAll('#nodes .node').length > {len(before)}")
        after = node_positions(page)
        for id_, transform in before.items():
            check(after.get(id_) == transform, f"{id_} moved on expanding: {transform} -> {after.get(id_)}")
        check("held back" in page.inner_text("#notice-text"), "the hub does not say what it holds back")
        findings["after_hub"] = len(after)

        # How is Hamid Gul connected to Osama bin Laden?
        page.click("#nodes .node[data-id=hamid-gul]")
        wait_until(page, "document.getElementById('card-title').textContent.length > 0")
        page.click("#card-actions [data-action=from]")
        page.fill("#path-to", "Osama bin Laden")
        page.wait_for_selector("#path-to-list li[role=option]")
        page.keyboard.press("Enter")
        page.click("#path-submit")
        page.wait_for_selector("#routes:not([hidden]) .route-head")
        summary = page.inner_text("#routes-summary")
        check("Osama bin Laden" in summary and "route" in summary, f"routes summary: {summary}")
        sentences = page.eval_on_selector_all("#routes-list .sentence", "els => els.map(e => e.textContent)")
        check(any("Inter-Services Intelligence" in s for s in sentences), f"no evidence sentences: {sentences}")
        findings["route_sentences"] = sentences
        # Every shortest route runs through the ISI: the page says so.
        notes = page.eval_on_selector_all("#routes-notes .route-note", "els => els.map(e => e.textContent)")
        check(any("No specific link" in n and "Inter-Services Intelligence" in n for n in notes), f"no hub note: {notes}")
        on_route = page.eval_on_selector_all("#nodes .node.on-route", "els => els.map(e => e.dataset.id)")
        check({"hamid-gul", "isi", "osama-bin-laden"} <= set(on_route), f"highlighted: {on_route}")
        check(page.locator("#edges path.edge.on-route").count() >= 2, "route lines are not highlighted")
        findings["highlighted"] = sorted(on_route)

        # Hide alleged (and weaker) evidence: those lines go.
        alleged = visible_edges(page, "alleged")
        check(alleged > 0, "no alleged lines to hide")
        page.select_option("#filter-status", "reported")
        check(visible_edges(page, "alleged") == 0, "alleged lines are still shown")
        check(visible_edges(page, "disputed") == 0, "disputed lines are still shown")
        findings["alleged_hidden"] = alleged
        page.select_option("#filter-status", "disputed")
        all_lines = visible_edges(page)

        # The time slider narrows the chart.
        years = page.evaluate("[Number(document.getElementById('time-from').min), Number(document.getElementById('time-to').max)]")
        move_slider(page, "#time-from", 1990)
        move_slider(page, "#time-to", 1990)
        page.uncheck("#filter-undated")
        narrowed = visible_edges(page)
        check(narrowed < all_lines, f"the time slider hid nothing ({narrowed} of {all_lines})")
        check(page.inner_text("#time-text") == "1990 – 1990", page.inner_text("#time-text"))
        findings["lines_all_vs_1990"] = [all_lines, narrowed]

        # Export the view as SVG: what is shown, and nothing filtered out.
        svg = export_svg(page, None)
        check("Hameed Gul" in svg or "Hamid Gul" in svg, "the SVG lacks Hamid Gul")
        check(svg.count('data-status=') == narrowed, "the SVG does not hold the lines shown")

        # Reload the shared URL: the same view comes back.
        shared = page.url
        positions = node_positions(page)
        page.screenshot(path=screenshot)
        page.goto("about:blank")
        page.goto(shared)
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_selector("#routes:not([hidden]) .route-head")
        check(node_positions(page) == positions, "the reloaded view differs")
        check(visible_edges(page) == narrowed, "the reloaded filters differ")
        check(page.inner_text("#card-title") == title, "the reloaded card differs")
        check(page.input_value("#filter-status") == "disputed", "status filter lost")

        # The shipped graph has tags but no attributes or weights: the tags are
        # offered, the other two controls are disabled and say why.
        tags = page.eval_on_selector_all("#path-tags input", "els => els.map(e => e.value)")
        check("director-general" in tags, f"tags offered: {tags}")
        check(page.is_disabled("#path-weighted"), "weighted is offered on a graph without weights")
        check("No relation" in page.inner_text("#path-weighted-note"), page.inner_text("#path-weighted-note"))
        check(page.is_disabled("#path-where"), "where is offered on a graph without attributes")
        check("No entity or relation" in page.inner_text("#path-where-help"), page.inner_text("#path-where-help"))

        # A misspelt name offers the right one.
        page.fill("#search", "hamid gull")
        page.wait_for_selector("#search-list li[role=option] .hit-name")
        check("Gul" in page.inner_text("#search-list"), "no suggestion for a misspelling")
        page.keyboard.press("Escape")

        check(not problems, "\n".join(problems))
        browser.close()
    print(json.dumps(findings))


def route_query(page, src, dst):
    """Fills from and to by typing and picking from the typeahead with the keyboard."""
    for field, name in (("#path-from", src), ("#path-to", dst)):
        page.fill(field, "")
        page.focus(field)
        page.keyboard.type(name)
        page.wait_for_selector(f"{field}-list li[role=option] .hit-name")
        page.keyboard.press("Enter")
        check(page.input_value(field) == name, f"{field} holds {page.input_value(field)!r}")


def submit_routes(page):
    """Submits the route form with the keyboard; the routes panel's text once it changes."""
    before = page.inner_text("#routes") if page.is_visible("#routes") else ""
    page.focus("#path-submit")
    page.keyboard.press("Enter")
    wait_until(page, f"!document.getElementById('routes').hidden && document.getElementById('routes').innerText !== {json.dumps(before)}")
    return {
        "summary": page.inner_text("#routes-summary"),
        "routes": page.eval_on_selector_all(
            "#routes-list .route-head", "els => els.map(e => e.textContent)"
        ),
    }


def filters(url):
    host = urlparse(url).netloc
    findings = {}
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1366, "height": 1000})
        problems = watch(page, lambda u: urlparse(u).netloc == host)
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", timeout=10_000)

        # What the graph has is offered, labelled.
        tags = page.eval_on_selector_all("#path-tags input", "els => els.map(e => e.value)")
        check(tags == ["director-general", "army"], f"tags offered: {tags}")
        check(not page.is_disabled("#path-weighted"), "weighted is disabled on a graph with weights")
        check("3 of" in page.inner_text("#path-weighted-note"), page.inner_text("#path-weighted-note"))
        where_help = page.inner_text("#path-where-help")
        check("nationality" in where_help and "role" in where_help and "weight" in where_help, where_help)
        labels = page.evaluate(
            "['path-where', 'path-weighted'].map(id => document.getElementById(id).labels.length)"
        )
        check(labels == [1, 1], f"unlabelled controls: {labels}")

        # Pasha to Faraway: two steps through the ISI (weight 2.5 + 4); by weight, three.
        route_query(page, "Ahmed Shuja Pasha", "Faraway Group")
        plain = submit_routes(page)
        check("shortest 2 steps" in plain["summary"], plain["summary"])
        check(all("Inter-Services Intelligence" in r for r in plain["routes"]), plain["routes"])
        page.focus("#path-weighted")
        page.keyboard.press("Space")
        check(page.is_checked("#path-weighted"), "Space does not tick weighted")
        check(page.is_disabled("#path-hops"), "max hops still applies to weighted routes")
        cheap = submit_routes(page)
        check("cheapest weight 4.5" in cheap["summary"], cheap["summary"])
        # Through Durrani (2.5 + 1 + 1) or the Taliban (2.5 + 1 + 1): both cost 4.5.
        check(len(cheap["routes"]) == 2 and all("3 steps · weight 4.5" in r for r in cheap["routes"]), cheap["routes"])
        check("Asad Durrani" in cheap["routes"][0], cheap["routes"])
        findings["weighted"] = [plain["routes"], cheap["routes"]]
        page.focus("#path-weighted")
        page.keyboard.press("Space")
        check(not page.is_checked("#path-weighted"), "Space does not clear weighted")

        # Only director-generals in between: the ISI may not be crossed, no route.
        page.focus("#path-tags-summary")
        page.keyboard.press("Enter")
        page.focus("#path-tags input[value=director-general]")
        page.keyboard.press("Space")
        tagged = submit_routes(page)
        check(not tagged["routes"], f"routes through untagged entities: {tagged['routes']}")
        check(tagged["summary"] and tagged["summary"] != plain["summary"], tagged["summary"])
        findings["tagged"] = tagged["summary"]
        page.focus("#path-tags input[value=director-general]")
        page.keyboard.press("Space")

        # Durrani to Faraway: one step; only relations with a weight of 1 or more: two.
        route_query(page, "Asad Durrani", "Faraway Group")
        direct = submit_routes(page)
        check("shortest 1 step" in direct["summary"], direct["summary"])
        page.fill("#path-where", "weight>=1")
        weighed = submit_routes(page)
        check("shortest 2 steps" in weighed["summary"], weighed["summary"])
        check(all("Inter-Services Intelligence" in r for r in weighed["routes"]), weighed["routes"])
        findings["where"] = [direct["summary"], weighed["summary"]]

        # A shared link reopens the same query, with its controls set: by
        # weight over weighed relations (1 + 4), then also through tagged only.
        page.check("#path-weighted")
        both = submit_routes(page)
        check("cheapest weight 5" in both["summary"], both["summary"])
        page.focus("#path-tags input[value=director-general]")
        page.keyboard.press("Space")
        none = submit_routes(page)
        check(not none["routes"], none["routes"])
        shared = page.url
        page.goto("about:blank")
        page.goto(shared)
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_selector("#routes:not([hidden])")
        check(page.input_value("#path-where") == "weight>=1", page.input_value("#path-where"))
        check(page.is_checked("#path-weighted") and page.is_disabled("#path-hops"), "weighted lost")
        check(page.is_checked("#path-tags input[value=director-general]"), "tag lost")
        check(page.inner_text("#routes-summary") == none["summary"], page.inner_text("#routes-summary"))
        page.focus("#path-tags input[value=director-general]")
        page.keyboard.press("Space")

        # A condition the server cannot read: its reason, as text, the field marked.
        page.fill("#path-where", "weight>=1; <b>rnk</b>>=3")
        page.focus("#path-submit")
        page.keyboard.press("Enter")
        page.wait_for_selector("#notice:not([hidden])")
        reason = page.inner_text("#notice-text")
        check('invalid "where" "<b>rnk</b>>=3"' in reason, reason)
        check(page.eval_on_selector("#notice", "e => e.querySelector('b') === null"), "the reason became markup")
        check(page.get_attribute("#path-where", "aria-invalid") == "true", "the field is not marked")
        page.fill("#path-where", "rnk>=3")
        check(page.get_attribute("#path-where", "aria-invalid") is None, "the mark outlives the edit")
        page.focus("#path-submit")
        page.keyboard.press("Enter")
        wait_until(page, "document.getElementById('notice-text').textContent.includes('did you mean \"rank\"')")
        findings["bad_condition"] = page.inner_text("#notice-text")
        expected_400s(problems)

        check(not problems, "\n".join(problems))
        browser.close()
    print(json.dumps(findings))


def offline(path):
    findings = {}
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        problems = watch(page, lambda u: u.startswith(("file:", "data:", "blob:")))
        page.goto("file://" + path)
        page.wait_for_selector("body[data-ready=true]", timeout=10_000)
        check(page.locator("#connect").is_hidden(), "the route form shows without a server")
        nodes = page.locator("#nodes .node").count()
        check(nodes >= 3, f"only {nodes} entities drawn")
        findings["entities"] = nodes

        page.fill("#search", "hamid gul")
        page.wait_for_selector("#search-list li[role=option] .hit-name")
        page.keyboard.press("Enter")
        page.wait_for_selector("#card:not([hidden])")
        check(page.locator("#card-relations li").count() > 0, "the card lists no relations")

        # The routes of the selection, listed and highlighted.
        page.wait_for_selector("#routes:not([hidden]) .route-head")
        on_route = page.eval_on_selector_all("#nodes .node.on-route", "els => els.map(e => e.dataset.id)")
        check({"hamid-gul", "osama-bin-laden"} <= set(on_route), f"highlighted: {on_route}")
        # A line's evidence.
        page.eval_on_selector("#edges .edge-hit", "e => e.dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        check(page.inner_text("#edge-detail") != "", "no evidence for a line")

        alleged = visible_edges(page, "alleged")
        page.select_option("#filter-status", "reported")
        check(visible_edges(page, "alleged") == 0, "alleged lines are still shown")
        page.select_option("#filter-status", "disputed")
        findings["alleged"] = alleged
        all_lines = visible_edges(page)
        move_slider(page, "#time-to", page.evaluate("Number(document.getElementById('time-from').min)"))
        page.uncheck("#filter-undated")
        check(visible_edges(page) < all_lines or all_lines == 0, "the time slider hid nothing")
        page.check("#filter-undated")

        # Pan and zoom, then hide an entity.
        box = page.locator("#chart").bounding_box()
        page.mouse.move(box["x"] + 50, box["y"] + 50)
        page.mouse.down()
        page.mouse.move(box["x"] + 150, box["y"] + 120)
        page.mouse.up()
        page.mouse.wheel(0, -300)
        page.focus("#nodes .node[data-id=hamid-gul]")
        page.keyboard.press("h")
        check(page.locator("#nodes .node[data-id=hamid-gul]").count() == 0, "hide did not hide")

        svg = export_svg(page, None)
        check("Osama bin Laden" in svg, "the SVG lacks the route")
        page.select_option("#export-format", "png")
        with page.expect_download() as info:
            page.click("#export")
        png = open(info.value.path(), "rb").read()
        check(png[:8] == b"\x89PNG\r\n\x1a\n", "the PNG export is not PNG")

        shared = page.url
        positions = node_positions(page)
        page.goto("about:blank")
        page.goto(shared)
        page.wait_for_selector("body[data-ready=true]")
        check(node_positions(page) == positions, "the reloaded file view differs")
        check(page.locator("#hidden-items button").count() == 1, "the hidden entity is not remembered")
        check(not problems, "\n".join(problems))
        browser.close()
    print(json.dumps(findings))


def readme(url, png):
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]")
        page.fill("#search", "hamid gul")
        page.wait_for_selector("#search-list li[role=option] .hit-name")
        page.keyboard.press("Enter")
        page.wait_for_selector("#card:not([hidden])")
        page.click("#card-actions [data-action=expand]")
        wait_until(page, "document.querySelectorAll('#nodes .node').length > 1")
        page.click("#card-actions [data-action=from]")
        page.fill("#path-to", "Osama bin Laden")
        page.keyboard.press("Escape")
        page.fill("#path-k", "3")
        page.click("#path-submit")
        page.wait_for_selector("#routes:not([hidden]) .route-head")
        page.wait_for_timeout(300)
        page.click("#fit")
        page.eval_on_selector("#connect-title", "e => e.scrollIntoView()")
        page.screenshot(path=png)
        browser.close()


if __name__ == "__main__":
    if sys.argv[1] == "readme":
        readme(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "served":
        served(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "filters":
        filters(sys.argv[2])
    else:
        offline(sys.argv[2])
