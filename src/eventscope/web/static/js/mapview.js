// The map: Natural Earth country shapes (world-atlas TopoJSON, served locally) under circle
// markers, no tile server, so it works offline. Events are clustered on a grid whose cell
// shrinks as the map zooms in (the server groups them: GET /api/map?cell=DEG); a single event
// is a circle sized by its fatalities, a cluster a circle sized by its count with the count on it.
import { el, getJSON, slug, fmtNumber } from "./common.js";

/* global L, topojson */

const MAX_ZOOM = 12;

/** Grid size in degrees at a zoom level: about 60 px on screen. */
export function cellForZoom(zoom) {
  return Math.max(0.005, 90 / 2 ** (zoom + 1));
}

export function radiusForFatalities(n) {
  return Math.min(30, 4 + 3 * Math.sqrt(Math.max(0, n || 0)));
}

/** Make a ring's longitudes continuous: Natural Earth cuts shapes at the antimeridian (Fiji,
 * Chukotka), and drawn flat each cut would be a line across the whole map. */
export function unwrapRing(ring) {
  const out = [ring[0].slice()];
  for (let i = 1; i < ring.length; i++) {
    let lon = ring[i][0];
    const prev = out[i - 1][0];
    while (lon - prev > 180) lon -= 360;
    while (prev - lon > 180) lon += 360;
    out.push([lon, ring[i][1]]);
  }
  return out;
}

function unwrapGeometry(geom) {
  if (!geom) return geom;
  if (geom.type === "Polygon") return { ...geom, coordinates: geom.coordinates.map(unwrapRing) };
  if (geom.type === "MultiPolygon") {
    return { ...geom, coordinates: geom.coordinates.map((poly) => poly.map(unwrapRing)) };
  }
  return geom;
}

export class MapView {
  constructor(elementId, { onSelect, onMove }) {
    this.onSelect = onSelect;
    this.onMove = onMove;
    this.map = L.map(elementId, { worldCopyJump: true, minZoom: 1, maxZoom: MAX_ZOOM,
      zoomSnap: 1, attributionControl: true }).setView([15, 20], 2);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Natural Earth");
    this.markers = L.layerGroup().addTo(this.map);
    this.params = new URLSearchParams();
    this.map.on("moveend", () => { if (this.onMove) this.onMove(); });
    this.map.on("zoomend", () => this.refresh(this.params));
  }

  async loadCountries() {
    const topo = await getJSON("/static/vendor/countries-50m.json");
    const shapes = topojson.feature(topo, topo.objects.countries);
    // Antarctica (ISO 3166 numeric 010) only draws a seam across the Mercator map.
    shapes.features = shapes.features.filter((f) => f.id !== "010")
      .map((f) => ({ ...f, geometry: unwrapGeometry(f.geometry) }));
    L.geoJSON(shapes, { interactive: false, className: "es-country",
      style: { color: "#9aa3ad", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 } })
      .addTo(this.map).bringToBack();
  }

  /** Show where the events are (once, on the first load). */
  fitTo(cells) {
    if (!cells.length) return;
    const bounds = L.latLngBounds(cells.map((c) => [c.latitude, c.longitude]));
    this.map.fitBounds(bounds.pad(0.2), { maxZoom: 6, animate: false });
  }

  bbox() {
    const b = this.map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const west = b.getWest(), east = b.getEast();
    if (east - west >= 360) return "-180,-90,180,90";
    const wrap = (lon) => ((((lon + 180) % 360) + 360) % 360) - 180;
    return [wrap(west), clamp(b.getSouth(), -90, 90), wrap(east), clamp(b.getNorth(), -90, 90)]
      .map((v) => v.toFixed(4)).join(",");
  }

  async refresh(params) {
    this.params = new URLSearchParams(params);
    const q = new URLSearchParams(this.params);
    q.set("cell", String(cellForZoom(this.map.getZoom())));
    const data = await getJSON("/api/map", q);
    this.draw(data.cells);
    return data.cells;
  }

  /** Merge grid cells that would overlap on screen (neighbouring cells of the server's grid). */
  mergeClose(cells, minPixels = 28) {
    const kept = [];
    const sorted = [...cells].sort((a, b) => b.events - a.events || b.fatalities - a.fatalities);
    for (const c of sorted) {
      const p = this.map.latLngToLayerPoint([c.latitude, c.longitude]);
      const near = kept.find((k) => k.point.distanceTo(p) < minPixels);
      if (!near) { kept.push({ ...c, point: p, top: c.fatalities }); continue; }
      const n = near.events + c.events;
      near.latitude = (near.latitude * near.events + c.latitude * c.events) / n;
      near.longitude = (near.longitude * near.events + c.longitude * c.events) / n;
      near.events = n;
      near.fatalities += c.fatalities;
      if (c.fatalities > near.top) { near.top = c.fatalities; near.event_id = c.event_id; near.event_type = c.event_type; }
    }
    return kept;
  }

  draw(cells) {
    this.markers.clearLayers();
    for (const c of this.mergeClose(cells)) {
      const at = [c.latitude, c.longitude];
      if (c.events === 1) {
        const m = L.circleMarker(at, { radius: radiusForFatalities(c.fatalities),
          className: `es-marker es-t-${slug(c.event_type)}`, weight: 1 });
        m.bindTooltip(el("span", {}, `${c.event_type || "event"} · ${fmtNumber(c.fatalities)} fatalities`));
        m.on("click", () => this.onSelect(c.event_id));
        this.markers.addLayer(m);
      } else {
        const r = Math.min(34, 9 + 4 * Math.log2(c.events));
        const circle = L.circleMarker(at, { radius: r, className: "es-cluster", weight: 1 });
        const label = L.marker(at, { interactive: false, keyboard: false,
          icon: L.divIcon({ className: "es-cluster-label", iconSize: [2 * r, 2 * r],
            html: el("span", {}, String(c.events)) }) });
        circle.bindTooltip(el("span", {}, `${fmtNumber(c.events)} events · ${fmtNumber(c.fatalities)} fatalities`));
        circle.on("click", () => {
          if (this.map.getZoom() >= MAX_ZOOM) this.onSelect(c.event_id);
          else this.map.setView(at, Math.min(MAX_ZOOM, this.map.getZoom() + 2));
        });
        this.markers.addLayer(circle);
        this.markers.addLayer(label);
      }
    }
  }
}
