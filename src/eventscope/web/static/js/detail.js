// The event view: coded fields (corrected ones marked, with the machine's value), the article
// text with each evidence span highlighted and labelled by field, sources, the corrections
// history and the correction form. Article text is rendered with text nodes only.
import { el, getJSON, postJSON, safeHref, slug, fmtNumber } from "./common.js";

const FIELD_ROWS = [
  ["event_type", "Event type"], ["sub_event_type", "Sub-event type"], ["plover", "PLOVER"],
  ["event_date", "Date"], ["date_precision", "Date precision"],
  ["actor1", "Actor 1"], ["actor1_type", "Actor 1 type"], ["assoc_actor_1", "Associated 1"],
  ["actor2", "Actor 2"], ["actor2_type", "Actor 2 type"], ["assoc_actor_2", "Associated 2"],
  ["location", "Location"], ["admin2", "Admin 2"], ["admin1", "Admin 1"],
  ["country", "Country"], ["country_code", "Country code"], ["latitude", "Latitude"],
  ["longitude", "Longitude"], ["geo_precision", "Geo precision"], ["geonameid", "GeoNames id"],
  ["fatalities", "Fatalities"], ["injuries", "Injuries"], ["confidence", "Confidence"],
];

function show(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length ? value.join("; ") : "—";
  return String(value);
}

let fieldsCache = null;
async function correctableFields() {
  if (!fieldsCache) fieldsCache = await getJSON("/api/fields");
  return fieldsCache;
}

let serverInfo = null;
let lastField = null; // the form keeps the field the analyst last corrected
async function writesEnabled() {
  if (!serverInfo) serverInfo = await getJSON("/api").catch(() => ({ writes: false }));
  return Boolean(serverInfo.writes);
}

/** Split text at every span boundary; highlight covered pieces, label each span at its end. */
export function highlightedText(text, spans) {
  const container = el("div", { class: "article-text" });
  const valid = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end);
  const cuts = new Set([0, text.length]);
  for (const s of valid) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const covering = valid.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) {
      container.append(document.createTextNode(piece));
    } else {
      const fields = [...new Set(covering.map((s) => s.field))];
      container.append(el("mark", {
        class: `ev ev-f-${slug(fields[0])}${fields.length > 1 ? " ev-multi" : ""}`,
        title: fields.join(", "),
        dataset: { fields: fields.join(" ") },
      }, piece));
    }
    for (const s of valid.filter((x) => x.end === b)) {
      container.append(el("span", { class: `ev-label ev-f-${slug(s.field)}` }, s.field));
    }
  }
  return container;
}

function fieldTable(detail) {
  const ev = detail.event;
  const corrected = new Set(ev.corrected_fields || []);
  const rows = FIELD_ROWS.map(([key, label]) => {
    const isCorrected = corrected.has(key);
    const valueCell = el("td", { class: isCorrected ? "corrected" : null, dataset: { field: key } },
      show(ev[key]));
    if (isCorrected) {
      valueCell.append(el("span", { class: "machine" }, ` machine: ${show(detail.machine[key])}`));
    }
    return el("tr", {}, el("th", {}, label), valueCell);
  });
  return el("table", { class: "fields" }, el("tbody", {}, rows));
}

function sourcesList(detail) {
  return el("ul", { class: "sources" }, detail.sources.map((s) => {
    const href = safeHref(s.url);
    const label = s.title || s.doc_id || s.article_id;
    return el("li", {},
      href ? el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, label)
        : el("span", {}, label),
      s.url && !href ? el("span", { class: "muted" }, ` (url not shown: ${s.url})`) : null,
      s.published ? el("span", { class: "muted" }, ` · published ${s.published}`) : null,
      el("span", { class: "muted" }, ` · ${s.doc_id || ""}`));
  }));
}

function historyList(detail) {
  if (!detail.corrections.length) return el("p", { class: "muted" }, "No corrections yet.");
  return el("ol", { class: "history" }, detail.corrections.map((c) => el("li", {},
    el("time", {}, c.created_at.replace("T", " ").slice(0, 19)), " ",
    el("strong", {}, c.author), " ",
    c.action === "correct" ? `set ${c.field} to ${show(c.value)}` : `${c.action}ed the event`,
    c.note ? el("span", { class: "muted" }, ` — ${c.note}`) : null)));
}

function valueInput(spec) {
  if (spec.choices && spec.choices.length) {
    const sel = el("select", { name: "value" });
    if (spec.nullable) sel.append(el("option", { value: "" }, "(unknown)"));
    for (const c of spec.choices) sel.append(el("option", { value: c }, c));
    return sel;
  }
  if (spec.kind === "date") return el("input", { type: "date", name: "value" });
  if (spec.kind === "int" || spec.kind === "float") {
    return el("input", { type: "number", name: "value", step: spec.kind === "int" ? "1" : "any",
      min: spec.minimum ?? null, max: spec.maximum ?? null });
  }
  return el("input", { type: "text", name: "value", maxlength: "500",
    placeholder: spec.kind === "list" ? "names separated by ;" : "" });
}

