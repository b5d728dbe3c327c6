"""The JSON API under ``/api`` (described at ``/api/openapi.json``).

Every route reads through :mod:`eventscope.query`, so it sees analysts' corrections and
hides rejected events unless ``include_rejected=true``. Query parameters are typed and
bounded here (FastAPI answers 422 on bad input); the SQL behind them has only ``?`` parameters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from .. import corrections as corr
from .. import crossreport, export, query
from ..errors import ConfigError
from ..records import ACLED_EVENT_TYPES
from ..store import Store
from .security import request_token, same_token

router = APIRouter(prefix="/api")

MAX_PAGE = 1000
MAX_EXPORT = 1_000_000
#: Deepest page: beyond it an offset is a mistake (or an attack), answered with 422 before
#: any query (an offset past 64 bits was a 500).
MAX_OFFSET = 10_000_000


# --------------------------------------------------------------------------- dependencies
def get_store(request: Request) -> Iterator[Store]:
    """The store for this request: reads share the server's connection, or open the file for
    the request while an ingest writes to it; writes take the file for the request
    (:class:`eventscope.live.LiveStore`)."""
    stores = request.app.state.store
    with stores.reader() if request.method in ("GET", "HEAD") else stores.writer() as store:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or value == "":
        return None
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as exc:
        raise HTTPException(422, "bbox must be four numbers: west,south,east,north") from exc
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(
            422, "bbox out of range: longitudes in -180..180, latitudes in -90..90, south <= north"
        )
    return west, south, east, north


def _event_type(value: str | None) -> str | None:
    """The ACLED type named (any case, trimmed): the CLI's ``--type`` check, as a 422."""
    try:
        return query.event_type(value)
    except ConfigError as exc:
        raise HTTPException(
            422, f"unknown event_type {value!r}; choose one of {', '.join(ACLED_EVENT_TYPES)}"
        ) from exc


