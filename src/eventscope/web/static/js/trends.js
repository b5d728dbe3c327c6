// The trends panel: a small multiple per group (a sparkline of its events per week or month,
// surge periods marked), a choropleth of each country's change (its last period against the
// mean of the periods before it), and the latest surge alerts. Data from /api/trends and
// /api/alerts; the country shapes are the dashboard's local world-atlas file (no CDN).
import { el, getJSON, fmtNumber } from "./common.js";

/* global L, topojson */

const NS = "http://www.w3.org/2000/svg";
const MULTIPLES = 12;
// Diverging classes of log2(change): fewer (blue) ... no change (pale) ... more (red).
export const CHANGE_CLASSES = [
  { max: -1, label: "÷2 or less", color: "#2166ac" },
  { max: -0.32, label: "fewer", color: "#92c5de" },
  { max: 0.32, label: "about the same", color: "#f7f7f7" },
  { max: 1, label: "more", color: "#f4a582" },
  { max: Infinity, label: "×2 or more", color: "#b2182b" },
];
const NO_DATA = "#e6e3dc";

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The colour class of a change ratio (last period / baseline mean, both + 0.5). */
export function changeClass(ratio) {
  const v = Math.log2(ratio);
  return CHANGE_CLASSES.findIndex((c) => v <= c.max);
}

/** A sparkline of ``values`` in an SVG of width × height; ``marks`` are {index, measure} to
 * dot: a filled dot for a surge of events, a ring for one of fatalities only. */
export function sparkline(values, marks, width = 160, height = 36) {
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width, height,
    class: "es-spark", role: "img" });
  const max = Math.max(1, ...values);
  const n = values.length;
  const x = (i) => (n <= 1 ? width / 2 : 2 + (i * (width - 4)) / (n - 1));
  const y = (v) => height - 2 - (v / max) * (height - 4);
  let line = "";
  values.forEach((v, i) => { line += `${i ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`; });
  if (n) {
    svg.append(svgEl("path", { d: `${line}L${x(n - 1).toFixed(1)},${height}L${x(0).toFixed(1)},${height}Z`,
      class: "es-spark-area" }));
    svg.append(svgEl("path", { d: line, class: "es-spark-line" }));
  }
  for (const m of marks) {
    svg.append(svgEl("circle", { cx: x(m.index).toFixed(1), cy: y(values[m.index]).toFixed(1),
      r: 3, class: `es-spark-surge es-surge-${m.measure}` }));
  }
  return svg;
}

const FILTER_OF = { country: "country", admin1: "admin1", event_type: "event_type", actor: "actor" };

export class TrendsPanel {
  constructor({ onPick }) {
    this.onPick = onPick;
    this.by = document.getElementById("trends-by");
    this.every = document.getElementById("trends-every");
    this.grid = document.getElementById("trends-grid");
    this.alertsList = document.getElementById("trends-alerts");
    this.params = new URLSearchParams();
    this.map = null;
    this.shapes = null;
    this.by.addEventListener("change", () => this.refresh(this.params));
    this.every.addEventListener("change", () => this.refresh(this.params));
  }

  /** The choropleth map (once Leaflet and the shapes are there). */
  async loadMap() {
    if (typeof window.L === "undefined" || typeof window.topojson === "undefined") return;
    this.map = L.map("trends-map", { minZoom: 1, maxZoom: 6, zoomSnap: 1, worldCopyJump: true,
      attributionControl: true, scrollWheelZoom: false }).setView([20, 20], 1);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Natural Earth");
    const topo = await getJSON("/static/vendor/countries-50m.json");
    const shapes = topojson.feature(topo, topo.objects.countries);
    shapes.features = shapes.features.filter((f) => f.id !== "010");
    this.shapes = L.geoJSON(shapes, { className: "es-choro",
      style: { color: "#9aa3ad", weight: 0.5, fillColor: NO_DATA, fillOpacity: 1 } })
      .addTo(this.map);
    const legend = L.control({ position: "bottomleft" });
    legend.onAdd = () => el("div", { class: "es-choro-legend" },
      ...CHANGE_CLASSES.map((c, i) => el("span", { class: `es-swatch es-c${i}` }, c.label)));
    legend.addTo(this.map);
    if (this.countries) this.paint(this.countries);
  }

  async refresh(params) {
    this.params = new URLSearchParams(params);
    const q = new URLSearchParams(this.params);
    q.set("every", this.every.value);
    q.set("by", this.by.value);
    q.set("top", String(MULTIPLES));
    // The map needs every country, the small multiples only the largest groups.
    const cq = new URLSearchParams(q);
    cq.set("by", "country");
    cq.set("top", "500");
    let data;
    if (this.by.value === "country") {
      this.countries = await getJSON("/api/trends", cq);
      data = { ...this.countries, series: this.countries.series.slice(0, MULTIPLES) };
    } else {
      [data, this.countries] = await Promise.all([getJSON("/api/trends", q),
        getJSON("/api/trends", cq)]);
    }
    this.drawMultiples(data);
    this.paint(this.countries);
    await this.loadAlerts();
    document.getElementById("trends-panel").dataset.loads =
      String(Number(document.getElementById("trends-panel").dataset.loads || 0) + 1);
  }

