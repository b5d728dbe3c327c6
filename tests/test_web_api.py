"""The HTTP API, called in-process through httpx's ASGI transport over a synthetic store."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import webcorpus  # noqa: E402
from webcorpus import Client  # noqa: E402

from eventscope.store import Store  # noqa: E402
from eventscope.web import create_app  # noqa: E402

TOKEN = "s3cret-token"


@pytest.fixture
def store() -> Store:
    s = Store.open(":memory:")
    webcorpus.fill(s)
    return s


@pytest.fixture
def client(store: Store) -> Client:
    return Client(create_app(store, token=TOKEN))


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


MALI_1 = webcorpus.event_id("mali-1")


# ------------------------------------------------------------------------------ listing
def test_event_list_pages_with_total_and_next(client: Client) -> None:
    r = client.get("/api/events", params={"limit": 4})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(webcorpus.SPECS)
    assert len(body["events"]) == 4
    dates = [e["event_date"] for e in body["events"]]
    assert dates == sorted(dates, reverse=True)  # newest first by default
    seen = {e["event_id"] for e in body["events"]}
    while body["next"]:
        body = client.get(body["next"]).json()
        seen |= {e["event_id"] for e in body["events"]}
    assert len(seen) == len(webcorpus.SPECS)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "Mali"}, {"mali-1", "mali-2"}),
        ({"country": "ng"}, {"nigeria-1", "nigeria-2"}),  # ISO code, any case
        ({"admin1": "zamfara"}, {"nigeria-1"}),
        ({"since": "2023-08-01", "until": "2023-09-30"}, {"ukraine-1", "india-1"}),
        ({"event_type": "Battles"}, {"mali-1", "colombia-1", "sudan-1"}),
        ({"sub_event_type": "Air/drone strike"}, {"syria-1"}),
        ({"actor": "jnim"}, {"mali-1"}),
        ({"min_fatalities": 9}, {"mali-1", "syria-1", "sudan-1"}),
        ({"q": "market"}, {"syria-1"}),  # article text
        ({"q": "Popayan"}, {"colombia-1"}),  # location
        ({"bbox": "-10,10,10,20"}, {"mali-1", "mali-2", "nigeria-1"}),
        ({"bbox": "30,45,40,55"}, {"ukraine-1"}),
        ({"country": "Mali", "min_fatalities": 5}, {"mali-1"}),
    ],
)
def test_filters(client: Client, params: dict[str, Any], expected: set[str]) -> None:
    body = client.get("/api/events", params=params).json()
    assert {e["doc_id"] for e in body["events"]} == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2023-13-01"},
        {"since": "2023-05-01", "until": "2023-01-01"},
        {"bbox": "1,2,3"},
        {"bbox": "0,95,10,96"},
        {"bbox": "1,2,3,4;DROP TABLE events"},
        {"min_fatalities": -1},
        {"limit": 0},
        {"limit": 5000},
        {"event_type": "Picnics"},
        {"sort": "text; DROP TABLE events"},
        {"order": "sideways"},
    ],
)
def test_bad_parameters_are_422(client: Client, store: Store, params: dict[str, Any]) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 422, r.text
    assert "DROP" not in r.text  # the input is not echoed back
    assert store.counts()["events"] == len(webcorpus.SPECS)


def test_like_wildcards_in_text_are_literal(client: Client) -> None:
    assert client.get("/api/events", params={"q": "%"}).json()["total"] == 0
    assert client.get("/api/events", params={"actor": "_"}).json()["total"] == 0


def test_sorting(client: Client) -> None:
    body = client.get("/api/events", params={"sort": "fatalities", "order": "asc"}).json()
    fat = [e["fatalities"] for e in body["events"]]
    assert fat == sorted(fat)


def test_event_detail_has_evidence_sources_and_text(client: Client) -> None:
    r = client.get(f"/api/events/{MALI_1}")
    assert r.status_code == 200
    d = r.json()
    spec = next(s for s in webcorpus.SPECS if s.doc_id == "mali-1")
    assert d["event"]["event_id"] == MALI_1
    assert d["text"] == spec.text
    assert {(e["field"], e["text"]) for e in d["evidence"]} == {
        ("trigger", "attacked"), ("location", "Gao"), ("event_date", "Friday")}
    for e in d["evidence"]:
        assert d["text"][e["start"]:e["end"]] == e["text"]
    assert d["sources"][0]["url"] == spec.url
    assert d["sources"][0]["doc_id"] == "mali-1"
    assert d["places"][0]["text"] == "Gao"
    assert d["corrections"] == []
    assert d["event"]["notes"] == spec.text  # the sentence the event came from


def test_unknown_event_is_404(client: Client) -> None:
    assert client.get("/api/events/ev-nope").status_code == 404
    assert client.get("/events/ev-nope").status_code == 404


def test_timeline_by_month_and_week(client: Client) -> None:
    body = client.get("/api/stats/timeline", params={"interval": "month"}).json()
    periods = body["periods"]
    assert periods[0]["period"] == "2023-01-01" and periods[-1]["period"] == "2023-10-01"
    assert len(periods) == 10
    assert sum(p["events"] for p in periods) == len(webcorpus.SPECS)
    assert sum(p["fatalities"] for p in periods) == sum(s.fatalities for s in webcorpus.SPECS)
    weeks = client.get("/api/stats/timeline",
                       params={"interval": "week", "country": "Mali"}).json()["periods"]
    assert weeks[0]["period"] == "2023-02-06"  # ISO weeks start on Monday
    assert sum(w["events"] for w in weeks) == 2
    assert any(w["events"] == 0 for w in weeks)  # gaps are filled, so the axis is even
    assert client.get("/api/stats/timeline", params={"interval": "decade"}).status_code == 422


def test_counts_by_country_and_type(client: Client) -> None:
    body = client.get("/api/stats/by", params={"dimension": "country"}).json()
    top = {g["key"]: g for g in body["groups"]}
    assert top["Mali"]["events"] == 2 and top["Mali"]["fatalities"] == 15
    assert body["groups"][0]["events"] == 2
    types = client.get("/api/stats/by", params={"dimension": "event_type"}).json()["groups"]
    assert {g["key"] for g in types} >= {"Battles", "Protests", "Riots"}
    assert client.get("/api/stats/by", params={"dimension": "text"}).status_code == 422


def test_map_clusters_by_grid(client: Client) -> None:
    fine = client.get("/api/map", params={"cell": 0.1}).json()["cells"]
    assert len(fine) == len(webcorpus.SPECS)  # every event alone at a fine grid
    coarse = client.get("/api/map", params={"cell": 45}).json()["cells"]
    assert len(coarse) < len(fine)
    assert sum(c["events"] for c in coarse) == len(webcorpus.SPECS)
    mali = client.get("/api/map", params={"cell": 20, "country": "Mali"}).json()["cells"]
    assert mali == [{"latitude": pytest.approx(15.378, abs=1e-3),
                     "longitude": pytest.approx(-2.11385, abs=1e-3), "events": 2,
                     "fatalities": 15, "event_id": MALI_1, "event_type": "Battles"}]


def test_csv_export_has_acled_columns(client: Client) -> None:
    r = client.get("/api/events.csv", params={"country": "Mali"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["event_id_cnty"] for row in rows} == {MALI_1, webcorpus.event_id("mali-2")}
    row = next(x for x in rows if x["event_id_cnty"] == MALI_1)
    assert row["iso"] == "466" and row["fatalities"] == "12"
    assert row["notes"].startswith("Militants attacked")
    assert row["source"] == "news.example.org"  # the outlet, as ACLED names sources


def test_geojson_export(client: Client) -> None:
    r = client.get("/api/events.geojson", params={"event_type": "Riots"})
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    (f,) = fc["features"]
    assert f["geometry"] == {"type": "Point", "coordinates": [93.9368, 24.817]}
    assert f["properties"]["location"] == "Imphal"


def test_facets_and_fields(client: Client) -> None:
    f = client.get("/api/facets").json()
    assert f["total"] == len(webcorpus.SPECS)
    assert f["first_date"] == "2023-01-15" and f["last_date"] == "2023-10-08"
    assert {c["value"] for c in f["countries"]} >= {"Mali", "Kenya", "Sudan"}
    fields = {x["name"]: x for x in client.get("/api/fields").json()}
    assert "Battles" in fields["event_type"]["choices"]
    assert len(fields["sub_event_type"]["choices"]) == 25
    assert fields["fatalities"]["nullable"] is False


def test_openapi_describes_every_route(client: Client) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    for p in ("/api/events", "/api/events.csv", "/api/events.geojson",
              "/api/events/{event_id}", "/api/events/{event_id}/corrections",
              "/api/stats/timeline", "/api/stats/by", "/api/map"):
        assert p in paths
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert params >= {"since", "until", "country", "admin1", "bbox", "event_type",
                      "sub_event_type", "actor", "min_fatalities", "q", "limit", "offset"}


def test_pages_have_json_twins(client: Client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'rel="alternate"' in r.headers["link"] and "/api/events" in r.headers["link"]
    assert '<link rel="alternate" type="application/json" href="/api/events">' in r.text
    r = client.get(f"/events/{MALI_1}")
    assert r.status_code == 200
    assert r.headers["link"].startswith(f"</events/{MALI_1}.json>")
    twin = client.get(f"/events/{MALI_1}.json").json()
    assert twin == client.get(f"/api/events/{MALI_1}").json()


# ------------------------------------------------------------------------------ corrections
def test_correction_shows_in_list_detail_and_exports(client: Client) -> None:
    r = client.post(f"/api/events/{MALI_1}/corrections", headers=auth(),
                    json={"field": "fatalities", "value": "15", "author": "Ana",
                          "note": "hospital figures"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["event"]["fatalities"] == 15
    assert body["correction"]["author"] == "Ana" and body["correction"]["created_at"]
    d = client.get(f"/api/events/{MALI_1}").json()
    assert d["event"]["fatalities"] == 15
    assert d["event"]["corrected_fields"] == ["fatalities"]
    assert d["machine"] == {"fatalities": 12}
    assert [c["note"] for c in d["corrections"]] == ["hospital figures"]
    # Filters see the corrected value.
    assert client.get("/api/events",
                      params={"min_fatalities": 13, "country": "Mali"}).json()["total"] == 1
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").text)))
    row = next(x for x in rows if x["event_id_cnty"] == MALI_1)
    assert row["fatalities"] == "15" and row["corrected_fields"] == "fatalities"
    timeline = client.get("/api/stats/timeline", params={"country": "Mali"}).json()
    assert timeline["periods"][0]["fatalities"] == 15


def test_reject_hides_and_restore_shows(client: Client) -> None:
    r = client.post(f"/api/events/{MALI_1}/corrections", headers=auth(),
                    json={"reject": True, "author": "Ana", "note": "duplicate report"})
    assert r.status_code == 201 and r.json()["event"]["rejected"] is True
    listed = client.get("/api/events", params={"country": "Mali"}).json()
    assert [e["doc_id"] for e in listed["events"]] == ["mali-2"]
    both = client.get("/api/events", params={"country": "Mali",
                                             "include_rejected": "true"}).json()
    assert both["total"] == 2
    assert client.get(f"/api/events/{MALI_1}").json()["event"]["rejected"] is True
    assert "ev-" in client.get("/api/events.csv").text
    assert MALI_1 not in client.get("/api/events.csv").text
    client.post(f"/api/events/{MALI_1}/corrections", headers=auth(),
                json={"reject": False, "author": "Ben"})
    assert client.get("/api/events", params={"country": "Mali"}).json()["total"] == 2
    actions = [c["action"] for c in client.get(f"/api/events/{MALI_1}/corrections").json()]
    assert actions == ["reject", "restore"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"field": "event_type", "value": "Picnic", "author": "A"}, "not a valid event_type"),
        ({"field": "event_date", "value": "last Tuesday", "author": "A"}, "not a date"),
        ({"field": "fatalities", "value": -3, "author": "A"}, "at least 0"),
        ({"field": "fatalities", "value": None, "author": "A"}, "cannot be empty"),
        ({"field": "latitude", "value": 123, "author": "A"}, "at most 90"),
        ({"field": "event_id", "value": "x", "author": "A"}, "not a field"),
        ({"field": "fatalities", "value": 3, "author": "  "}, "needs an author"),
        ({"author": "A"}, "send a field"),
        ({"field": "fatalities", "value": 3, "reject": True, "author": "A"}, "not both"),
    ],
)
def test_invalid_corrections_are_refused(client: Client, store: Store,
                                         payload: dict[str, Any], message: str) -> None:
    r = client.post(f"/api/events/{MALI_1}/corrections", headers=auth(), json=payload)
    assert r.status_code == 422, r.text
    assert message in r.text
    assert store.counts()["corrections"] == 0


def test_correction_of_unknown_event_is_404(client: Client) -> None:
    r = client.post("/api/events/ev-nope/corrections", headers=auth(),
                    json={"field": "fatalities", "value": 1, "author": "A"})
    assert r.status_code == 404


# ------------------------------------------------------------------------------ serve()
def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    from eventscope.errors import StoreError
    from eventscope.web import serve

    with pytest.raises(StoreError, match="eventscope ingest"):
        serve(db=tmp_path / "none.duckdb")


def test_serve_takes_tokens_from_environment_and_guards_host(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from eventscope.web import serve

    db = tmp_path / "x.duckdb"
    with Store.open(db) as s:
        webcorpus.fill(s)
    seen: dict[str, Any] = {}

    def fake_run(server: Any, sockets: Any = None) -> None:  # the blocking server loop
        app = server.config.app
        host, port = sockets[0].getsockname()[:2]
        seen.update(host=host, port=port, app=app)
        client = Client(app)
        seen["post"] = client.post(f"/api/events/{MALI_1}/corrections",
                                   json={"reject": True, "author": "A"},
                                   headers={"X-Eventscope-Token": "from-env"}).status_code
        seen["evil_host"] = client.get("/api/events",
                                       headers={"Host": "evil.example"}).status_code

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    monkeypatch.setenv("EVENTSCOPE_TOKEN", "from-env")
    port = _free_port()
    serve(db=db, port=port)
    assert seen["host"] == "127.0.0.1" and seen["port"] == port
    assert seen["post"] == 201
    assert seen["evil_host"] == 400


def test_correction_audit_log(client: Client) -> None:
    client.post(f"/api/events/{MALI_1}/corrections", headers=auth(),
                json={"field": "location", "value": "Gao town", "author": "Ana"})
    log = client.get("/api/corrections").json()
    assert log["total"] == 1
    entry = log["corrections"][0]
    assert entry["author"] == "Ana" and entry["field"] == "location"
    assert entry["orphaned"] is False
    assert client.get("/api/corrections", params={"orphaned": "true"}).json()["total"] == 0
