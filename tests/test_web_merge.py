"""The API's side of cross-report merging and ACLED imports: origin filter, reports, split."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_crossreport import _first, _second  # noqa: E402
from webcorpus import Client  # noqa: E402

from eventscope.acled import import_acled  # noqa: E402
from eventscope.store import Store  # noqa: E402
from eventscope.web import create_app  # noqa: E402

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _client() -> tuple[Store, Client]:
    s = Store.open(":memory:")
    s.add_result(_first())
    s.add_result(_second())
    import_acled(s, Path(__file__).parent / "fixtures" / "acled_export_current.csv")
    return s, Client(create_app(s, token=TOKEN))


def test_origin_filter_keeps_acled_imports_apart() -> None:
    _, client = _client()
    machine = client.get("/api/events", params={"origin": "machine"}).json()
    acled = client.get("/api/events", params={"origin": "acled"}).json()
    assert machine["total"] == 1 and acled["total"] == 4
    (ev,) = machine["events"]
    assert ev["origin"] == "machine" and ev["source_count"] == 2
    assert ev["acled_link"] == "acled:NGA90001"
    assert client.get("/api/events", params={"origin": "gdelt"}).status_code == 422


def test_event_detail_lists_its_reports_and_a_split_needs_the_token() -> None:
    _, client = _client()
    eid = client.get("/api/events", params={"origin": "machine"}).json()["events"][0]["event_id"]
    detail = client.get(f"/api/events/{eid}").json()
    assert sorted(r["fatalities"] for r in detail["reports"]) == [12, 14]
    other = next(r["report_id"] for r in detail["reports"] if r["report_id"] != eid)
    body = {"report_ids": [other], "author": "ana"}
    assert client.post(f"/api/events/{eid}/split", json=body).status_code in (401, 403)
    r = client.post(f"/api/events/{eid}/split", json=body, headers=AUTH)
    assert r.status_code == 201 and len(r.json()["events"]) == 2
    assert client.get("/api/events", params={"origin": "machine"}).json()["total"] == 2
    r = client.post("/api/events/merge", json={"event_ids": r.json()["events"],
                                               "author": "ana"}, headers=AUTH)
    assert r.status_code == 201
    assert client.get("/api/events", params={"origin": "machine"}).json()["total"] == 1
