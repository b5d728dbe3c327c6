// The dashboard: filters drive the map, the timeline and the event table together; the filter
// state lives in the page URL (shareable) and in the JSON/CSV/GeoJSON links, the page's twins.
import { el, getJSON, showNotice, slug, fmtNumber } from "./common.js";
import { MapView } from "./mapview.js";
import { drawTimeline } from "./timeline.js";
import { renderDetail } from "./detail.js";
import { TrendsPanel } from "./trends.js";

const FILTER_FIELDS = ["since", "until", "country", "admin1", "event_type", "sub_event_type",
  "actor", "min_fatalities", "q", "include_rejected"];
const PAGE = 50;

const state = { offset: 0, sort: "event_date", order: "desc", params: new URLSearchParams(),
  selected: null, loads: 0 };
let mapView = null;
let trendsPanel = null;

const form = document.getElementById("filters");
const tbody = document.querySelector("#events tbody");

function readForm() {
  const p = new URLSearchParams();
  for (const name of FILTER_FIELDS) {
    const input = form.elements[name];
    if (!input) continue;
    if (input.type === "checkbox") { if (input.checked) p.set(name, "true"); }
    else if (input.value.trim() !== "") p.set(name, input.value.trim());
  }
  if (form.elements.in_view.checked && mapView) p.set("bbox", mapView.bbox());
  return p;
}

function writeForm(p) {
  for (const name of FILTER_FIELDS) {
    const input = form.elements[name];
    if (!input) continue;
    if (input.type === "checkbox") input.checked = p.get(name) === "true";
    else input.value = p.get(name) || "";
  }
  form.elements.in_view.checked = p.has("bbox");
}

function fillSelect(select, items) {
  const current = select.value;
  select.replaceChildren(el("option", { value: "" }, "all"),
    ...items.map((i) => el("option", { value: i.value }, `${i.value} (${fmtNumber(i.events)})`)));
  select.value = current;
}

function updateLinks() {
  const qs = state.params.toString();
  const suffix = qs ? `?${qs}` : "";
  document.getElementById("link-json").href = `/api/events${suffix}`;
  document.getElementById("link-csv").href = `/api/events.csv${suffix}`;
  document.getElementById("link-geojson").href = `/api/events.geojson${suffix}`;
  const alt = document.querySelector('link[rel="alternate"]');
  if (alt) alt.href = `/api/events${suffix}`;
  const pageQs = new URLSearchParams(state.params);
  if (state.selected) pageQs.set("event", state.selected);
  history.replaceState(null, "", pageQs.toString() ? `/?${pageQs}` : "/");
}

function cell(value, cls) {
  return el("td", { class: cls || null }, value === null || value === undefined ? "" : String(value));
}

async function loadTable() {
  const q = new URLSearchParams(state.params);
  q.set("limit", String(PAGE));
  q.set("offset", String(state.offset));
  q.set("sort", state.sort);
  q.set("order", state.order);
  const page = await getJSON("/api/events", q);
  tbody.replaceChildren(...page.events.map((ev) => {
    const corrected = new Set(ev.corrected_fields || []);
    const c = (key, cls) => {
      const td = cell(Array.isArray(ev[key]) ? ev[key].join("; ") : ev[key], cls);
      if (corrected.has(key)) { td.classList.add("corrected"); td.title = "corrected by an analyst"; }
      return td;
    };
    const tr = el("tr", { class: `es-row es-t-${slug(ev.event_type)}${ev.rejected ? " rejected" : ""}`,
      dataset: { id: ev.event_id }, tabindex: "0" },
    c("event_date"), c("event_type"), c("sub_event_type"), c("actor1"), c("actor2"),
    c("location"), c("country"), c("fatalities", "num"));
    if (ev.event_id === state.selected) tr.classList.add("selected");
    tr.addEventListener("click", () => select(ev.event_id));
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter") select(ev.event_id); });
    return tr;
  }));
  const end = Math.min(page.total, state.offset + page.events.length);
  document.getElementById("page-info").textContent = page.total
    ? `${fmtNumber(state.offset + 1)}–${fmtNumber(end)} of ${fmtNumber(page.total)}` : "no events match";
  document.getElementById("prev").disabled = state.offset === 0;
  document.getElementById("next").disabled = !page.next;
  document.getElementById("summary").textContent = `${fmtNumber(page.total)} events`;
  for (const th of document.querySelectorAll("#events th")) {
    th.classList.toggle("sorted", th.dataset.sort === state.sort);
    th.dataset.order = th.dataset.sort === state.sort ? state.order : "";
  }
  return page;
}

async function loadTimeline() {
  const q = new URLSearchParams(state.params);
  const interval = document.getElementById("interval").value;
  q.set("interval", interval);
  const data = await getJSON("/api/stats/timeline", q);
  state.timeline = { periods: data.periods, interval };
  redrawTimeline();
}

function redrawTimeline() {
  if (!state.timeline) return;
  const svg = document.getElementById("timeline");
  drawTimeline(svg, state.timeline.periods, state.timeline.interval, (since, until) => {
    form.elements.since.value = since;
    form.elements.until.value = until;
    apply();
  });
}

// Clicking a group narrows the filters to it (actor groups fill the actor text filter).
const DIMENSION_FILTER = { country: "country", admin1: "admin1", event_type: "event_type",
  sub_event_type: "sub_event_type", actor1: "actor" };

