// Keel console, the security page: set up an authenticator (POST /api/v1/me/mfa/totp, then
// .../totp/confirm with its first code: the recovery codes are shown once) and end one's other
// sessions (DELETE /api/v1/me/sessions/{id}). Uses console.js's request(), send() and show().
"use strict";

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (form.classList.contains("enrol")) {
    event.preventDefault();
    send(form, "/api/v1/me/mfa/totp", undefined, (answer) => {
      const next = document.querySelector("form.confirm");
      next.querySelector("img.qr").src = `data:image/png;base64,${answer.data.qr_png}`;
      next.querySelector("code.secret").textContent = answer.data.secret;
      form.hidden = true;
      next.hidden = false;
      next.querySelector("input[name=code]").focus();
    });
  } else if (form.classList.contains("confirm")) {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const code = form.querySelector("input[name=code]").value.replace(/\s/g, "");
    send(form, "/api/v1/me/mfa/totp/confirm", { code }, (answer) => {
      const shown = document.querySelector("div.codes");
      const list = shown.querySelector("ol.recovery");
      list.replaceChildren(...answer.data.recovery_codes.map((c) => {
        const item = document.createElement("li");
        item.textContent = c;
        return item;
      }));
      form.hidden = true;
      shown.hidden = false;
      shown.querySelector("a").focus();
    });
  } else if (form.classList.contains("end-session")) {
    event.preventDefault();
    const [answer] = await request(form, "DELETE", `/api/v1/me/sessions/${form.dataset.session}`);
    const note = document.createElement("span");
    note.setAttribute("role", "status");
    note.className = answer.ok ? "note" : "error";
    note.textContent = answer.ok ? form.dataset.done : `HTTP ${answer.status}`;
    form.replaceWith(note);
  }
});
