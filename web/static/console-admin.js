// Keel console, administration: each form sends its change to the documented REST endpoint with the
// session cookie and the page's CSRF token (console.js's request(), show(), value()); the API's errors are
// shown at their fields. A secret the API answers once (API key, webhook signing secret) is shown once.
"use strict";

// ``method`` ``path`` with ``body``: the answer's payload, or null once its errors are shown. A refusal
// naming the permissions the visitor lacks (403, details.missing) is shown at the form's
// ``data-missing`` field, where those permissions were chosen.
async function call(form, method, path, body) {
  try {
    const [answer, payload] = await request(form, method, path, body);
    if (answer.ok) return payload;
    const error = payload.error || {};
    const details = error.details || {};
    let fields = details.fields || [];
    if (!fields.length && details.missing && form.dataset.missing) {
      fields = [{ field: form.dataset.missing, message: error.message }];
    }
    show(form, fields, error.message || `HTTP ${answer.status}`);
  } catch (exc) {
    show(form, exc instanceof FieldError ? [{ field: exc.field, message: exc.message }] : [], String(exc));
  }
  return null;
}

function clear(form) {
  form.querySelectorAll("[data-error]").forEach((p) => { p.hidden = true; p.textContent = ""; });
}

function text(form, name) {
  const input = form.querySelector(`[name="${name}"]`);
  return input ? input.value.trim() : "";
}

function checked(form, name) {
  return [...form.querySelectorAll(`input[type=checkbox][name="${name}"]:checked`)].map((i) => i.value);
}

// Roles are checkboxes, or a comma-separated text when the visitor may not list the roles.
function roles(form) {
  const typed = form.querySelector('input[type=text][name="roles"], input:not([type])[name="roles"]');
  if (typed) return typed.value.split(",").map((r) => r.trim()).filter(Boolean);
  return checked(form, "roles");
}

function reloadSaying(done) {
  window.location.assign(`${window.location.pathname}?done=${done}`);
}

// The form gives way to a status line saying what was done.
function replaceWithNote(form, message) {
  const note = document.createElement("p");
  note.className = "note";
  note.setAttribute("role", "status");
  note.textContent = message;
  form.replaceWith(note);
}

function showSecret(secret) {
  const panel = document.getElementById("secret");
  document.getElementById("secret-value").value = secret;
  panel.hidden = false;
  panel.focus();
}

function copySecret(button) {
  const input = document.getElementById("secret-value");
  const said = () => { button.textContent = button.dataset.copied; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(said, () => { input.select(); });
  } else {
    input.select();
    if (document.execCommand("copy")) said();
  }
}

// The rendered fields, as text: the HTML body also in a sandboxed frame (no script, no same origin).
function showRendered(rendered) {
  const section = document.getElementById("rendered");
  const words = JSON.parse(section.dataset.words);
  const out = section.querySelector("[data-fields]");
  out.replaceChildren();
  const used = document.createElement("p");
  used.className = "muted";
  used.textContent = `${words.locale} ${rendered.locale}`;
  out.append(used);
  for (const [name, value] of Object.entries(rendered.fields)) {
    const heading = document.createElement("h3");
    heading.className = "admin-field";
    heading.textContent = words[name] || name;
    out.append(heading);
    if (!value) {
      const none = document.createElement("p");
      none.className = "muted";
      none.textContent = words.empty;
      out.append(none);
    } else if (name === "html") {
      const frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "");
      frame.setAttribute("title", words.frame);
      frame.className = "admin-frame";
      frame.srcdoc = value;
      const source = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = words.source;
      const pre = document.createElement("pre");
      pre.textContent = value;
      source.append(summary, pre);
      out.append(frame, source);
    } else {
      const pre = document.createElement("pre");
      pre.dataset.field = name;
      pre.textContent = value;
      out.append(pre);
    }
  }
  section.hidden = false;
}

