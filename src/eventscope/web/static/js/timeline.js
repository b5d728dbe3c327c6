// The timeline: bars of event counts and a line of fatalities per period, drawn as SVG with
// DOM calls (no chart library). Clicking a bar narrows the date filters to that period.
import { fmtNumber } from "./common.js";

const NS = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function periodEnd(period, interval) {
  const d = new Date(`${period}T00:00:00Z`);
  if (interval === "week") d.setUTCDate(d.getUTCDate() + 6);
  else if (interval === "month") { d.setUTCMonth(d.getUTCMonth() + 1); d.setUTCDate(0); }
  else if (interval === "year") { d.setUTCFullYear(d.getUTCFullYear() + 1); d.setUTCDate(0); }
  return d.toISOString().slice(0, 10);
}

export function drawTimeline(svg, periods, interval, onPick) {
  const width = Math.max(300, svg.parentNode.clientWidth - 24 || 600);
  const height = 150;
  const pad = { left: 40, right: 40, top: 10, bottom: 24 };
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.replaceChildren();
  if (!periods.length) {
    svg.append(svgEl("text", { x: width / 2, y: height / 2, "text-anchor": "middle",
      class: "empty" }, "no dated events match"));
    return;
  }
  const maxN = Math.max(1, ...periods.map((p) => p.events));
  const maxF = Math.max(1, ...periods.map((p) => p.fatalities));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const step = plotW / periods.length;
  const barW = Math.max(1, Math.min(60, step * 0.8));
  const y = (v, max) => pad.top + plotH - (v / max) * plotH;
  svg.append(svgEl("line", { x1: pad.left, x2: width - pad.right, y1: pad.top + plotH,
    y2: pad.top + plotH, class: "axis" }));
  svg.append(svgEl("text", { x: pad.left - 4, y: pad.top + 8, "text-anchor": "end", class: "tick" },
    fmtNumber(maxN)));
  svg.append(svgEl("text", { x: width - pad.right + 4, y: pad.top + 8, class: "tick fat" },
    fmtNumber(maxF)));
  const bars = svgEl("g", { class: "bars" });
  let path = "";
  periods.forEach((p, i) => {
    const x = pad.left + i * step + (step - barW) / 2;
    const bar = svgEl("rect", { x, y: y(p.events, maxN), width: barW,
      height: Math.max(0, pad.top + plotH - y(p.events, maxN)), class: "es-bar",
      "data-period": p.period });
    bar.append(svgEl("title", {}, `${p.period}: ${fmtNumber(p.events)} events, ${fmtNumber(p.fatalities)} fatalities`));
    bar.addEventListener("click", () => onPick(p.period, periodEnd(p.period, interval)));
    bars.append(bar);
    const cx = pad.left + i * step + step / 2;
    path += `${i ? "L" : "M"}${cx.toFixed(1)},${y(p.fatalities, maxF).toFixed(1)}`;
  });
  svg.append(bars);
  svg.append(svgEl("path", { d: path, class: "es-fatalities" }));
  const labels = Math.min(periods.length, Math.floor(plotW / 70));
  for (let k = 0; k < labels; k++) {
    const i = Math.round((k * (periods.length - 1)) / Math.max(1, labels - 1));
    svg.append(svgEl("text", { x: pad.left + i * step + step / 2, y: height - 6,
      "text-anchor": "middle", class: "tick" },
    periods[i].period.slice(0, { year: 4, month: 7 }[interval] || 10)));
  }
}
