// Keel console: a decision is sent to the REST API (POST /api/v1/tasks/{id}/complete) with the
// session cookie and the page's CSRF token; the API's field errors are shown at their fields.
"use strict";

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function value(input) {
  if (input.type === "checkbox") return input.checked;
  if (input.value === "") return undefined;
  if (input.dataset.kind === "integer") return parseInt(input.value, 10);
  if (input.dataset.kind === "number") return Number(input.value);
  return input.value;
}

function show(form, fields, message) {
  form.querySelectorAll("[data-error]").forEach((p) => { p.hidden = true; p.textContent = ""; });
  const general = form.querySelector('[data-error=""]');
  for (const f of fields) {
    const at = form.querySelector(`[data-error="${CSS.escape(f.field)}"]`);
    const target = at || general;
    target.textContent = (target === general && f.field ? f.field + ": " : "") + f.message;
    target.hidden = false;
  }
  if (!fields.length) { general.textContent = message; general.hidden = false; }
  const first = form.querySelector("[data-error]:not([hidden])");
  if (first) first.scrollIntoView({ block: "center" });
}

async function decide(form, outcome) {
  const body = { outcome, data: {} };
  const comment = form.querySelector("[name=comment]").value.trim();
  if (comment) body.comment = comment;
  for (const input of form.querySelectorAll('[name^="data."]')) {
    const v = value(input);
    if (v !== undefined) body.data[input.name.slice(5)] = v;
  }
  if (!Object.keys(body.data).length) delete body.data;
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const answer = await fetch(`/api/v1/tasks/${form.dataset.task}/complete`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body),
    });
    if (answer.ok) { window.location.assign(form.dataset.done); return; }
    const problem = await answer.json().catch(() => ({}));
    const error = problem.error || {};
    show(form, (error.details && error.details.fields) || [], error.message || `HTTP ${answer.status}`);
  } catch (exc) {
    show(form, [], String(exc));
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.decide");
  if (!form) return;
  event.preventDefault();
  if (!form.reportValidity()) return;
  const outcome = event.submitter ? event.submitter.value : "";
  decide(form, outcome);
});

// The inbox follows GET /api/v1/tasks/stream: when the set of my open tasks changes (one arrived,
// someone else took one), the page is read again. The browser reconnects a closed stream by itself.
function followInbox() {
  const inbox = document.getElementById("inbox");
  if (!inbox || !window.EventSource) return;
  const shown = inbox.dataset.ids.split(",").filter(Boolean).sort().join(",");
  const stream = new EventSource("/api/v1/tasks/stream?interval=2");
  stream.addEventListener("tasks", (event) => {
    const open = JSON.parse(event.data).open.map((t) => t.id).sort().join(",");
    if (open !== shown) {
      stream.close();
      window.location.replace(window.location.pathname);
    }
  });
}

document.addEventListener("DOMContentLoaded", followInbox);

// A process's cancel button: POST /api/v1/processes/{id}/cancel, then the page again.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.cancel");
  if (!form) return;
  event.preventDefault();
  const answer = await fetch(`/api/v1/processes/${form.dataset.process}/cancel`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrf() },
  });
  if (answer.ok) {
    form.innerHTML = "";
    const note = document.createElement("p");
    note.className = "note";
    note.setAttribute("role", "status");
    note.textContent = form.dataset.done;
    form.appendChild(note);
    return;
  }
  const problem = await answer.json().catch(() => ({}));
  show(form, [], (problem.error && problem.error.message) || `HTTP ${answer.status}`);
});