const ADMIN = {
  // POST /api/v1/users, then the list again.
  async "user-create"(form) {
    const body = { email: text(form, "email"), password: form.querySelector("[name=password]").value, roles: roles(form) };
    const name = text(form, "full_name");
    if (name) body.full_name = name;
    if (await call(form, "POST", "/api/v1/users", body)) reloadSaying("user_created");
  },
  // PATCH /api/v1/users/{id}: roles replaced as a whole, active or not.
  async "user-save"(form) {
    const body = { roles: roles(form), is_active: form.querySelector("[name=is_active]").checked };
    if (await call(form, "PATCH", `/api/v1/users/${form.dataset.user}`, body)) reloadSaying("user_saved");
  },
  // POST /api/v1/roles: the API refuses permissions the visitor lacks (shown at the permissions).
  async "role-create"(form) {
    const body = {
      name: text(form, "name"),
      permissions: checked(form, "permissions"),
      mfa_required: form.querySelector("[name=mfa_required]").checked,
    };
    const description = text(form, "description");
    if (description) body.description = description;
    if (await call(form, "POST", "/api/v1/roles", body)) reloadSaying("role_created");
  },
  // PATCH /api/v1/roles/{id} (permissions replaced as a whole), or DELETE it: the API refuses a role
  // still held by users, and permissions the visitor lacks (shown at the permissions).
  async "role-save"(form, submitter) {
    const path = `/api/v1/roles/${form.dataset.role}`;
    if (submitter && submitter.name === "delete") {
      if (await call(form, "DELETE", path)) reloadSaying("role_deleted");
      return;
    }
    const body = {
      description: text(form, "description") || null,
      permissions: checked(form, "permissions"),
      mfa_required: form.querySelector("[name=mfa_required]").checked,
    };
    if (await call(form, "PATCH", path, body)) reloadSaying("role_saved");
  },
  // POST /api/v1/api-keys: its secret is in this answer only.
  async "key-create"(form) {
    const body = { name: text(form, "name") };
    const until = text(form, "expires_at");
    if (until) body.expires_at = new Date(`${until}T23:59:59`).toISOString();
    const scopes = checked(form, "permissions");
    if (scopes.length) body.permissions = scopes;
    const answer = await call(form, "POST", "/api/v1/api-keys", body);
    if (answer) { clear(form); form.reset(); showSecret(answer.data.api_key); }
  },
  // DELETE /api/v1/api-keys/{id}: it stops working at once.
  async "key-revoke"(form) {
    if (await call(form, "DELETE", `/api/v1/api-keys/${form.dataset.key}`)) replaceWithNote(form, form.dataset.done);
  },
  // POST /api/v1/webhooks: its signing secret is in this answer only.
  async "webhook-create"(form) {
    const body = { url: text(form, "url"), events: text(form, "events").split(/[\s,]+/).filter(Boolean) };
    const description = text(form, "description");
    if (description) body.description = description;
    const answer = await call(form, "POST", "/api/v1/webhooks", body);
    if (answer) { clear(form); form.reset(); showSecret(answer.data.secret); }
  },
  // POST /api/v1/webhooks/deliveries/{id}/retry: a new round of attempts starts.
  async retry(form) {
    if (await call(form, "POST", `/api/v1/webhooks/deliveries/${form.dataset.delivery}/retry`)) {
      const cell = form.closest("tr").querySelector("[data-cell=status]");
      cell.textContent = form.dataset.pending;
      cell.dataset.status = "pending";
      replaceWithNote(form, form.dataset.done);
    }
  },
  // POST /api/v1/webhooks/{id}/test: one signed webhook.test delivery now; the list shows it.
  async "webhook-test"(form) {
    if (await call(form, "POST", `/api/v1/webhooks/${form.dataset.hook}/test`)) window.location.reload();
  },
  // POST /api/v1/notification-templates/{key}/preview: rendered as a delivery would be.
  async preview(form) {
    let data;
    try {
      data = value(form.querySelector("[name=data]"));
    } catch (exc) {
      show(form, [{ field: "data", message: exc.message }], "");
      return;
    }
    const body = { channel: text(form, "channel"), data: data || {} };
    const locale = text(form, "locale");
    if (locale) body.locale = locale;
    const answer = await call(form, "POST", `/api/v1/notification-templates/${form.dataset.key}/preview`, body);
    if (answer) { clear(form); showRendered(answer.data); }
  },
};

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.admin-form");
  if (!form || !ADMIN[form.dataset.action]) return;
  event.preventDefault();
  ADMIN[form.dataset.action](form, event.submitter);
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("#secret-copy");
  if (button) copySecret(button);
});
