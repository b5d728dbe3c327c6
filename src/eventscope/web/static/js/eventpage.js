// The page of one event (/events/{id}); its JSON twin is /events/{id}.json.
import { getJSON, showNotice } from "./common.js";
import { renderDetail } from "./detail.js";

async function init() {
  const parts = window.location.pathname.split("/");
  const eventId = decodeURIComponent(parts[parts.length - 1]);
  const twin = `/events/${encodeURIComponent(eventId)}.json`;
  document.getElementById("link-json").href = twin;
  const detail = await getJSON(twin);
  document.title = `${detail.event.event_type || "event"} ${detail.event.event_date || ""} · eventscope`;
  await renderDetail(document.getElementById("detail"), detail, {});
  document.documentElement.dataset.state = "ready";
}

init().catch((err) => showNotice(`Could not load the event: ${err.message}`));
