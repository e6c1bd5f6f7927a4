"""The observatory in a real headless Chromium (Debian's, driven by Playwright).

Skipped cleanly where /usr/bin/chromium or the playwright package is missing. Screenshots
of every page are kept under test-artifacts/browser/.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
EDITOR_PASSWORD = "correct horse battery staple"

try:
    from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        sync_playwright is None or not CHROMIUM.exists(),
        reason="needs the playwright package and Debian's chromium at /usr/bin/chromium",
    ),
]

PAGES = {
    "home": "/",
    "groupings": "/groupings",
    "grouping-quad": "/groupings/quad",
    "countries": "/countries",
    "country-ind": "/countries/IND",
    "network": "/network",
    "design": "/design",
    "whatif": "/whatif",
    "methodology": "/methodology",
    "downloads": "/downloads",
    "suggest": "/suggest",
    "api-docs": "/api/docs",
    "pulse": "/pulse",
    "commitments": "/commitments",
    "grouping-un": "/groupings/un",
    "country-twn": "/countries/TWN",
    "search": "/search?q=quantum",
    "compare": "/compare?countries=IND,GBR,EST",
    "events": "/events",
    "matrix": "/matrix",
    "sources": "/sources",
}
#: The pages that draw a world map.
MAPS = {"home", "grouping-quad", "country-ind", "grouping-un"}
WIDTHS = (1366, 390)
AXE_VERSION = "4.10.3"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from minilat.web import create_app

    tmp = tmp_path_factory.mktemp("browser")
    data = os.environ.get("MINILAT_DATA")
    from minilat.editorial import editors
    from minilat.editorial.database import EditorialDB

    editors.add_editor(EditorialDB(tmp / "suggestions.db"), "ada", EDITOR_PASSWORD)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINILAT_EDITORIAL", str(tmp / "suggestions.db"))
        app = create_app(tmp / "store.db", Path(data) if data else None)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert sync_playwright is not None
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


class _Watch:
    """Console errors and uncaught page errors seen while a test runs."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")