async function correctionForm(detail, onChanged) {
  const ev = detail.event;
  const writes = await writesEnabled();
  const status = el("p", { class: "status", id: "correction-status", "aria-live": "polite" });
  if (!writes) {
    return el("p", { class: "muted" }, "Corrections are off on this server: start it with "
      + "`eventscope serve --token TOKEN` (or set EVENTSCOPE_TOKEN).");
  }
  const specs = await correctableFields();
  const fieldSel = el("select", { name: "field" },
    specs.map((s) => el("option", { value: s.name }, s.name)));
  const valueSlot = el("span", { class: "value-slot" });
  const setValueInput = () => {
    const spec = specs.find((s) => s.name === fieldSel.value);
    const input = valueInput(spec);
    const cur = ev[spec.name];
    if (cur !== null && cur !== undefined) input.value = Array.isArray(cur) ? cur.join("; ") : String(cur);
    valueSlot.replaceChildren(input);
  };
  if (lastField) fieldSel.value = lastField;
  fieldSel.addEventListener("change", () => { lastField = fieldSel.value; setValueInput(); });
  setValueInput();
  const author = el("input", { type: "text", name: "author", required: true, maxlength: "100",
    placeholder: "your name" });
  author.value = localStorage.getItem("eventscope.author") || "";
  const note = el("input", { type: "text", name: "note", maxlength: "4000", placeholder: "why (optional)" });
  const token = el("input", { type: "password", name: "token", placeholder: "write token" });
  token.value = sessionStorage.getItem("eventscope.token") || "";

  async function send(payload) {
    localStorage.setItem("eventscope.author", author.value);
    sessionStorage.setItem("eventscope.token", token.value);
    status.textContent = "saving…";
    try {
      await postJSON(`/api/events/${encodeURIComponent(ev.event_id)}/corrections`,
        { ...payload, author: author.value, note: note.value || null }, token.value);
      status.textContent = "saved";
      await onChanged();
    } catch (err) {
      status.textContent = `not saved: ${err.message}`;
      status.classList.add("error");
    }
  }
  const form = el("form", { class: "correct", id: "correction-form" },
    el("label", {}, "Field ", fieldSel), el("label", {}, "Value ", valueSlot),
    el("label", {}, "Author ", author), el("label", {}, "Note ", note),
    el("label", {}, "Token ", token),
    el("div", { class: "buttons" },
      el("button", { type: "submit", id: "save-correction" }, "Save correction"),
      el("button", { type: "button", id: "reject-event", class: "danger",
        onclick: () => send({ reject: !ev.rejected }) },
      ev.rejected ? "Restore event" : "Reject event")),
    status);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const input = valueSlot.firstChild;
    send({ field: fieldSel.value, value: input.value });
  });
  return form;
}

/** Render an event's detail (from /api/events/{id}) into container. */
export async function renderDetail(container, detail, { onChanged, onClose } = {}) {
  const ev = detail.event;
  const reload = async () => {
    const fresh = await getJSON(`/api/events/${encodeURIComponent(ev.event_id)}`);
    await renderDetail(container, fresh, { onChanged, onClose });
    if (onChanged) await onChanged(fresh);
  };
  const title = `${show(ev.event_type)} · ${show(ev.event_date)} · ${show(ev.location)}`;
  const head = el("div", { class: "detail-head" },
    el("h2", { class: slug(ev.event_type) }, title),
    onClose ? el("button", { type: "button", class: "close", title: "close", onclick: onClose }, "×") : null);
  const links = el("p", { class: "links" },
    el("a", { href: `/events/${encodeURIComponent(ev.event_id)}` }, "page"), " · ",
    el("a", { href: `/events/${encodeURIComponent(ev.event_id)}.json` }, "JSON"), " · ",
    el("span", { class: "muted" }, ev.event_id));
  const badges = el("p", { class: "badges" },
    ev.rejected ? el("span", { class: "badge rejected" }, "rejected by an analyst") : null,
    (ev.corrected_fields || []).length ? el("span", { class: "badge corrected" },
      `corrected: ${ev.corrected_fields.join(", ")}`) : null,
    el("span", { class: "badge" }, `${fmtNumber(ev.fatalities)} fatalities`),
    ev.confidence !== null ? el("span", { class: "badge" }, `confidence ${ev.confidence}`) : null);
  const legend = el("p", { class: "ev-legend" }, "Evidence: ",
    [...new Set(detail.evidence.map((s) => s.field))].map((f) =>
      el("span", { class: `ev-label ev-f-${slug(f)}` }, f)));
  container.replaceChildren(
    head, links, badges,
    el("h3", {}, "Source text"), legend, highlightedText(detail.text, detail.evidence),
    el("h3", {}, "Coded fields"), fieldTable(detail),
    el("h3", {}, "Sources"), sourcesList(detail),
    el("h3", {}, "Corrections"), historyList(detail),
    await correctionForm(detail, reload),
  );
  container.hidden = false;
  container.dataset.eventId = ev.event_id;
  // Bring the first highlight into view inside the text box (not by scrolling the page).
  const box = container.querySelector(".article-text");
  const first = box && box.querySelector("mark.ev");
  if (first) box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 40);
}
