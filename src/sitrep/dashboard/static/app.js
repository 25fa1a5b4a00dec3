// sitrep dashboard: map, timeline (brush to filter), event list and event page.
// Every string that comes from an article is put in the page with textContent,
// never innerHTML, so an article containing <script> shows as text.
"use strict";

const TYPE_COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9",
  "Riots": "#16a085",
  "Strategic developments": "#7f8c8d",
};
const OTHER_COLOUR = "#34495e";
const PAGE_SIZE = 200;

const state = { filters: {}, map: null, markers: null, timeline: [] };

function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null && text !== undefined) node.textContent = String(text);
  return node;
}

function query(filters, extra = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...extra })) {
    if (value !== "" && value !== null && value !== undefined) params.set(key, value);
  }
  return params.toString();
}

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function colourOf(eventType) {
  return TYPE_COLOURS[eventType] || OTHER_COLOUR;
}

function radiusOf(fatalities) {
  return 4 + 3 * Math.sqrt(Math.max(0, fatalities || 0));
}

// ---- map -----------------------------------------------------------------

async function initMap() {
  const map = L.map("map", { worldCopyJump: true, attributionControl: true }).setView([25, 20], 2);
  const world = await getJSON("static/world.geojson");
  L.geoJSON(world, {
    style: { color: "#8a9aa6", weight: 0.6, fillColor: "#f2efe6", fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const box = el("div", { class: "legend" });
    for (const [name, colour] of Object.entries(TYPE_COLOURS)) {
      const row = el("div");
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = colour;
      row.append(swatch, document.createTextNode(name));
      box.append(row);
    }
    return box;
  };
  legend.addTo(map);
  state.map = map;
  state.markers = L.layerGroup().addTo(map);
}

function drawMarkers(items) {
  state.markers.clearLayers();
  for (const item of items) {
    const event = item.event;
    const place = event.location;
    if (!place || place.lat === null || place.lon === null) continue;
    const marker = L.circleMarker([place.lat, place.lon], {
      radius: radiusOf(event.fatalities),
      color: "#222",
      weight: 1,
      fillColor: colourOf(event.event_type),
      fillOpacity: 0.8,
      className: "event-marker",
    });
    const popup = el("div");
    popup.append(el("strong", {}, event.sub_event_type || event.plover_type));
    popup.append(el("div", {}, `${event.date || "date unknown"} · ${place.name}`));
    popup.append(el("div", {}, event.sentence));
    const link = el("a", { href: `#/event/${encodeURIComponent(item.uid)}` }, "Sources and evidence");
    popup.append(link);
    marker.bindPopup(popup);
    marker.addTo(state.markers);
  }
  const located = state.markers.getLayers();
  if (located.length) {
    state.map.fitBounds(L.featureGroup(located).getBounds().pad(0.5), { maxZoom: 7 });
  }
}

// ---- timeline --------------------------------------------------------------

function drawTimeline(rows) {
  const svg = document.getElementById("timeline");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const width = svg.clientWidth || 400;
  const height = svg.clientHeight || 200;
  const margin = { left: 28, bottom: 18, top: 6, right: 6 };
  state.timeline = rows;
  if (!rows.length) {
    const label = document.createElementNS("http://www.w3.org/2000/svg", "text");
    label.setAttribute("x", 10);
    label.setAttribute("y", 20);
    label.textContent = "No events";
    svg.append(label);
    return;
  }
  const max = Math.max(...rows.map((row) => row.count));
  const step = (width - margin.left - margin.right) / rows.length;
  const scaleY = (count) => ((height - margin.top - margin.bottom) * count) / max;
  const ns = "http://www.w3.org/2000/svg";
  rows.forEach((row, index) => {
    const bar = document.createElementNS(ns, "rect");
    const barHeight = scaleY(row.count);
    bar.setAttribute("x", margin.left + index * step + 0.5);
    bar.setAttribute("y", height - margin.bottom - barHeight);
    bar.setAttribute("width", Math.max(1, step - 1));
    bar.setAttribute("height", barHeight);
    bar.setAttribute("class", "bar");
    bar.dataset.period = row.period;
    const title = document.createElementNS(ns, "title");
    title.textContent = `${row.period}: ${row.count} events, ${row.fatalities} killed`;
    bar.append(title);
    svg.append(bar);
  });
  for (const [index, anchor] of [[0, "start"], [rows.length - 1, "end"]]) {
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", margin.left + index * step + (anchor === "end" ? step : 0));
    label.setAttribute("y", height - 4);
    label.setAttribute("text-anchor", anchor);
    label.textContent = rows[index].period;
    svg.append(label);
  }
  const maxLabel = document.createElementNS(ns, "text");
  maxLabel.setAttribute("x", 2);
  maxLabel.setAttribute("y", margin.top + 8);
  maxLabel.textContent = String(max);
  svg.append(maxLabel);
  enableBrush(svg, margin, step, rows);
}

function enableBrush(svg, margin, step, rows) {
  const ns = "http://www.w3.org/2000/svg";
  let start = null;
  let brush = null;
  const indexAt = (x) =>
    Math.min(rows.length - 1, Math.max(0, Math.floor((x - margin.left) / step)));
  const offsetX = (event) => event.clientX - svg.getBoundingClientRect().left;
  svg.onmousedown = (event) => {
    start = offsetX(event);
    brush = document.createElementNS(ns, "rect");
    brush.setAttribute("class", "brush");
    brush.setAttribute("y", 0);
    brush.setAttribute("height", svg.clientHeight);
    brush.setAttribute("x", start);
    brush.setAttribute("width", 0);
    svg.append(brush);
  };
  svg.onmousemove = (event) => {
    if (start === null) return;
    const x = offsetX(event);
    brush.setAttribute("x", Math.min(start, x));
    brush.setAttribute("width", Math.abs(x - start));
  };
  svg.onmouseup = (event) => {
    if (start === null) return;
    const first = indexAt(Math.min(start, offsetX(event)));
    const last = indexAt(Math.max(start, offsetX(event)));
    start = null;
    const since = rows[first].period;
    const until = rows[last].until || rows[last].period;
    document.getElementById("f-since").value = since;
    document.getElementById("f-until").value = until;
    applyFilters();
  };
}

// ---- list ------------------------------------------------------------------

function drawList(page, total) {
  // The list answers a page without a total; the stats of the same filters count them.
  const body = document.querySelector("#events tbody");
  while (body.firstChild) body.removeChild(body.firstChild);
  document.getElementById("count").textContent =
    `${total} events` + (total > page.items.length ? ` (showing ${page.items.length})` : "");
  for (const item of page.items) {
    const event = item.event;
    const row = el("tr", { "data-event-id": item.uid });
    row.append(el("td", {}, event.date || ""));
    row.append(el("td", {}, event.sub_event_type || event.plover_type));
    const place = event.location ? [event.location.name, event.location.country].filter(Boolean).join(", ") : "";
    row.append(el("td", {}, place));
    row.append(el("td", {}, event.actor1 ? event.actor1.name : ""));
    row.append(el("td", {}, event.fatalities === null ? "?" : event.fatalities));
    row.append(el("td", {}, item.sources.length || 1));
    row.onclick = () => { location.hash = `#/event/${encodeURIComponent(item.uid)}`; };
    body.append(row);
  }
}

// ---- event page ------------------------------------------------------------

function highlighted(text, evidence) {
  // Wrap each evidence span of `text` in a <mark>, without ever parsing HTML.
  const container = el("div", { class: "body" });
  const spans = [...evidence]
    .filter((item) => item.start >= 0 && item.end <= text.length && item.start < item.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) continue; // overlapping spans: the first one wins
    container.append(document.createTextNode(text.slice(cursor, span.start)));
    const mark = el("mark", { "data-field": span.field, title: span.field }, text.slice(span.start, span.end));
    container.append(mark);
    cursor = span.end;
  }
  container.append(document.createTextNode(text.slice(cursor)));
  return container;
}

function field(list, name, value) {
  list.append(el("dt", {}, name));
  list.append(el("dd", {}, value === null || value === undefined || value === "" ? "—" : value));
}

async function showEvent(eventId) {
  const detail = document.getElementById("detail");
  document.getElementById("overview").hidden = true;
  detail.hidden = false;
  while (detail.firstChild) detail.removeChild(detail.firstChild);
  detail.append(el("p", {}, "Loading…"));
  let data;
  try {
    data = await getJSON(`api/events/${encodeURIComponent(eventId)}`);
  } catch (error) {
    detail.replaceChildren(el("p", {}, `Could not load event: ${error.message}`));
    return;
  }
  const event = data.event;
  const back = el("a", { href: "#/" }, "← all events");
  const title = el("h2", {}, `${event.sub_event_type || event.plover_type} — ${event.location ? event.location.name : "place unknown"}`);
  const facts = el("dl");
  field(facts, "Event type", event.event_type);
  field(facts, "Sub-event type", event.sub_event_type);
  field(facts, "PLOVER", event.plover_type);
  field(facts, "Date", event.date ? `${event.date} (range ${event.date_earliest} – ${event.date_latest}, precision ${event.time_precision})` : null);
  field(facts, "Place", event.location ? `${event.location.name}, ${event.location.admin1 || ""} ${event.location.country || ""} (precision ${event.location.geo_precision})` : null);
  field(facts, "Actor", event.actor1 ? `${event.actor1.name} (${event.actor1_attribution})` : `unknown (${event.actor1_attribution})`);
  field(facts, "Acted on", event.actor2 ? event.actor2.name : null);
  field(facts, "Target", event.target);
  field(facts, "Weapon", event.weapon ? `${event.weapon}${event.weapon_count ? " ×" + event.weapon_count : ""}` : null);
  field(facts, "Killed", event.fatalities === null ? "not reported" : event.fatalities);
  field(facts, "Injured", event.injuries === null ? "not reported" : event.injuries);
  field(facts, "Status", event.status);
  detail.replaceChildren(back, title, facts);
  if (data.sources.length > 1) {
    detail.append(el("h3", {}, "Why these reports were merged"));
    detail.append(el("div", { class: "why" }, data.explanation_text));
  }
  detail.append(el("h3", {}, `Sources (${data.sources.length})`));
  for (const source of data.sources) {
    const box = el("article", { class: "source" });
    box.append(el("h3", {}, source.title || source.document_id));
    const meta = [source.source, source.published, source.url].filter(Boolean).join(" · ");
    box.append(el("div", { class: "meta" }, meta));
    box.append(el("p", { class: "sentence" }, source.event.sentence));
    box.append(highlighted(source.body || "", source.event.evidence || []));
    detail.append(box);
  }
}

// ---- wiring ----------------------------------------------------------------

function readFilters() {
  const form = document.getElementById("filters");
  const filters = {};
  for (const [key, value] of new FormData(form).entries()) if (value !== "") filters[key] = value;
  return filters;
}

async function applyFilters() {
  state.filters = readFilters();
  const q = query(state.filters);
  const [page, stats] = await Promise.all([
    getJSON(`api/events?${query(state.filters, { limit: PAGE_SIZE })}`),
    getJSON(`api/stats?${q}`),
  ]);
  drawMarkers(page.items);
  drawList(page, stats.total);
  document.getElementById("timeline-caption").textContent = `Events per ${stats.period}`;
  drawTimeline(stats.timeline);
}

async function fillChoices() {
  const stats = await getJSON("api/stats");
  const typeSelect = document.getElementById("f-type");
  for (const row of stats.by_type) {
    typeSelect.append(el("option", { value: row.name }, `${row.name} (${row.count})`));
  }
  const ploverSelect = document.getElementById("f-plover");
  for (const row of stats.by_plover) {
    ploverSelect.append(el("option", { value: row.name }, `${row.name} (${row.count})`));
  }
}

async function route() {
  const match = location.hash.match(/^#\/event\/(.+)$/);
  if (match) {
    await showEvent(decodeURIComponent(match[1]));
    return;
  }
  document.getElementById("detail").hidden = true;
  document.getElementById("overview").hidden = false;
  if (state.map) state.map.invalidateSize();
}

async function start() {
  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters();
  });
  document.getElementById("f-reset").addEventListener("click", () => {
    document.getElementById("filters").reset();
    applyFilters();
  });
  window.addEventListener("hashchange", route);
  await initMap();
  await fillChoices();
  await applyFilters();
  await route();
  document.body.dataset.ready = "true";
}

start().catch((error) => {
  document.body.dataset.ready = "error";
  document.body.prepend(el("p", { class: "error" }, `Dashboard failed to start: ${error.message}`));
});
