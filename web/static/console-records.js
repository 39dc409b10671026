// Keel console, records. The table searches as you type through the documented
// POST /api/v1/entities/{type}/search (Typesense: typo-tolerant) and redraws its rows and facet counts;
// a facet link filters by its value. A record's form PATCHes /api/v1/entities/{type}/{id} with If-Match;
// a version's button POSTs /api/v1/entities/{type}/{id}/history/{version}/revert. Without this script
// the search form and the facet links are plain GET pages the server answers.
// Uses console.js's csrf(), collect(), show() and FieldError.
"use strict";

const RECORDS_WAIT_MS = 250; // typing pauses this long before a search is sent
const RECORDS_PAGE = 50;

function recordsPlain(words, value) {
  if (value === undefined || value === null || value === "") return words.none;
  if (typeof value === "boolean") return value ? words.yes : words.no;
  if (Array.isArray(value) && value.every((v) => ["string", "number", "boolean"].includes(typeof v))) {
    return value.map((v) => recordsPlain(words, v)).join(", ");
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function recordsCell(text, href, label) {
  const td = document.createElement("td");
  if (label) td.dataset.label = label;
  if (href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    td.append(a);
  } else {
    td.textContent = text;
  }
  return td;
}

function recordsTable() {
  const form = document.querySelector("form.records-search");
  if (!form) return;
  const results = document.getElementById("records-results");
  const table = document.getElementById("records-table");
  const rows = document.getElementById("records-rows");
  const none = document.getElementById("records-none");
  const foundLine = document.getElementById("records-found");
  const facetsBox = document.getElementById("records-facets");
  const clear = document.getElementById("records-clear");
  const chosenBox = form.querySelector("[data-chosen]");
  const input = form.querySelector("#q");
  const type = form.dataset.type;
  const facetNames = JSON.parse(form.dataset.facets);
  const kinds = JSON.parse(form.dataset.kinds);
  const columns = JSON.parse(table.dataset.columns);
  const withStatus = Boolean(table.dataset.statuses);
  const words = results.dataset;
  let timer = null;
  let asked = 0;
  let queryId = table.dataset.queryId || null;

  const chosen = () => Object.fromEntries(
    [...chosenBox.querySelectorAll("input[type=hidden]")].map((h) => [h.name.slice(7, -1), h.value]),
  );
  function choose(filters) {
    chosenBox.replaceChildren(...Object.entries(filters).map(([name, raw]) => {
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = `filter[${name}]`;
      hidden.value = raw;
      return hidden;
    }));
  }
  function address(q, filters) {
    const params = new URLSearchParams();
    if (q) params.append("q", q);
    for (const [name, raw] of Object.entries(filters)) params.append(`filter[${name}]`, raw);
    const query = params.toString();
    return `/app/records/${type}` + (query ? `?${query}` : "");
  }
  // A facet value (always text in the page and in the counts) as the search endpoint's filter takes it.
  function typed(kind, raw) {
    const base = (kind || "string").replace(/\[\]$/, "");
    if (base === "bool") return raw === "true";
    if (base === "int64") return parseInt(raw, 10);
    if (base === "float") return Number(raw);
    return raw;
  }

  function drawRows(hits) {
    rows.replaceChildren(...hits.map((hit, i) => {
      const tr = document.createElement("tr");
      const href = `/app/records/${type}/${hit.id}`;
      if (!columns.length) tr.append(recordsCell(hit.id, href));
      columns.forEach((column, n) => {
        const value = hit.attributes[column.name];
        const empty = value === undefined || value === null || value === "";
        tr.append(n === 0 ? recordsCell(empty ? hit.id : recordsPlain(words, value), href, column.label)
          : recordsCell(recordsPlain(words, value), null, column.label));
      });
      if (withStatus) tr.append(recordsCell(hit.status || "", null, table.dataset.statusLabel));
      tr.querySelector("a").dataset.position = String(i + 1);
      return tr;
    }));
  }

  function drawFacets(counts, q, filters) {
    if (!facetsBox) return;
    for (const box of facetsBox.querySelectorAll("[data-facet-box]")) {
      const name = box.dataset.facetBox;
      const list = box.querySelector("ul");
      list.replaceChildren(...(counts[name] || []).map((item) => {
        const picked = filters[name] === item.value;
        const rest = Object.fromEntries(Object.entries(filters).filter(([k]) => k !== name));
        const a = document.createElement("a");
        a.href = address(q, picked ? rest : { ...rest, [name]: item.value });
        a.dataset.facet = name;
        a.dataset.value = item.value;
        a.append(({ true: words.yes, false: words.no })[item.value] || item.value, " ");
        const count = document.createElement("span");
        count.className = "count";
        count.textContent = String(item.count);
        a.append(count);
        if (picked) {
          a.setAttribute("aria-current", "true");
          const note = document.createElement("span");
          note.className = "records-sr";
          note.textContent = ` (${words.chosenWord})`;
          a.append(note);
        }
        const li = document.createElement("li");
        li.append(a);
        return li;
      }));
    }
    if (clear) {
      clear.hidden = !Object.keys(filters).length;
      clear.href = address(q, {});
    }
  }

  async function run() {
    const mine = ++asked;
    const q = input.value.trim();
    const filters = chosen();
    const body = { q, facets: facetNames, per_page: RECORDS_PAGE, filters: {} };
    for (const [name, raw] of Object.entries(filters)) body.filters[name] = typed(kinds[name], raw);
    const general = form.querySelector('[data-error=""]');
    let answer;
    let payload;
    try {
      answer = await fetch(`/api/v1/entities/${encodeURIComponent(type)}/search`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify(body),
      });
      payload = await answer.json().catch(() => ({}));
    } catch (exc) {
      if (mine === asked) show(form, [], String(exc));
      return;
    }
    if (mine !== asked) return; // a later keystroke's search answers instead
    if (!answer.ok) {
      const error = payload.error || {};
      show(form, [], error.message || `HTTP ${answer.status}`);
      return;
    }
    general.hidden = true;
    const meta = payload.meta || {};
    queryId = meta.query_id || null;
    drawRows(payload.data);
    drawFacets(meta.facets || {}, q, filters);
    foundLine.textContent = words.found.replace("{n}", String(meta.found));
    table.hidden = !payload.data.length;
    none.hidden = Boolean(payload.data.length);
    none.textContent = q || Object.keys(filters).length ? words.noMatch : words.empty;
    window.history.replaceState(null, "", address(q, filters));
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, RECORDS_WAIT_MS);
  }

  input.addEventListener("input", soon);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
  results.addEventListener("click", (event) => {
    const facet = event.target.closest("a[data-facet]");
    const reset = event.target.closest("#records-clear");
    if (facet || reset) {
      event.preventDefault();
      const filters = chosen();
      if (reset) choose({});
      else if (filters[facet.dataset.facet] === facet.dataset.value) {
        delete filters[facet.dataset.facet];
        choose(filters);
      } else choose({ ...filters, [facet.dataset.facet]: facet.dataset.value });
      window.clearTimeout(timer);
      run();
      return;
    }
    // Opening a hit is reported for the search's click-through analytics (POST /api/v1/search/clicks).
    const hit = event.target.closest("#records-rows a");
    if (hit && queryId) {
      fetch("/api/v1/search/clicks", {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify({
          query_id: queryId,
          entity_id: hit.getAttribute("href").split("/").pop(),
          position: Number(hit.dataset.position) || undefined,
        }),
      }).catch(() => {});
    }
  });
}

