// Keel console, bookings: a free slot of the week opens a panel that holds it (POST /api/v1/bookings)
// and confirms the hold (POST /api/v1/bookings/{id}/confirm); my bookings are cancelled
// (POST /api/v1/bookings/{id}/cancel) and moved (PATCH /api/v1/bookings/{id}). Uses console.js's
// csrf() and show().
"use strict";

(() => {
  // One request to the REST API (console.js's request(): the session cookie, the CSRF token).
  async function call(method, path, body) {
    const [answer, payload] = await request(null, method, path, body);
    return { ok: answer.ok, status: answer.status, payload };
  }

  // The API's refusal in the form: the page's own words for the errors a person can act on, else the
  // API's message and its field errors at their fields. A late change reveals the fee's checkbox.
  function refused(form, result) {
    const error = result.payload.error || {};
    const words = {
      booking_conflict: form.dataset.conflict,
      late_cancellation: form.dataset.late,
      late_reschedule: form.dataset.late,
      booking_started: form.dataset.started,
      booking_not_active: form.dataset.gone,
      forbidden: form.dataset.refused,
    };
    const fee = form.querySelector(".fee");
    if (fee && (error.code === "late_cancellation" || error.code === "late_reschedule")) fee.hidden = false;
    const own = words[error.code];
    show(form, own ? [] : (error.details && error.details.fields) || [], own || error.message || `HTTP ${result.status}`);
  }

  function busy(form, on) {
    form.querySelectorAll("button").forEach((b) => { b.disabled = on; });
  }

  // --- The week: hold and confirm a free slot -------------------------------------------------------

  const panel = document.getElementById("book-panel");
  let opener = null;

  function open(slot) {
    const form = panel.querySelector("form");
    opener = slot;
    form.querySelectorAll("[data-error]").forEach((p) => { p.hidden = true; p.textContent = ""; });
    form.querySelector("[data-progress]").textContent = "";
    form.querySelector("[data-when]").textContent = slot.dataset.when;
    form.elements.start.value = slot.dataset.start;
    form.elements.end.value = slot.dataset.end;
    const free = slot.dataset.resources.split(",");
    const select = form.querySelector("select[name=resource]");
    if (select) {
      for (const option of select.options) {
        option.disabled = !free.includes(option.value);
        option.hidden = option.disabled;
      }
      select.value = free[0];
    }
    panel.showModal();
  }

  async function hold(form) {
    const body = {
      resources: [form.elements.resource.value],
      start: form.elements.start.value,
      end: form.elements.end.value,
    };
    const subject = form.elements.subject.value.trim();
    const notes = form.elements.notes.value.trim();
    if (subject) body.subject = subject;
    if (notes) body.details = { notes };
    const progress = form.querySelector("[data-progress]");
    busy(form, true);
    progress.textContent = form.dataset.working;
    try {
      const held = await call("POST", "/api/v1/bookings", body);
      if (!held.ok) { refused(form, held); return; }
      const id = held.payload.data.id;
      const confirmed = await call("POST", `/api/v1/bookings/${id}/confirm`);
      if (!confirmed.ok) {
        await call("POST", `/api/v1/bookings/${id}/cancel`, {}); // let the hold go rather than keep it
        refused(form, confirmed);
        return;
      }
      const back = new URL(form.dataset.back, window.location.href);
      back.searchParams.set("booked", id);
      back.hash = "booked";
      window.location.assign(back.toString());
    } catch (exc) {
      show(form, [], String(exc));
    } finally {
      progress.textContent = "";
      busy(form, false);
    }
  }

  if (panel) {
    document.addEventListener("click", (event) => {
      const slot = event.target.closest("button.slot");
      if (slot) open(slot);
      else if (event.target.closest("[data-close]")) panel.close();
    });
    panel.addEventListener("close", () => { if (opener) opener.focus(); });
    panel.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      hold(event.target);
    });
  }

  // --- My bookings: cancel and reschedule ------------------------------------------------------------

  // The offset of time zone ``zone`` from UTC, in milliseconds, at the instant ``ms``.
  function offset(ms, zone) {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(ms));
    const v = Object.fromEntries(parts.map((p) => [p.type, Number(p.value)]));
    return Date.UTC(v.year, v.month - 1, v.day, v.hour % 24, v.minute, v.second) - ms;
  }

  // A datetime-local value ("2026-03-02T09:30"), read as wall time in ``zone``, as a UTC instant.
  function instant(wall, zone) {
    const [day, clock] = wall.split("T");
    const [y, m, d] = day.split("-").map(Number);
    const [h, min] = clock.split(":").map(Number);
    const guess = Date.UTC(y, m - 1, d, h, min);
    const first = guess - offset(guess, zone);
    return new Date(guess - offset(first, zone));
  }

  function done(what) {
    window.location.assign(`/app/bookings/mine?changed=${what}#changed`);
  }

  async function change(form) {
    const id = form.dataset.booking;
    const fee = form.elements.accept_fee;
    busy(form, true);
    try {
      let result;
      if (form.classList.contains("booking-cancel")) {
        const body = { accept_fee: Boolean(fee && fee.checked) };
        const reason = form.elements.reason.value.trim();
        if (reason) body.reason = reason;
        result = await call("POST", `/api/v1/bookings/${id}/cancel`, body);
        if (result.ok) { done("cancelled"); return; }
      } else {
        const wall = form.elements.start.value;
        if (!wall) { show(form, [{ field: "start", message: form.dataset.empty }], ""); return; }
        const start = instant(wall, form.dataset.zone);
        const end = new Date(start.getTime() + Number(form.dataset.minutes) * 60000);
        const body = { start: start.toISOString(), end: end.toISOString(), accept_fee: Boolean(fee && fee.checked) };
        result = await call("PATCH", `/api/v1/bookings/${id}`, body);
        if (result.ok) { done("moved"); return; }
      }
      refused(form, result);
    } catch (exc) {
      show(form, [], String(exc));
    } finally {
      busy(form, false);
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form.booking-cancel, form.booking-move");
    if (!form) return;
    event.preventDefault();
    change(form);
  });
})();