def event_filter(
    since: Annotated[date | None, Query(description="events on or after (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="events on or before (YYYY-MM-DD)")] = None,
    country: Annotated[str | None, Query(max_length=100,
                                         description="country name, ISO alpha-2 or alpha-3 "
                                         "(Nigeria, NG, NGA; any case)")] = None,
    admin1: Annotated[str | None, Query(max_length=200)] = None,
    bbox: Annotated[str | None, Query(max_length=100, description="west,south,east,north",
                                      pattern=r"^[-+0-9.eE]+(,[-+0-9.eE]+){3}$")] = None,
    event_type: Annotated[str | None, Query(max_length=100,
                                            description="ACLED event type")] = None,
    sub_event_type: Annotated[str | None, Query(max_length=100)] = None,
    actor: Annotated[str | None, Query(max_length=200,
                                       description="text in actor1, actor2 or associates")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    q: Annotated[str | None, Query(max_length=200, description="text in the article, its "
                                   "title, an actor or the location")] = None,
    include_rejected: Annotated[bool, Query(description="also list events an analyst "
                                            "rejected")] = False,
    origin: Annotated[Literal["machine", "acled"] | None,
                      Query(description="machine (coded by eventscope) or acled "
                            "(imported)")] = None,
) -> query.EventFilter:
    if since and until and since > until:
        raise HTTPException(422, "since is after until")
    return query.EventFilter(
        since=since, until=until, country=country or None, admin1=admin1 or None,
        event_type=_event_type(event_type), sub_event_type=sub_event_type or None,
        actor=actor or None, min_fatalities=min_fatalities, bbox=_bbox(bbox), text=q or None,
        include_rejected=include_rejected, origin=origin,
    )


FilterDep = Annotated[query.EventFilter, Depends(event_filter)]
SortParam = Annotated[Literal[query.SORTABLE], Query(description="sort column")]  # type: ignore[valid-type]
OrderParam = Annotated[Literal["asc", "desc"], Query()]


def require_write(request: Request) -> None:
    """Writes need the server's token; with none configured they are refused."""
    expected: str | None = request.app.state.token
    if expected is None:
        raise HTTPException(
            403,
            "writes are disabled on this server: restart it with `eventscope serve --token "
            "TOKEN` (or set EVENTSCOPE_TOKEN) and send the token as `Authorization: Bearer "
            "TOKEN` or `X-Eventscope-Token: TOKEN`",
        )
    if not same_token(request_token(request), expected):
        raise HTTPException(401, "wrong or missing token for writes",
                            headers={"WWW-Authenticate": "Bearer"})


# --------------------------------------------------------------------------- models
class EventOut(BaseModel):
    """One event as the analyst sees it (corrections applied)."""

    event_id: str
    article_id: str
    event_type: str | None = None
    sub_event_type: str | None = None
    plover: str | None = None
    event_date: str | None = None
    date_precision: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    actor1_type: str | None = None
    actor2_type: str | None = None
    assoc_actor_1: list[str] = []
    assoc_actor_2: list[str] = []
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    geo_precision: int | None = None
    fatalities: int = 0
    injuries: int | None = None
    confidence: float | None = None
    trigger: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    pipeline_version: str | None = None
    rejected: bool = False
    corrected_fields: list[str] = []
    doc_id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    notes: str | None = Field(None, description="the sentence the event was coded from")
    origin: str = Field("machine", description="'machine' (coded by eventscope) or 'acled' "
                        "(imported from an ACLED export)")
    source_count: int = Field(1, description="how many articles report the event")
    source: str | None = Field(None, description="the outlets that reported it")
    acled_link: str | None = Field(None, description="the imported ACLED event it matches")
    # ACLED's own columns: imported events carry them; machine-coded ones leave them empty
    event_id_cnty: str | None = None
    disorder_type: str | None = None
    civilian_targeting: str | None = None
    region: str | None = None
    admin3: str | None = None
    source_scale: str | None = None
    tags: str | None = None
    acled_timestamp: int | None = None
    ingested_epoch: int | None = Field(None, description="when its article was stored (Unix)")


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[EventOut]
    next: str | None = Field(None, description="URL of the next page, null on the last")


class EvidenceOut(BaseModel):
    field: str
    start: int
    end: int
    text: str = Field(description="the span's text")


class SourceOut(BaseModel):
    article_id: str
    doc_id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    ingested_at: str | None = None


class PlaceOut(BaseModel):
    start: int
    end: int
    text: str | None = None
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    feature_code: str | None = None


class CorrectionOut(BaseModel):
    correction_id: str
    event_id: str
    action: Literal["correct", "reject", "restore"]
    field: str | None
    value: Any = None
    rejected: bool
    author: str
    note: str | None
    created_at: str


class EventDetail(BaseModel):
    event: EventOut
    machine: dict[str, Any] = Field(description="the machine's values of corrected fields")
    evidence: list[EvidenceOut]
    sources: list[SourceOut]
    text: str = Field(description="the article text that evidence offsets index into")
    places: list[PlaceOut]
    corrections: list[CorrectionOut]
    reports: list[dict[str, Any]] = Field(
        [], description="every article reporting the event: its URL, outlet, own date and "
        "figures, and evidence spans (offsets into that article)")


class Period(BaseModel):
    period: str
    events: int
    fatalities: int


class Timeline(BaseModel):
    interval: str
    periods: list[Period]


class Group(BaseModel):
    key: str | None
    events: int
    fatalities: int


class Groups(BaseModel):
    dimension: str
    groups: list[Group]


class MapCell(BaseModel):
    latitude: float
    longitude: float
    events: int
    fatalities: int
    event_id: str = Field(description="the cell's deadliest event")
    event_type: str | None


class MapCells(BaseModel):
    cell: float | None
    cells: list[MapCell]


class FieldOut(BaseModel):
    name: str
    kind: str
    nullable: bool
    choices: list[str] = []
    minimum: float | None = None
    maximum: float | None = None


class CorrectionIn(BaseModel):
    """A correction of one field, or a rejection (``reject: true``) or restoration."""

    field: str | None = Field(None, max_length=50, description="event field to correct")
    value: Any = Field(None, description="the new value (null for unknown where allowed)")
    reject: bool | None = Field(None, description="true rejects the event, false restores it")
    author: str = Field(min_length=1, max_length=corr.MAX_AUTHOR)
    note: str | None = Field(None, max_length=corr.MAX_NOTE)


class CorrectionResult(BaseModel):
    correction: CorrectionOut
    event: EventOut


# --------------------------------------------------------------------------- routes
@router.get("/events", response_model=EventPage, summary="List events")
def list_events(
    request: Request, store: StoreDep, flt: FilterDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    sort: SortParam = "event_date",
    order: OrderParam = "desc",
) -> dict[str, Any]:
    """Events matching the filters, one page at a time, with the total count."""
    total, rows = query.query_page(store, flt, limit=limit, offset=offset, sort=sort,
                                   descending=order == "desc")
    nxt = None
    if offset + limit < total:
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {"total": total, "limit": limit, "offset": offset, "events": rows, "next": nxt}


def _export_rows(store: Store, flt: query.EventFilter, limit: int | None, sort: str,
                 order: str) -> list[dict[str, Any]]:
    return query.query_events(store, flt, limit=limit, sort=sort, descending=order == "desc")


@router.get("/events.csv", summary="Events as CSV (ACLED columns)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def events_csv(store: StoreDep, flt: FilterDep,
               limit: Annotated[int | None, Query(ge=1, le=MAX_EXPORT)] = None,
               sort: SortParam = "event_date", order: OrderParam = "desc") -> Response:
    rows = _export_rows(store, flt, limit, sort, order)
    return Response(export.to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="events.csv"'})


@router.get("/events.geojson", summary="Events as GeoJSON",
            response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
def events_geojson(store: StoreDep, flt: FilterDep,
                   limit: Annotated[int | None, Query(ge=1, le=MAX_EXPORT)] = None,
                   sort: SortParam = "event_date", order: OrderParam = "desc") -> Response:
    rows = _export_rows(store, flt, limit, sort, order)
    body = json.dumps(export.to_geojson(rows), ensure_ascii=False, default=str)
    return Response(body, media_type="application/geo+json",
                    headers={"Content-Disposition": 'attachment; filename="events.geojson"'})


EventId = Annotated[str, Query(min_length=1, max_length=200)]


def event_detail(store: Store, event_id: str) -> dict[str, Any]:
    """An event with its evidence (and each span's text), sources, places and corrections."""
    ev = query.get_event(store, event_id)
    if ev is None:
        raise HTTPException(404, f"no event {event_id!r}")
    article = store.article(ev["article_id"]) or {}
    text = article.get("text") or ""
    evidence = [
        {**e, "text": text[e["start"]:e["end"]]}
        for e in store.evidence_for(event_id)
        if 0 <= e["start"] <= e["end"] <= len(text)
    ]
    place_rows = store.con.execute(
        'SELECT "start", "end", text, name, latitude, longitude, country_code, admin1, '
        'feature_code FROM places WHERE article_id = ? ORDER BY idx', [ev["article_id"]]
    ).fetchall()
    keys = ("start", "end", "text", "name", "latitude", "longitude", "country_code", "admin1",
            "feature_code")
    places = [dict(zip(keys, r, strict=True)) for r in place_rows]
    source = {k: article.get(k) for k in ("doc_id", "title", "url", "published", "source",
                                           "ingested_at")}
    return {
        "event": ev,
        "machine": corr.machine_values(store, event_id, ev.get("corrected_fields") or []),
        "evidence": evidence,
        "sources": [{"article_id": ev["article_id"], **source}] if article else [],
        "text": text,
        "places": places,
        "corrections": [c.to_dict() for c in corr.history(store, event_id)],
        "reports": crossreport.reports_of(store, ev["event_id"]),
    }


@router.get("/events/{event_id}", response_model=EventDetail, summary="One event")
def get_event(event_id: str, store: StoreDep) -> dict[str, Any]:
    """The event with its evidence spans, sources, article text and corrections history."""
    return event_detail(store, event_id)


@router.post("/events/{event_id}/corrections", response_model=CorrectionResult,
             status_code=201, dependencies=[Depends(require_write)],
             summary="Correct a field, reject or restore an event")
def post_correction(event_id: str, store: StoreDep,
                    body: Annotated[CorrectionIn, Body()]) -> dict[str, Any]:
    """Store an analyst's correction (needs the write token); answers with the new event."""
    try:
        if body.field is not None and body.reject is not None:
            raise ConfigError("send either a field and value, or reject, not both")
        if body.field is not None:
            c = corr.correct(store, event_id, body.field, body.value, author=body.author,
                             note=body.note)
        elif body.reject is not None:
            c = corr.set_rejected(store, event_id, body.reject, author=body.author,
                                  note=body.note)
        else:
            raise ConfigError("send a field and value to correct, or reject: true|false")
    except LookupError as exc:
        raise HTTPException(404, f"no event {event_id!r}") from exc
    ev = query.get_event(store, event_id)
    return {"correction": c.to_dict(), "event": ev}


class SplitIn(BaseModel):
    report_ids: list[str] = Field(min_length=1, max_length=1000,
                                  description="reports to take out into an event of their own")
    author: str = Field(min_length=1, max_length=corr.MAX_AUTHOR)
    note: str | None = Field(None, max_length=corr.MAX_NOTE)


class MergeIn(BaseModel):
    event_ids: list[str] = Field(min_length=2, max_length=100)
    author: str = Field(min_length=1, max_length=corr.MAX_AUTHOR)
    note: str | None = Field(None, max_length=corr.MAX_NOTE)


@router.post("/events/{event_id}/split", status_code=201,
             dependencies=[Depends(require_write)],
             summary="Split reports off a merged event (survives re-extraction)")
def post_split(event_id: str, store: StoreDep, body: Annotated[SplitIn, Body()]
               ) -> dict[str, Any]:
    try:
        ids = crossreport.split_event(store, event_id, body.report_ids, author=body.author,
                                      note=body.note)
    except LookupError as exc:
        raise HTTPException(404, f"no event {event_id!r}") from exc
    return {"events": ids}


@router.post("/events/merge", status_code=201, dependencies=[Depends(require_write)],
             summary="Merge events into one (survives re-extraction)")
def post_merge(store: StoreDep, body: Annotated[MergeIn, Body()]) -> dict[str, Any]:
    try:
        eid = crossreport.merge_events(store, body.event_ids, author=body.author,
                                       note=body.note)
    except LookupError as exc:
        raise HTTPException(404, f"no event {exc.args[0]!r}") from exc
    return {"event": eid}


@router.get("/events/{event_id}/corrections", response_model=list[CorrectionOut],
            summary="Corrections history of an event")
def list_corrections(event_id: str, store: StoreDep) -> list[dict[str, Any]]:
    return [c.to_dict() for c in corr.history(store, event_id)]


class CorrectionLogEntry(CorrectionOut):
    orphaned: bool = Field(description="its event id no longer exists (re-extracted with a "
                                       "new pipeline version): the correction does not apply")


class CorrectionLog(BaseModel):
    total: int
    corrections: list[CorrectionLogEntry]


@router.get("/corrections", response_model=CorrectionLog, summary="Audit log of corrections")
def correction_log(store: StoreDep,
                   limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
                   offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
                   orphaned: Annotated[bool, Query(description="only corrections whose event "
                                                   "is gone")] = False) -> dict[str, Any]:
    """Every analyst's correction, newest first, with who made it and when."""
    total, rows = corr.all_corrections(store, limit=limit, offset=offset, orphaned_only=orphaned)
    return {"total": total, "corrections": rows}


@router.get("/stats/timeline", response_model=Timeline, summary="Counts over time")
def stats_timeline(store: StoreDep, flt: FilterDep,
                   interval: Annotated[Literal["day", "week", "month", "year"],
                                       Query()] = "month") -> dict[str, Any]:
    """Events and fatalities per week or month (periods with none inside the range are 0)."""
    return {"interval": interval, "periods": query.timeline(store, flt, interval=interval)}


@router.get("/stats/by", response_model=Groups, summary="Counts by country, type, ...")
def stats_by(store: StoreDep, flt: FilterDep,
             dimension: Annotated[Literal[query.DIMENSIONS], Query()] = "country",  # type: ignore[valid-type]
             limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
    return {"dimension": dimension,
            "groups": query.counts_by(store, flt, dimension=dimension, limit=limit)}


@router.get("/map", response_model=MapCells, summary="Events for the map, clustered")
def map_points(store: StoreDep, flt: FilterDep,
               cell: Annotated[float | None, Query(gt=0, le=90, description="grid size in "
                                                   "degrees; omit for one point per event")] = None,
               limit: Annotated[int, Query(ge=1, le=20000)] = 5000) -> dict[str, Any]:
    """Grid clusters (count, fatalities, mean position) of the events with coordinates."""
    return {"cell": cell, "cells": query.map_cells(store, flt, cell=cell, limit=limit)}


@router.get("/facets", summary="What the filters can choose from")
def get_facets(store: StoreDep) -> dict[str, Any]:
    return query.facets(store)


@router.get("/fields", response_model=list[FieldOut], summary="Fields an analyst can correct")
def get_fields() -> list[dict[str, Any]]:
    return [s.to_dict() for s in corr.field_specs()]


@router.get("", summary="Index of the API")
def api_index(request: Request) -> dict[str, Any]:
    """The routes of this API (the JSON twin of the OpenAPI page), read from the OpenAPI
    description itself: the app's route objects differ between FastAPI versions (on 0.165
    only the spec's own route was left in ``app.routes`` with a path and methods)."""
    spec = request.app.openapi()
    routes = []
    for path, ops in sorted(spec.get("paths", {}).items()):
        methods = sorted(m.upper() for m in ops if m in _HTTP_METHODS)
        if not methods:
            continue
        summary = next((ops[m].get("summary") for m in ops if m in _HTTP_METHODS), None)
        routes.append({"path": path, "methods": methods, "summary": summary})
    return {"openapi": request.app.openapi_url, "routes": routes,
            "writes": request.app.state.token is not None}


# --------------------------------------------------------------------------- trends, alerts
class TrendPeriod(BaseModel):
    period: str = Field(description="ISO week (2015-W03) or month (2015-01)")
    start: str
    end: str


class TrendChange(BaseModel):
    last: int = Field(description="events in the last period")
    baseline_mean: float = Field(description="mean of up to 8 periods before it")
    ratio: float = Field(description="(last + 0.5) / (baseline_mean + 0.5)")


class TrendSurge(BaseModel):
    index: int = Field(description="position of the period in `periods`")
    period: str
    measure: Literal["events", "fatalities"]
    observed: int
    expected: float
    p_value: float


class TrendSeries(BaseModel):
    key: str
    country: str | None = None
    country_code: str | None = None
    iso_numeric: str | None = Field(None, description="ISO 3166 numeric code (by=country)")
    events: list[int]
    fatalities: list[int]
    total_events: int
    total_fatalities: int
    change: TrendChange | None = None
    surges: list[TrendSurge] = Field([], description="periods improbably high against the "
                                     "8 before them (the default test of `eventscope alerts`)")


class TrendsOut(BaseModel):
    by: str
    every: str
    periods: list[TrendPeriod]
    left_out: int = Field(description="events dated too coarsely for the period length")
    series: list[TrendSeries]


class AlertOut(BaseModel):
    id: str
    rule: str
    by: str
    every: str
    key: str
    country: str | None = None
    country_code: str | None = None
    period: str
    start: str
    end: str
    measure: Literal["events", "fatalities"]
    observed: int
    expected: float = Field(description="the trailing baseline's mean")
    ratio: float
    p_value: float
    test: Literal["poisson", "negative-binomial"]
    baseline_periods: int
    title: str
    query: str = Field(description="dashboard filters that show the surge's events")


class AlertsOut(BaseModel):
    rules: list[str]
    total: int
    alerts: list[AlertOut]


def alert_rules(request: Request) -> list[Any]:
    """The server's alert rules: loaded (and validated) once, the shipped file by default."""
    from .. import alerts

    rules = getattr(request.app.state, "alert_rules", None)
    if rules is None:
        rules = alerts.load_rules(getattr(request.app.state, "alert_rules_path", None))
        request.app.state.alert_rules = rules
    return list(rules)


@router.get("/trends", response_model=TrendsOut, summary="Series per week or month, by group")
def get_trends(
    store: StoreDep, flt: FilterDep,
    by: Annotated[Literal["country", "admin1", "actor", "event_type"], Query()] = "country",
    every: Annotated[Literal["week", "month"], Query()] = "month",
    origin: Annotated[Literal["machine", "acled"] | None,
                      Query(description="machine-coded or imported ACLED events")] = None,
    top: Annotated[int, Query(ge=1, le=500, description="the groups with most events")] = 50,
) -> dict[str, Any]:
    """Events and fatalities per period for each group (zeros included), largest first."""
    from .. import trends

    t = trends.series(store, flt, by=by, every=every, origin=origin, top=top)
    return t.to_dict(surge_test=trends.SurgeTest())


AlertLast = Annotated[int | None, Query(ge=1, le=1000, description="only surges in each "
                                        "rule's last N periods")]


@router.get("/alerts", response_model=AlertsOut, summary="Surges the alert rules find")
def get_alerts(
    request: Request, store: StoreDep,
    last: AlertLast = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 200,
) -> dict[str, Any]:
    """Periods improbably high against their group's trailing baseline, newest first."""
    from .. import alerts

    rules = alert_rules(request)
    found = alerts.find_alerts(store, rules, last=last)
    return {"rules": [r.name for r in rules], "total": len(found), "alerts": found[:limit]}


feeds = APIRouter()


@feeds.get("/alerts.atom", summary="Surge alerts as an Atom feed",
           response_class=Response,
           responses={200: {"content": {"application/atom+xml": {}}}})
def alerts_atom(request: Request, store: StoreDep, last: AlertLast = None) -> Response:
    """The alerts of /api/alerts as an Atom feed (RFC 4287) a feed reader can subscribe to."""
    from .. import alerts

    found = alerts.find_alerts(store, alert_rules(request), last=last)[:MAX_PAGE]
    base = str(request.base_url)
    body = alerts.atom_feed(found, base_url=base,
                            fallback_updated=alerts.last_ingested(store))
    return Response(body, media_type="application/atom+xml; charset=utf-8")

_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