async function loadCounts() {
  const dimension = document.getElementById("dimension").value;
  const q = new URLSearchParams(state.params);
  q.set("dimension", dimension);
  q.set("limit", "12");
  const data = await getJSON("/api/stats/by", q);
  const max = Math.max(1, ...data.groups.map((g) => g.events));
  document.getElementById("by").replaceChildren(...data.groups.map((g) => {
    const bar = el("span", { class: "by-bar" });
    bar.style.width = `${(100 * g.events) / max}%`; // CSSOM, allowed by the CSP
    const item = el("li", { class: "by-row", dataset: { key: g.key ?? "" }, tabindex: "0",
      title: `${g.events} events, ${g.fatalities} fatalities` },
    el("span", { class: "by-key" }, g.key ?? "(unknown)"), bar,
    el("span", { class: "by-n num" }, fmtNumber(g.events)),
    el("span", { class: "by-f num" }, `${fmtNumber(g.fatalities)} †`));
    if (g.key !== null) {
      const pick = () => { form.elements[DIMENSION_FILTER[dimension]].value = g.key; apply(); };
      item.addEventListener("click", pick);
      item.addEventListener("keydown", (e) => { if (e.key === "Enter") pick(); });
    }
    return item;
  }));
}

async function refreshAll() {
  updateLinks();
  const jobs = [loadTable(), loadTimeline(), loadCounts()];
  if (mapView) jobs.push(mapView.refresh(state.params));
  if (trendsPanel) jobs.push(trendsPanel.refresh(state.params));
  await Promise.all(jobs);
  state.loads += 1;
  document.documentElement.dataset.loads = String(state.loads);
}

async function apply() {
  state.params = readForm();
  state.offset = 0;
  showNotice("");
  try {
    await refreshAll();
  } catch (err) {
    showNotice(`Could not load events: ${err.message}`);
  }
}

async function select(eventId) {
  state.selected = eventId;
  for (const tr of tbody.querySelectorAll("tr")) tr.classList.toggle("selected", tr.dataset.id === eventId);
  const panel = document.getElementById("detail");
  try {
    const detail = await getJSON(`/api/events/${encodeURIComponent(eventId)}`);
    await renderDetail(panel, detail, {
      onChanged: () => refreshAll(),
      onClose: () => { panel.hidden = true; state.selected = null; updateLinks(); },
    });
    updateLinks();
  } catch (err) {
    showNotice(`Could not load event: ${err.message}`);
  }
}

/** A timeline interval that gives a readable number of bars for the data's date range. */
export function intervalFor(first, last) {
  if (!first || !last) return "month";
  const days = (Date.parse(last) - Date.parse(first)) / 86400000;
  if (days <= 183) return "week";
  if (days > 8 * 366) return "year";
  return "month";
}

async function init() {
  const initial = new URLSearchParams(window.location.search);
  if (typeof window.L === "undefined" || typeof window.topojson === "undefined") {
    showNotice("The map libraries are missing: run `make web-assets` (copies Leaflet and the "
      + "Natural Earth shapes from npm into the package), then reload.");
  } else {
    mapView = new MapView("map", { onSelect: select, onMove: () => {
      if (form.elements.in_view.checked) apply();
    } });
    mapView.loadCountries().catch((err) => showNotice(`Could not load country shapes: ${err.message}`));
  }
  trendsPanel = new TrendsPanel({ onPick: (filters) => {
    for (const [name, value] of Object.entries(filters)) form.elements[name].value = value;
    apply();
  } });
  trendsPanel.loadMap().catch((err) => showNotice(`Could not load the trends map: ${err.message}`));
  const facets = await getJSON("/api/facets");
  document.getElementById("interval").value = intervalFor(facets.first_date, facets.last_date);
  fillSelect(form.elements.country, facets.countries);
  fillSelect(form.elements.event_type, facets.event_types);
  fillSelect(form.elements.sub_event_type, facets.sub_event_types);
  writeForm(initial);
  state.params = readForm();
  if (initial.has("bbox")) state.params.set("bbox", initial.get("bbox"));
  form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  document.getElementById("clear").addEventListener("click", () => { form.reset(); apply(); });
  document.getElementById("interval").addEventListener("change", () => loadTimeline());
  document.getElementById("dimension").addEventListener("change", () => loadCounts());
  // Redraw the chart at its new width when the event view opens or the window resizes.
  let lastWidth = 0;
  new ResizeObserver((entries) => {
    const w = Math.round(entries[0].contentRect.width);
    if (w !== lastWidth) { lastWidth = w; redrawTimeline(); }
  }).observe(document.querySelector(".timeline-box"));
  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE); loadTable();
  });
  document.getElementById("next").addEventListener("click", () => {
    state.offset += PAGE; loadTable();
  });
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    th.addEventListener("click", () => {
      if (state.sort === th.dataset.sort) state.order = state.order === "desc" ? "asc" : "desc";
      else { state.sort = th.dataset.sort; state.order = "desc"; }
      state.offset = 0;
      loadTable();
    });
  }
  await refreshAll();
  if (mapView && !initial.has("bbox")) {
    mapView.fitTo(await mapView.refresh(state.params));
    await mapView.refresh(state.params); // markers clustered for the fitted zoom
  }
  document.documentElement.dataset.state = "ready";
  if (initial.get("event")) await select(initial.get("event"));
}

init().catch((err) => showNotice(`Could not start the dashboard: ${err.message}`));