  drawMultiples(data) {
    const last = data.periods.length ? data.periods[data.periods.length - 1].period : "";
    document.getElementById("trends-last").textContent = last
      ? `change: ${last} against the ${Math.min(8, data.periods.length - 1)} ${data.every}s before` : "";
    if (!data.series.length) {
      this.grid.replaceChildren(el("p", { class: "muted" }, "no dated events match"));
      return;
    }
    this.grid.replaceChildren(...data.series.map((s) => {
      // One mark per period: events if the count surged, else fatalities.
      const byIndex = new Map();
      for (const h of s.surges || []) {
        if (!byIndex.has(h.index) || h.measure === "events") byIndex.set(h.index, h);
      }
      const marks = [...byIndex.values()];
      const ratio = s.change ? s.change.ratio : 1;
      const cls = changeClass(ratio);
      const card = el("li", { class: "es-multiple", tabindex: "0", dataset: { key: s.key },
        title: `${s.key}: ${fmtNumber(s.total_events)} events, ${fmtNumber(s.total_fatalities)} fatalities`
          + (marks.length ? `; surges in ${marks.map((m) => `${data.periods[m.index].period} (${m.measure})`).join(", ")}` : "") },
      el("div", { class: "es-multiple-head" },
        el("span", { class: "es-multiple-key" }, s.key),
        el("span", { class: `es-change es-c${cls}` },
          s.change ? `${s.change.last} vs ${fmtNumber(s.change.baseline_mean)}` : "")),
      sparkline(s.events, marks),
      el("div", { class: "muted" }, `${fmtNumber(s.total_events)} events · `
        + `${fmtNumber(s.total_fatalities)} †${marks.length ? ` · ${marks.length} surge${marks.length > 1 ? "s" : ""}` : ""}`));
      const pick = () => {
        const filters = {};
        if (data.by === "admin1") {
          const cut = s.key.lastIndexOf(", ");
          filters.admin1 = cut > 0 ? s.key.slice(0, cut) : s.key;
          if (s.country) filters.country = s.country;
        } else filters[FILTER_OF[data.by]] = data.by === "country" ? (s.country || s.key) : s.key;
        this.onPick(filters);
      };
      card.addEventListener("click", pick);
      card.addEventListener("keydown", (e) => { if (e.key === "Enter") pick(); });
      return card;
    }));
  }

  paint(data) {
    if (!this.shapes) return;
    const byId = new Map();
    for (const s of data.series) if (s.iso_numeric && s.change) byId.set(s.iso_numeric, s);
    let painted = 0;
    let bounds = null;
    this.shapes.eachLayer((layer) => {
      const s = byId.get(layer.feature.id);
      const cls = s ? changeClass(s.change.ratio) : -1;
      layer.setStyle({ fillColor: cls >= 0 ? CHANGE_CLASSES[cls].color : NO_DATA });
      const path = layer.getElement && layer.getElement();
      if (path) {
        path.classList.toggle("es-choro-data", Boolean(s));
        path.dataset.change = s ? String(cls) : "";
      }
      layer.unbindTooltip();
      if (s) {
        painted += 1;
        const b = layer.getBounds();
        // Shapes that cross the antimeridian (Russia, Fiji) would widen the view to the world.
        if (b.getEast() - b.getWest() < 180) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        layer.bindTooltip(el("span", {}, `${s.key}: ${s.change.last} events in the last `
          + `${data.every} against a mean of ${fmtNumber(s.change.baseline_mean)}`));
      }
    });
    if (bounds && !this.fitted) {  // show where the data is, once
      this.map.fitBounds(bounds.pad(0.3), { maxZoom: 4, animate: false });
      this.fitted = true;
    }
    document.getElementById("trends-map").dataset.painted = String(painted);
  }

  async loadAlerts() {
    const data = await getJSON("/api/alerts", new URLSearchParams({ limit: "10" }));
    this.alertsList.replaceChildren(...(data.alerts.length ? data.alerts.map((a) =>
      el("li", { class: `es-alert es-alert-${a.measure}` },
        el("a", { href: `/?${a.query}` }, a.title),
        el("span", { class: "muted" }, ` p = ${a.p_value.toPrecision(2)}, ${a.rule}`)))
      : [el("li", { class: "muted" }, "no surges")]));
  }
}
