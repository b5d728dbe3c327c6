// Helpers shared by the dashboard and the event page.
// Every value that comes from the database (article text, titles, actors, places) is untrusted:
// it only ever reaches the page through textContent / setAttribute on safe attributes, never
// through innerHTML. The server's Content-Security-Policy forbids inline script as a second guard.

/** Create an element: el("a", {href: "/x", class: "y"}, "text", child, ...). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "href") {
      const safe = safeHref(v);
      if (safe) node.setAttribute("href", safe);
    } else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** An href that cannot run script: same-origin paths, or http(s) URLs; otherwise null. */
export function safeHref(value) {
  if (typeof value !== "string" || value === "") return null;
  try {
    const url = new URL(value, window.location.origin);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch (e) {
    return null;
  }
  return null;
}

/** A CSS class fragment from a label (event types, field names). */
export function slug(value) {
  return String(value || "none").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function detailMessage(body, status) {
  if (!body || body.detail === undefined) return `HTTP ${status}`;
  if (typeof body.detail === "string") return body.detail;
  if (Array.isArray(body.detail)) {
    return body.detail.map((d) => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ");
  }
  return JSON.stringify(body.detail);
}

export async function getJSON(path, params) {
  const qs = params ? `?${params.toString()}` : "";
  const resp = await fetch(path + qs, { headers: { Accept: "application/json" } });
  const body = await resp.json().catch(() => null);
  if (!resp.ok) throw new ApiError(resp.status, detailMessage(body, resp.status));
  return body;
}

export async function postJSON(path, data, token) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers["X-Eventscope-Token"] = token;
  const resp = await fetch(path, { method: "POST", headers, body: JSON.stringify(data) });
  const body = await resp.json().catch(() => null);
  if (!resp.ok) throw new ApiError(resp.status, detailMessage(body, resp.status));
  return body;
}

export function showNotice(message) {
  const box = document.getElementById("notice");
  if (!box) return;
  box.textContent = message || "";
  box.hidden = !message;
}

export function fmtNumber(n) {
  return n === null || n === undefined ? "" : Number(n).toLocaleString("en");
}
