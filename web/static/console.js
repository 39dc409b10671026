// Keel console: actions go to the documented REST API with the session cookie and the page's CSRF
// token; the API's field errors are shown at their fields.
"use strict";

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

class FieldError extends Error {
  constructor(field, message) { super(message); this.field = field; }
}

function value(input) {
  if (input.type === "checkbox") return input.checked;
  if (input.value.trim() === "") return undefined;
  if (input.dataset.kind === "integer") return parseInt(input.value, 10);
  if (input.dataset.kind === "number") return Number(input.value);
  if (input.dataset.kind === "json") {
    try { return JSON.parse(input.value); } catch (exc) { throw new FieldError(input.name, exc.message); }
  }
  return input.value;
}

// The values of the form's inputs named "<prefix>.<name>", as one object.
function collect(form, prefix) {
  const out = {};
  for (const input of form.querySelectorAll(`[name^="${prefix}."]`)) {
    const v = value(input);
    if (v !== undefined) out[input.name.slice(prefix.length + 1)] = v;
  }
  return out;
}

// Each error at the input whose name is the longest prefix of its field ("input.amount.value" is
// shown at "input.amount"), the rest at the top of the form.
function show(form, fields, message) {
  form.querySelectorAll("[data-error]").forEach((p) => { p.hidden = true; p.textContent = ""; });
  const general = form.querySelector('[data-error=""]');
  const spots = [...form.querySelectorAll("[data-error]")].filter((p) => p.dataset.error);
  for (const f of fields) {
    const at = spots
      .filter((p) => f.field === p.dataset.error || f.field.startsWith(p.dataset.error + "."))
      .sort((a, b) => b.dataset.error.length - a.dataset.error.length)[0];
    const target = at || general;
    const text = (target === general && f.field ? f.field + ": " : "") + f.message;
    target.textContent = target.hidden ? text : `${target.textContent} ${text}`;
    target.hidden = false;
  }
  if (!fields.length) { general.textContent = message; general.hidden = false; }
  const first = form.querySelector("[data-error]:not([hidden])");
  if (first) first.scrollIntoView({ block: "center" });
}

// ``method`` ``path`` with ``body`` as JSON, as the page's reader: the session cookie, the page's CSRF
// token and any ``headers`` (If-Match...); the form's buttons are disabled meanwhile. Answers
// [response, payload] (the payload {} when there is no JSON body).
async function request(form, method, path, body, headers = {}) {
  const buttons = form ? form.querySelectorAll("button") : [];
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const answer = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return [answer, await answer.json().catch(() => ({}))];
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

// POST ``body`` to ``path``; on success ``then(answer)``, else the errors at their fields.
async function send(form, path, body, then) {
  try {
    const [answer, payload] = await request(form, "POST", path, body);
    if (answer.ok) { then(payload); return; }
    const error = payload.error || {};
    show(form, (error.details && error.details.fields) || [], error.message || `HTTP ${answer.status}`);
  } catch (exc) {
    show(form, exc instanceof FieldError ? [{ field: exc.field, message: exc.message }] : [], String(exc));
  }
}

const ACTIONS = {
  // A task's decision: POST /api/v1/tasks/{id}/complete, then back to the inbox.
  decide(form, submitter) {
    const body = { outcome: submitter ? submitter.value : "" };
    const data = collect(form, "data");
    if (Object.keys(data).length) body.data = data;
    const comment = form.querySelector("[name=comment]").value.trim();
    if (comment) body.comment = comment;
    return [`/api/v1/tasks/${form.dataset.task}/complete`, body, () => window.location.assign(form.dataset.done)];
  },
  // A new process: POST /api/v1/processes, then its page.
  start(form) {
    const body = { definition: form.dataset.definition, input: collect(form, "input") };
    const key = form.querySelector("[name=business_key]").value.trim();
    if (key) body.business_key = key;
    return ["/api/v1/processes", body, (answer) => window.location.assign(`/app/processes/${answer.data.id}`)];
  },
  // A process's cancel button: POST /api/v1/processes/{id}/cancel; the form says it was asked.
  cancel(form) {
    return [`/api/v1/processes/${form.dataset.process}/cancel`, undefined, () => {
      const note = document.createElement("p");
      note.className = "note";
      note.setAttribute("role", "status");
      note.textContent = form.dataset.done;
      form.replaceChildren(note);
    }];
  },
};

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.decide, form.start, form.cancel");
  if (!form) return;
  event.preventDefault();
  if (!form.reportValidity()) return;
  const kind = ["decide", "start", "cancel"].find((k) => form.classList.contains(k));
  try {
    const [path, body, then] = ACTIONS[kind](form, event.submitter);
    send(form, path, body, then);
  } catch (exc) {
    show(form, exc instanceof FieldError ? [{ field: exc.field, message: exc.message }] : [], String(exc));
  }
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
      const query = new URLSearchParams(window.location.search);
      query.delete("decided"); // the filters stay, the note of a past decision goes
      window.location.replace(`${window.location.pathname}?${query}`);
    }
  });
}

document.addEventListener("DOMContentLoaded", followInbox);
