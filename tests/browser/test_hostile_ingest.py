"""End-to-end: a hostile article goes through the real `eventscope ingest` (spaCy model and
all), and the dashboard shows it without running any of its script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cdp import Chromium
from conftest import running_server

pytestmark = [pytest.mark.browser, pytest.mark.model]

HOSTILE = {
    "id": "hostile-ingest",
    "title": '<img src=x onerror="window.__pwned=11">Clashes in Nairobi</b>',
    "url": "javascript:window.__pwned=12",
    "published": "2023-03-06",
    "text": (
        "Police clashed with protesters in Nairobi on Sunday, killing two people. "
        "<script>window.__pwned = 13; document.title = 'PWNED'</script> "
        '<img src=x onerror="window.__pwned=14"> <a href="javascript:window.__pwned=15">more</a> '
        'Witnesses said <b onmouseover="window.__pwned=16">police</b> fired tear gas at the '
        "crowd in Nairobi."
    ),
}


def test_hostile_article_through_ingest_runs_nothing(tmp_path: Path, browser: Chromium,
                                                     screenshots: Path) -> None:
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = tmp_path / "hostile.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "eventscope.cli", "ingest", str(src), "--db", str(db)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr

    from eventscope.query import query_events
    from eventscope.store import Store

    with Store.open(db, read_only=True) as store:
        events = query_events(store, limit=None)
    assert events, "the pipeline found no event in the hostile article"
    eid = events[0]["event_id"]

    with running_server(db) as url:
        page = browser.new_page()
        try:
            page.navigate(f"{url}/?event={eid}")
            page.wait_for("document.querySelector('#detail .article-text') !== null",
                          what="the event view")
            text = page.eval("document.querySelector('#detail .article-text').textContent")
            assert "<script>window.__pwned = 13;" in text
            assert page.eval("document.querySelectorAll('#detail script, #detail img').length") == 0
            for sel in ("#detail .article-text", "#detail .sources li", "#events tbody tr td"):
                page.click(sel)
            page.browser.pump(0.3)
            page.screenshot(screenshots / "hostile-ingest.png")
            state = page.eval("({pwned: window.__pwned === undefined ? null : window.__pwned,"
                              " title: document.title, csp: window.__csp,"
                              " errors: window.__errors})")
            assert state == {"pwned": None, "title": "eventscope dashboard", "csp": [],
                             "errors": []}
        finally:
            page.close()
