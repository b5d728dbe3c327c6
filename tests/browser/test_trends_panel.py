"""End-to-end: the dashboard's trends panel in headless Chromium over a small weekly store."""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp import Chromium, Page
from conftest import running_server
from test_trends import FLAT, add_events, weekly

from eventscope.store import Store

pytestmark = pytest.mark.browser

# Weekly events per country over 14 weeks of 2024: Mali surges in its 13th week and stays
# high, Burkina Faso falls to nothing, the others hold steady.
COUNTRIES = {
    "Mali": ("ML", [*FLAT, 30, 24]),
    "Niger": ("NE", [*FLAT, 6, 5]),
    "Burkina Faso": ("BF", [9, 8, 10, 9, 8, 9, 10, 8, 9, 9, 8, 9, 0, 0]),
    "Nigeria": ("NG", [3, 4, 3, 2, 4, 3, 3, 4, 3, 2, 3, 4, 3, 3]),
    "Sudan": ("SD", [7, 6, 8, 7, 6, 7, 8, 6, 7, 7, 6, 8, 7, 7]),
}


@pytest.fixture(scope="module")
def trends_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("trends") / "weekly.duckdb"
    with Store.open(db) as store:
        for name, (code, counts) in COUNTRIES.items():
            add_events(
                store,
                weekly(counts, deaths=2, country=name, country_code=code, admin1=f"{name} North"),
                doc=name,
            )
    with running_server(db) as url:
        yield url


@pytest.fixture
def page(browser: Chromium) -> Iterator[Page]:
    p = browser.new_page()
    yield p
    p.close()


def _loaded(page: Page, n: int = 1) -> None:
    page.wait_for(
        f"Number(document.getElementById('trends-panel').dataset.loads || 0) >= {n}",
        what="the trends panel",
    )


def test_trends_panel_shows_multiples_choropleth_and_alerts(
    page: Page, trends_server: str, screenshots: Path
) -> None:
    page.navigate(f"{trends_server}/")
    page.wait_for("document.documentElement.dataset.state === 'ready'", what="dashboard ready")
    page.set_value("#trends-every", "week")
    _loaded(page, 2)
    page.wait_for(
        "Number(document.getElementById('trends-map').dataset.painted || 0) === 5",
        what="five countries painted on the choropleth",
    )
    cards = page.eval(
        "[...document.querySelectorAll('#trends-grid .es-multiple')]"
        ".map(c => [c.dataset.key, c.querySelectorAll('.es-spark-surge').length])"
    )
    # largest total first
    assert [k for k, _ in cards] == sorted(COUNTRIES, key=lambda c: -sum(COUNTRIES[c][1]))
    assert dict(cards)["Mali"] >= 1  # its surge week is marked on the sparkline
    assert dict(cards)["Niger"] == 0
    # The choropleth: Mali in the "×2 or more" class, Burkina Faso in the falling one.
    classes = page.eval(
        "Object.fromEntries([...document.querySelectorAll('path.es-choro-data')]"
        ".map(p => [p.getAttribute('fill'), p.dataset.change]))"
    )
    assert "#b2182b" in classes and "#2166ac" in classes
    # The surge alert is listed, linking to the dashboard filtered to that week.
    alerts = page.eval(
        "[...document.querySelectorAll('#trends-alerts .es-alert a')]"
        ".map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert any(
        t.startswith("Mali: 30 events in 2024-W13") and "country=Mali" in h for t, h in alerts
    )
    page.eval("document.getElementById('trends-panel').scrollIntoView()")
    box = page.eval(
        "(() => { const r = document.getElementById('trends-panel')"
        ".getBoundingClientRect(); return {x: r.left + scrollX, y: r.top + scrollY,"
        " width: r.width, height: r.height}; })()"
    )
    # The panel fits the 1000-pixel viewport; capturing beyond it would re-lay the page out.
    shot = page.send("Page.captureScreenshot", {"format": "png", "clip": {**box, "scale": 1}})
    out = screenshots / "trends.png"
    out.write_bytes(base64.b64decode(shot["data"]))
    assert out.stat().st_size > 10_000
    # Clicking a small multiple narrows the dashboard to that country.
    page.click("#trends-grid .es-multiple[data-key='Niger']")
    page.wait_for(
        "document.querySelector('#filters select[name=country]').value === 'Niger'",
        what="the country filter",
    )
    page.wait_for(
        "document.querySelectorAll('#trends-grid .es-multiple').length === 1",
        what="the panel to follow the filter",
    )
    state = page.eval("({csp: window.__csp, errors: window.__errors})")
    assert state == {"csp": [], "errors": []}


ASIA = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev" / "acled_2015_asia_dev.jsonl"


@pytest.mark.devdata
def test_trends_panel_on_the_2015_asia_acled_notes(
    browser: Chromium, tmp_path: Path, screenshots: Path
) -> None:
    """The panel over real series: ACLED's 2015 South and South-East Asia dev notes."""
    if not ASIA.exists():
        pytest.skip(f"{ASIA} is absent (the shared dev data)")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    from acled_gold_store import load

    db = tmp_path / "asia.duckdb"
    with Store.open(db) as store:
        assert load(store, ASIA) == (1528, 1528)
    page = browser.new_page()
    try:
        with running_server(db) as url:
            page.navigate(f"{url}/")
            page.wait_for(
                "document.documentElement.dataset.state === 'ready'", what="dashboard ready"
            )
            page.set_value("#trends-every", "week")
            _loaded(page, 2)
            page.wait_for(
                "Number(document.getElementById('trends-map').dataset.painted || 0) >= 8",
                what="the Asian countries painted",
            )
            alerts = page.eval(
                "[...document.querySelectorAll('#trends-alerts .es-alert a')]"
                ".map(a => a.textContent)"
            )
            for expected in (
                "Pakistan: 87 fatalities in 2015-W34",
                "India: 20 events in 2015-W32",
                "Thailand: 6 events in 2015-W28",
            ):
                assert any(a.startswith(expected) for a in alerts), (expected, alerts)
            marked = page.eval(
                "document.querySelector(\"#trends-grid .es-multiple[data-key='Pakistan']\")"
                ".querySelectorAll('.es-spark-surge').length"
            )
            assert marked >= 1
            page.eval("document.getElementById('trends-panel').scrollIntoView()")
            box = page.eval(
                "(() => { const r = document.getElementById('trends-panel')"
                ".getBoundingClientRect(); return {x: r.left + scrollX,"
                " y: r.top + scrollY, width: r.width, height: r.height}; })()"
            )
            shot = page.send(
                "Page.captureScreenshot", {"format": "png", "clip": {**box, "scale": 1}}
            )
            out = screenshots / "trends-acled-2015-asia.png"
            out.write_bytes(base64.b64decode(shot["data"]))
            assert out.stat().st_size > 10_000
            assert page.eval("({csp: window.__csp, errors: window.__errors})") == {
                "csp": [],
                "errors": [],
            }
    finally:
        page.close()