// PATCH or POST to the REST API with the record's ETag; the answer's body, or null once the error is
// shown (a 412: someone else changed the record, so the page must be reloaded first).
async function recordsChange(form, method, path, body, record) {
  try {
    const patch = method === "PATCH" ? { "Content-Type": "application/merge-patch+json" } : {};
    const [answer, payload] = await request(form, method, path, body, { ...patch, "If-Match": record.dataset.etag });
    if (answer.ok) return payload;
    if (answer.status === 412) {
      show(form, [], record.dataset.conflict);
      const reload = document.createElement("a");
      reload.href = window.location.pathname;
      reload.textContent = record.dataset.reload;
      form.querySelector('[data-error=""]').append(" ", reload);
      return null;
    }
    const error = payload.error || {};
    // The API names fields by JSON pointer (/attributes/name); the inputs by dotted name.
    const fields = ((error.details && error.details.fields) || [])
      .map((f) => ({ field: String(f.field).replace(/^\//, "").replaceAll("/", "."), message: f.message }));
    show(form, fields, error.message || `HTTP ${answer.status}`);
  } catch (exc) {
    show(form, [], String(exc));
  }
  return null;
}

function recordsRecord() {
  const record = document.querySelector("form.records-edit");
  if (!record) return;
  const path = `/api/v1/entities/${encodeURIComponent(record.dataset.type)}/${record.dataset.record}`;
  record.addEventListener("submit", async (event) => {
    event.preventDefault();
    let attributes;
    try {
      attributes = collect(record, "attributes");
    } catch (exc) {
      show(record, exc instanceof FieldError ? [{ field: exc.field, message: exc.message }] : [], String(exc));
      return;
    }
    // A merge patch: an emptied input removes its attribute; an untouched unset checkbox stays unset.
    for (const input of record.querySelectorAll('[name^="attributes."]')) {
      const key = input.name.slice("attributes.".length);
      if (input.type === "checkbox") {
        if (!input.dataset.had && !input.checked) delete attributes[key];
      } else if (input.dataset.had && !(key in attributes)) {
        attributes[key] = null;
      }
    }
    const body = { attributes };
    const status = record.querySelector("[name=status]");
    if (status) body.status = status.value;
    if (await recordsChange(record, "PATCH", path, body, record)) {
      window.location.assign(`${window.location.pathname}?saved=1`);
    }
  });
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.records-revert");
    if (!form) return;
    event.preventDefault();
    const version = form.dataset.version;
    if (await recordsChange(form, "POST", `${path}/history/${version}/revert`, undefined, record)) {
      window.location.assign(`${window.location.pathname}?reverted=${version}`);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  recordsTable();
  recordsRecord();
});