@pytest.fixture()
def page(browser: Browser) -> Iterator[tuple[Page, _Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    watch = _Watch(pg)
    yield pg, watch
    context.close()


def _shot(pg: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_opens_without_console_errors(
    base_url: str, page: tuple[Page, _Watch], name: str
) -> None:
    pg, watch = page
    response = pg.goto(base_url + PAGES[name])
    assert response is not None and response.status == 200
    pg.wait_for_load_state("networkidle")
    if name == "api-docs":
        pg.wait_for_selector(".opblock", timeout=20_000)
    else:
        assert pg.locator("main h1").count() == 1
        assert pg.locator("nav[aria-label='Main']").count() == 1
    _shot(pg, name)
    assert watch.errors == []


#: The text of every numeric or date cell laid out on more than one line, whatever the height of
#: its row: its text's boxes fall into separate bands (boxes on one line overlap
#: vertically, even in a smaller font or a button).
_WRAPPED_NUMBERS = """() => [...document.querySelectorAll('.num, td.date')].filter(el => {
  const r = document.createRange(); r.selectNodeContents(el);
  const boxes = [...r.getClientRects()].filter(b => b.width > 0 && b.height > 0)
    .sort((a, b) => a.top - b.top);
  let lines = 0, bottom = -Infinity;
  for (const b of boxes) {
    if (b.top >= bottom - 1) lines += 1;
    bottom = Math.max(bottom, b.bottom);
  }
  return lines > 1;
}).map(el => el.textContent.trim())"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [n for n in PAGES if n != "api-docs"])
def test_every_page_fits_the_screen(base_url: str, browser: Browser, name: str, width: int) -> None:
    """At a laptop's and a phone's width: no console error, nothing wider than the
    screen, the map drawn where there is one, the search box in the header."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    watch = _Watch(pg)
    try:
        pg.goto(base_url + PAGES[name])
        pg.wait_for_load_state("networkidle")
        doc_width = pg.evaluate("document.documentElement.scrollWidth")
        assert doc_width <= width, f"{name} is {doc_width}px wide at {width}px"
        assert pg.locator("header #site-q").count() == 1
        if name in MAPS:
            box = pg.locator("svg.worldmap").first.bounding_box()
            assert box is not None and 300 <= box["width"] <= width
            # every outline is a <use> of the shared file of outlines: drawn, not empty
            assert pg.locator("svg.worldmap use").count() > 200
            drawn = pg.evaluate(
                "[...document.querySelectorAll('svg.worldmap use')]"
                ".filter(u => u.getBBox().width > 0).length"
            )
            assert drawn > 200, f"{name}: only {drawn} states drawn"
        if width < 500:  # the menu folds behind its button
            assert pg.locator("details.menu > summary").is_visible()
            assert not pg.locator("nav[aria-label='Main'] a").first.is_visible()
            # no number wraps onto a second line (a year read 1/9/4/5 down the column)
            wrapped = pg.evaluate(_WRAPPED_NUMBERS)
            assert wrapped == [], f"{name}: numeric cells over several lines: {wrapped[:5]}"
        _shot(pg, f"{name}-{width}")
        assert watch.errors == []
    finally:
        context.close()


def test_the_header_search_finds_results(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, watch = page
    pg.goto(base_url + "/countries/IND")
    # the skip link, the brand, then the search box: three Tab presses
    for _ in range(3):
        pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.id") == "site-q"
    pg.keyboard.type("semiconductor")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/search?q=semiconductor**")
    results = pg.locator("ol.results li")
    assert results.count() >= 5
    assert "Chip 4" in pg.locator("ol.results").inner_text() or "chip4" in pg.content()
    assert pg.locator("ol.results mark").count() > 0
    assert watch.errors == []


def test_charts_add_few_tab_stops(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, _ = page
    for path in ("/", "/groupings/quad", "/countries/IND"):
        pg.goto(base_url + path)
        stops = pg.evaluate(
            "document.querySelectorAll('svg [tabindex=\"0\"], svg a[href]:not([tabindex])').length"
        )
        assert stops == 0, (path, stops)


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script, installed with npm into test-artifacts/ (never committed)."""
    import shutil
    import subprocess

    folder = ARTIFACTS.parent / "axe"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("axe-core needs npm")
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(folder),
                f"axe-core@{AXE_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not script.exists():
            pytest.skip(f"could not install axe-core: {done.stderr[-300:]}")
    return script.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [n for n in PAGES if n != "api-docs"])
def test_axe_finds_no_serious_violations(
    base_url: str, browser: Browser, axe_source: str, name: str
) -> None:
    # the test's own script is let past the site's Content-Security-Policy
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    pg.goto(base_url + PAGES[name])
    pg.wait_for_load_state("networkidle")
    pg.add_script_tag(content=axe_source)
    found: list[dict[str, Any]] = pg.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .filter(v => v.impact === "serious" || v.impact === "critical")
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}))"""
    )
    context.close()
    assert found == [], found


def test_groupings_filters(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, watch = page
    pg.goto(base_url + "/groupings")
    total = pg.locator("#groupings-table tbody tr").count()
    pg.select_option("#f-theme", "semiconductors")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url("**theme=semiconductors**")
    rows = pg.locator("#groupings-table tbody tr")
    assert 0 < rows.count() < total
    pg.fill("#f-q", "chip")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url("**q=chip**")
    assert "Chip 4" in pg.locator("#groupings-table").inner_text()
    pg.goto(base_url + "/groupings")
    pg.select_option("#f-type", "security_defence")
    pg.fill("#f-as-of", "2022-01-01")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url("**type=security_defence**")
    assert "AUKUS" in pg.locator("#groupings-table").inner_text()
    _shot(pg, "groupings-filtered")
    assert watch.errors == []


def test_network_slider_and_type(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, watch = page
    pg.goto(base_url + "/network")
    pg.wait_for_selector("#network-svg circle.node")
    today_nodes = pg.locator("#network-svg circle.node").count()
    assert today_nodes > 20
    slider = pg.locator("#net-year")
    slider.focus()
    year = int(slider.input_value())
    for _ in range(30):
        pg.keyboard.press("ArrowLeft")
    target = f"{year - 30}-12-31"
    pg.wait_for_function(
        "t => document.getElementById('network-info').textContent.includes(t)", arg=target
    )
    assert pg.locator("#net-date").input_value() == target
    assert pg.locator("#network-svg circle.node").count() != today_nodes
    _shot(pg, "network-slider")
    pg.select_option("#net-type", "security_defence")
    pg.wait_for_function(
        "() => document.getElementById('network-info').textContent.includes('security defence')"
    )
    node = pg.locator("#network-svg circle.node[tabindex='0']").first
    node.focus()
    assert "partners" in pg.locator("#network-info").inner_text()
    _shot(pg, "network-type")
    assert watch.errors == []


def test_designer(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, watch = page
    pg.goto(base_url + "/design")
    pg.select_option("#d-table-0", "wafer_capacity")
    pg.fill("#d-target-0", "50%")
    pg.click("#design-form button[type=submit]")
    pg.wait_for_selector("#design-result")
    assert "proved optimal" in pg.locator("#design-result").inner_text()
    assert pg.locator(".chart rect.bar").count() >= 3
    _shot(pg, "design-answer")
    assert watch.errors == []


def test_whatif_from_the_form(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, watch = page
    pg.goto(base_url + "/whatif")
    pg.fill("#w-as-of", "2026-12-01")
    pg.select_option("#w-kind-1", "join")
    pg.fill("#w-grouping-1", "chip4")
    pg.fill("#w-country-1", "IND")
    pg.select_option("#w-kind-2", "found")
    pg.fill("#w-grouping-2", "AI compute club")
    pg.fill("#w-country-2", "USA,JPN,KOR,TWN,NLD")
    pg.fill("#w-themes-2", "ai,semiconductors")
    pg.click("#w-submit")
    pg.wait_for_selector("#whatif-result", timeout=60_000)
    text = pg.locator("#whatif-result").inner_text()
    assert "India joins Chip 4" in text and "AI compute club" in text
    assert "optimal coalition of 5" in text
    assert pg.locator("#whatif-result svg rect.bar").count() >= 3
    assert "kind=found" in pg.url and "grouping=chip4" in pg.url  # shareable
    _shot(pg, "whatif-answer")
    assert watch.errors == []


def test_whatif_without_javascript_on_a_phone(base_url: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        pg.goto(base_url + "/whatif")
        pg.fill("#w-as-of", "2026-12-01")
        pg.fill("#w-grouping-1", "paris_call")
        pg.select_option("#w-kind-1", "leave")
        pg.fill("#w-country-1", "USA")
        pg.click("#w-submit")
        pg.wait_for_selector("#whatif-result")
        assert (
            "leaves" in pg.locator("#whatif-summary").inner_text()
            or pg.locator("#whatif-diffs li").count()
        )
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        _shot(pg, "whatif-phone")
    finally:
        context.close()


def test_suggest_a_correction(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, watch = page
    pg.goto(base_url + "/suggest")
    pg.fill("#s-what", "<b>AUKUS</b> pillar two started in 2022, the page says 2021.")
    pg.fill("#s-where", "/groupings/aukus")
    pg.fill("#s-source_url", "https://example.org/aukus")
    pg.click("#suggest-form button[type=submit]")
    pg.wait_for_selector("#suggest-thanks")
    text = pg.locator("#suggest-thanks").inner_text()
    assert "<b>AUKUS</b>" in text  # shown as typed, as text, never as markup
    assert pg.locator("#suggest-thanks b").count() == 0
    _shot(pg, "suggest-sent")
    assert watch.errors == []


def test_call_the_api_from_its_openapi_page(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, watch = page
    pg.goto(base_url + "/api/docs")
    block = pg.locator(".opblock", has_text="/api/v1/groupings/{gid}/members").first
    block.locator(".opblock-summary").click()
    block.locator(".try-out__btn").click()
    block.locator("input[placeholder='gid']").fill("quad")
    block.locator("input[placeholder='as_of']").fill("2023-01-01")
    block.locator(".execute").click()
    status = block.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip().startswith("200")
    assert "AUS" in block.locator(".live-responses-table").inner_text()
    _shot(pg, "api-docs-call")
    assert watch.errors == []


def test_keyboard_and_contrast(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, watch = page
    pg.goto(base_url + "/")
    pg.keyboard.press("Tab")
    focused: Any = pg.evaluate("document.activeElement.className")
    assert focused == "skip"
    assert pg.locator(".skip").is_visible()
    pg.keyboard.press("Enter")
    ratios: dict[str, float] = pg.evaluate(
        """() => {
      const lum = c => {
        const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(Number).map(v => {
          v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
                                return (x + 0.05) / (y + 0.05); };
      const bg = getComputedStyle(document.body).backgroundColor === "rgba(0, 0, 0, 0)"
        ? "rgb(255, 255, 255)" : getComputedStyle(document.body).backgroundColor;
      const pick = s => getComputedStyle(document.querySelector(s)).color;
      const header = getComputedStyle(document.querySelector("header.site")).backgroundColor;
      return {
        text: ratio(pick("main p"), bg),
        link: ratio(pick("main a"), bg),
        muted: ratio(pick(".lead"), bg),
        nav: ratio(pick("nav a"), header),
      };
    }"""
    )
    for what, r in ratios.items():
        assert r >= 4.5, (what, r)
    assert watch.errors == []


def test_an_editor_edits_a_grouping_and_sees_its_history(
    base_url: str, page: tuple[Page, _Watch]
) -> None:
    pg, watch = page
    pg.goto(base_url + "/editors")
    assert pg.url.endswith("/editors/sign-in")
    pg.fill("#si-name", "ada")
    pg.fill("#si-password", EDITOR_PASSWORD)
    pg.click("#sign-in-form button[type=submit]")
    pg.wait_for_url(base_url + "/editors")
    pg.click("summary:has-text('Groupings')")
    pg.click("a[href='/editors/groupings/gcap/edit']")
    text = pg.input_value("#edit-yaml")
    assert text.startswith("id: gcap")
    line = next(x for x in text.splitlines() if x.startswith("name: "))
    pg.fill("#edit-yaml", text.replace(line, line + " (browser edit)", 1))
    pg.fill("#edit-why", "A browser test; the name is unchanged in reality.")
    pg.click("#edit-form button[type=submit]")
    pg.wait_for_url(base_url + "/groupings/gcap/history")
    diff = pg.inner_text("pre.diff")
    assert f"+{line} (browser edit)" in diff and f"-{line}" in diff
    _shot(pg, "history-gcap")
    pg.goto(base_url + "/groupings/gcap")
    assert "(browser edit)" in pg.inner_text("h1")
    assert not watch.errors, watch.errors


# ------------------------------------------------------------- the life of groupings


def test_pulse_on_a_phone(base_url: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    watch = _Watch(pg)
    pg.goto(base_url + "/pulse?as_of=2026-12-02&since=2025-01-01")
    assert pg.locator("#heat-map").is_visible()
    overflow = pg.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390, overflow
    box = pg.locator("#heat-map").bounding_box()
    assert box is not None and box["width"] <= 390
    chip4 = pg.locator("#life-chip4")
    assert "dormant" in chip4.locator(".life").inner_text()
    chip4.locator("summary").click()
    assert "2023-02-16" in chip4.locator("details p").inner_text()
    assert pg.locator("#changes li").count() >= 1
    _shot(pg, "pulse-phone")
    pg.fill("#as-of", "2012-06-01")
    pg.fill("#since", "")
    pg.click("form.inline button[type=submit]")
    pg.wait_for_url("**as_of=2012-06-01**")
    assert "dormant" in pg.locator("#life-quad .life").inner_text()
    assert watch.errors == []
    context.close()


def test_commitments_page_filters_and_grouping_life(
    base_url: str, page: tuple[Page, _Watch]
) -> None:
    pg, watch = page
    pg.goto(base_url + "/commitments?as_of=2026-12-02")
    assert pg.locator("#commitment-list > li").count() >= 2
    pg.select_option("#c-status", "in_progress")
    pg.click("form.inline button[type=submit]")
    pg.wait_for_url("**status=in_progress**")
    items = pg.locator("#commitment-list > li")
    assert all("in progress" in t for t in items.all_inner_texts())
    vaccine = pg.locator("#c-quad-vaccine-donations-1-2bn")
    assert "1.2 billion" in vaccine.inner_text()
    vaccine.locator("summary").click()
    assert "670 million" in vaccine.locator("details").inner_text()
    _shot(pg, "commitments-in-progress")
    pg.goto(base_url + "/groupings/chip4?as_of=2026-12-02")
    assert "dormant" in pg.locator("#life-status").inner_text()
    assert "Searched on 2026-12-02" in pg.locator("#life-explanation").inner_text()
    pg.goto(base_url + "/groupings/quad?as_of=2026-12-02")
    assert "1.2 billion" in pg.locator("#life").inner_text()
    assert watch.errors == []


def test_the_pulse_feed_opens_as_atom(base_url: str, page: tuple[Page, _Watch]) -> None:
    pg, _ = page
    r = pg.request.get(base_url + "/feeds/pulse.atom")
    assert r.ok and r.headers["content-type"].startswith("application/atom+xml")
    body = r.text()
    assert "<feed" in body and "<entry>" in body and 'term="status"' in body
    pg.goto(base_url + "/pulse")
    href = pg.locator("link[type='application/atom+xml'][href='/feeds/pulse.atom']")
    assert href.count() == 1
