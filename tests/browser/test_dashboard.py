"""End-to-end: the dashboard in headless Chromium over the example database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import webcorpus
from cdp import Chromium, Page

pytestmark = pytest.mark.browser

N_EVENTS = len(webcorpus.SPECS) + 1  # the corpus and the hostile article


@pytest.fixture
def page(browser: Chromium) -> Iterator[Page]:
    p = browser.new_page()
    yield p
    p.close()


def _open_dashboard(page: Page, server: str, query: str = "") -> None:
    page.navigate(f"{server}/{query}")
    page.wait_for("document.documentElement.dataset.state === 'ready'", what="dashboard ready")
    page.wait_for("document.querySelectorAll('path.es-country').length > 100",
                  what="country shapes")


def _assert_clean(page: Page) -> None:
    """No script of an article ran, nothing was blocked by the CSP, no JS error."""
    state = page.eval("({pwned: window.__pwned === undefined ? null : window.__pwned,"
                      " title: document.title, csp: window.__csp, errors: window.__errors})")
    assert state["pwned"] is None, f"article script ran: window.__pwned = {state['pwned']}"
    assert "PWNED" not in state["title"]
    assert state["csp"] == [], f"CSP violations: {state['csp']}"
    assert state["errors"] == [], f"JavaScript errors: {state['errors']}"


def test_dashboard_shows_markers_timeline_and_table(page: Page, server: str,
                                                    screenshots: Path) -> None:
    _open_dashboard(page, server)
    markers = page.eval("document.querySelectorAll('path.es-marker, path.es-cluster').length")
    assert markers >= 5  # ten countries, some close ones clustered at world zoom
    clustered = page.eval(
        "[...document.querySelectorAll('.es-cluster-label span')]"
        ".reduce((n, e) => n + Number(e.textContent), 0)"
        " + document.querySelectorAll('path.es-marker').length")
    assert clustered == N_EVENTS  # every event is on the map, alone or in a cluster
    assert page.eval("document.querySelectorAll('#timeline rect.es-bar').length") >= 10
    assert page.eval("document.querySelector('#timeline path.es-fatalities') !== null")
    assert page.eval("document.querySelectorAll('#events tbody tr.es-row').length") == N_EVENTS
    assert page.eval("document.getElementById('summary').textContent") == f"{N_EVENTS} events"
    # Markers are sized by fatalities: the deadliest single event has the largest circle.
    radii = page.eval(
        "[...document.querySelectorAll('path.es-marker')].map(p => p.getBBox().width)")
    assert max(radii) > min(radii)
    shot = page.screenshot(screenshots / "dashboard.png")
    assert shot.stat().st_size > 10_000
    _assert_clean(page)


def test_filter_drives_map_timeline_and_table(page: Page, server: str,
                                              screenshots: Path) -> None:
    _open_dashboard(page, server)
    page.set_value("#filters select[name=country]", "Mali")
    page.click("#apply")
    page.wait_for("document.querySelectorAll('#events tbody tr.es-row').length === 2",
                  what="the table to show Mali's 2 events")
    rows = page.eval("[...document.querySelectorAll('#events tbody tr')]"
                     ".map(r => r.children[6].textContent)")
    assert rows == ["Mali", "Mali"]
    assert "country=Mali" in page.eval("location.search")
    assert "country=Mali" in page.eval("document.getElementById('link-json').href")
    page.wait_for("[...document.querySelectorAll('.es-cluster-label span')]"
                  ".reduce((n, e) => n + Number(e.textContent), 0)"
                  " + document.querySelectorAll('path.es-marker').length === 2",
                  what="the map to show 2 events")
    bars = page.eval("[...document.querySelectorAll('#timeline rect.es-bar')]"
                     ".filter(r => Number(r.getAttribute('height')) > 0).length")
    assert bars == 2  # February and April 2023
    page.screenshot(screenshots / "dashboard-filtered.png")
    # The filter survives a reload (it lives in the URL).
    _open_dashboard(page, server, "?country=Mali")
    assert page.eval("document.querySelectorAll('#events tbody tr.es-row').length") == 2
    _assert_clean(page)


def test_counts_by_country_filter_on_click(page: Page, server: str) -> None:
    _open_dashboard(page, server)
    rows = page.eval("[...document.querySelectorAll('#by .by-row')]"
                     ".map(r => [r.dataset.key, r.querySelector('.by-n').textContent])")
    assert ["Mali", "2"] in rows and ["Kenya", "2"] in rows and len(rows) == 8
    page.click("#by .by-row[data-key='Kenya']")
    page.wait_for("document.querySelectorAll('#events tbody tr.es-row').length === 2",
                  what="Kenya's events")
    assert page.eval("document.querySelector('#filters select[name=country]').value") == "Kenya"
    page.set_value("#dimension", "event_type")
    page.wait_for("document.querySelector(\"#by .by-row[data-key='Protests']\") !== null",
                  what="counts by type")
    _assert_clean(page)


def test_event_view_highlights_evidence(page: Page, server: str, screenshots: Path) -> None:
    _open_dashboard(page, server)
    eid = webcorpus.event_id("syria-1")
    page.click(f"#events tr[data-id='{eid}'] td")
    page.wait_for("document.querySelector('#detail mark.ev') !== null", what="evidence marks")
    marks = page.eval("[...document.querySelectorAll('#detail .article-text mark.ev')]"
                      ".map(m => [m.textContent, m.dataset.fields])")
    assert ["air strike", "trigger"] in marks
    assert ["Idlib", "location"] in marks
    assert ["Saturday", "event_date"] in marks
    labels = page.eval("[...document.querySelectorAll('#detail .article-text .ev-label')]"
                       ".map(e => e.textContent)")
    assert sorted(labels) == ["event_date", "location", "trigger"]
    # Highlighting keeps the text exactly (labels aside).
    text = page.eval("[...document.querySelector('#detail .article-text').childNodes]"
                     ".filter(n => !(n.classList && n.classList.contains('ev-label')))"
                     ".map(n => n.textContent).join('')")
    assert text == next(s.text for s in webcorpus.SPECS if s.doc_id == "syria-1")
    page.screenshot(screenshots / "event-view.png")
    _assert_clean(page)


def test_analyst_corrects_a_field_and_sees_it(page: Page, server: str, write_token: str,
                                              screenshots: Path) -> None:
    eid = webcorpus.event_id("mali-1")
    _open_dashboard(page, server, f"?event={eid}")
    page.wait_for("document.querySelector('#correction-form') !== null", what="correction form")
    page.set_value("#correction-form select[name=field]", "fatalities")
    page.set_value("#correction-form input[name=value]", "15")
    page.set_value("#correction-form input[name=author]", "Test Analyst")
    page.set_value("#correction-form input[name=note]", "hospital count")
    # A wrong token is refused, and nothing changes.
    page.set_value("#correction-form input[name=token]", "wrong")
    page.click("#save-correction")
    page.wait_for("document.getElementById('correction-status').textContent"
                  ".startsWith('not saved')", what="refusal")
    assert "wrong or missing token" in page.eval(
        "document.getElementById('correction-status').textContent")
    page.set_value("#correction-form input[name=token]", write_token)
    page.set_value("#correction-form select[name=field]", "fatalities")
    page.set_value("#correction-form input[name=value]", "15")
    page.click("#save-correction")
    page.wait_for("document.querySelector(\"#detail td[data-field='fatalities'].corrected\")"
                  " !== null",
                  what="the corrected field")
    cell = page.eval("document.querySelector(\"#detail td[data-field='fatalities']\").textContent")
    assert cell.startswith("15") and "machine: 12" in cell
    assert "Test Analyst" in page.eval("document.querySelector('#detail .history').textContent")
    page.wait_for(f"document.querySelector(\"#events tr[data-id='{eid}'] td.num\")"
                  ".textContent === '15'", what="the table to show the correction")
    page.screenshot(screenshots / "correction.png")
    # The API (and so the exports) see it too.
    body = page.eval(f"fetch('/api/events/{eid}').then(r => r.json())")
    assert body["event"]["fatalities"] == 15
    assert body["corrections"][-1]["author"] == "Test Analyst"
    # Reject it: it leaves the default list.
    page.click("#reject-event")
    page.wait_for("document.querySelector('#detail .badge.rejected') !== null",
                  what="rejected badge")
    page.wait_for(f"document.querySelector(\"#events tr[data-id='{eid}']\") === null",
                  what="the rejected event to leave the table")
    page.click("#reject-event")  # restore
    page.wait_for(f"document.querySelector(\"#events tr[data-id='{eid}']\") !== null",
                  what="the restored event")
    _assert_clean(page)


def test_hostile_article_runs_no_script(page: Page, server: str, screenshots: Path) -> None:
    eid = webcorpus.event_id("hostile-1")
    # The dashboard with the hostile event selected: map tooltip, table, event view.
    _open_dashboard(page, server, f"?event={eid}")
    page.wait_for("document.querySelector('#detail mark.ev') !== null", what="evidence")
    text = page.eval("document.querySelector('#detail .article-text').textContent")
    assert "<script>window.__pwned = 1;" in text  # shown as text, not run
    assert page.eval("document.querySelectorAll('#detail script, #detail img, #detail svg, "
                     "#events img, #events script').length") == 0
    assert page.eval("[...document.querySelectorAll('#detail a')]"
                     ".every(a => !a.href.startsWith('javascript:'))")
    assert page.eval(
        f"document.querySelector(\"#events tr[data-id='{eid}']\").children[3].textContent"
    ) == "<script>window.__pwned=7</script>"
    page.screenshot(screenshots / "hostile.png")
    _assert_clean(page)
    # Its own page, and its JSON twin, served with the CSP.
    page.navigate(f"{server}/events/{eid}")
    page.wait_for("document.documentElement.dataset.state === 'ready'", what="event page")
    assert page.eval("document.querySelectorAll('#detail mark.ev').length") >= 3
    # Hover every highlight and link: no handler from the article may fire.
    for sel in ("#detail mark.ev", "#detail .sources li"):
        page.click(sel)
    page.browser.pump(0.3)
    _assert_clean(page)
    twin = page.eval(f"fetch('/events/{eid}.json').then(r => r.json())")
    assert twin["event"]["event_id"] == eid
    headers = page.eval(
        f"fetch('/events/{eid}').then(r => Object.fromEntries(r.headers.entries()))")
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert json.loads(json.dumps(headers))["link"].startswith(f"</events/{eid}.json>")
