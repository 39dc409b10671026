// The signing page: signature pad (typed or drawn), field values, OTP, consent, sign and decline.
// All calls go to the public JSON endpoints under data-api; the API's own messages are shown.
"use strict";

(function () {
  const root = document.getElementById("signing");
  if (!root) return;

  const api = root.dataset.api;
  const $ = (id) => document.getElementById(id);
  const form = $("sign-form");
  const pad = $("pad");
  const ctx = pad.getContext("2d");
  let inked = false;
  let ink = null; // the drawn strokes' bounds, so the exported image is the signature, not the pad

  // -- messages ------------------------------------------------------------------------------------

  function clearErrors() {
    document.querySelectorAll(".error[id^='error-']").forEach((el) => { el.textContent = ""; });
  }

  function showError(id, message) {
    const el = $(id) || $("error-general");
    el.textContent = message;
    if (el.scrollIntoView) el.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // Where an API field path is shown: "consent", "otp", "signature.value", "fields.<id>", "reason".
  function errorSlot(path) {
    const [head, rest] = String(path || "").split(/\.(.+)/);
    if (head === "consent" || head === "otp" || head === "reason") return "error-" + head;
    if (head === "signature") return "error-signature";
    if (head === "fields" && rest && $("error-field-" + rest)) return "error-field-" + rest;
    return "error-general";
  }

  // The API words field messages as a predicate ("is not the code we sent"): given a subject here.
  const SUBJECTS = {
    "error-otp": "The code",
    "error-consent": "Consent",
    "error-signature": "The signature",
    "error-reason": "The reason",
  };

  function sentence(slot, message) {
    if (!/^[a-z]/.test(message)) return message;
    return (SUBJECTS[slot] || "This field") + " " + message;
  }

  function showApiError(body, fallback) {
    const err = (body && body.error) || {};
    const fields = (err.details && err.details.fields) || [];
    const unplaced = [];
    fields.forEach((f) => {
      const slot = errorSlot(f.field);
      if (slot === "error-general") unplaced.push(f.field + ": " + f.message);
      else showError(slot, sentence(slot, f.message));
    });
    if (!fields.length || unplaced.length) {
      showError("error-general", [err.message || fallback].concat(unplaced).join(" "));
    }
  }

  function finish(kind, title, message) {
    form.hidden = true;
    // The link is spent: no download any more, and nothing shown as signed that was not.
    const download = $("download");
    if (download) download.hidden = true;
    if (kind !== "signed") document.querySelectorAll(".box").forEach((b) => setBoxText(b, ""));
    $("decline-panel").hidden = true;
    const done = $("done");
    done.className = "card notice " + kind;
    $("done-title").textContent = title;
    $("done-message").textContent = message;
    done.hidden = false;
    done.focus();
    window.scrollTo(0, 0);
  }

  async function post(path, payload) {
    let response;
    try {
      response = await fetch(api + path, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (e) {
      return { status: 0, body: null };
    }
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    return { status: response.status, body: body };
  }

  function gone(result) {
    if (result.status !== 410) return false;
    const message = (result.body && result.body.error && result.body.error.message) ||
      "This signing link can no longer be used.";
    finish("gone", "This link can no longer be used", message);
    return true;
  }

  // -- the boxes over the pages mirror what is typed, drawn or filled in --------------------------

  function setBoxText(box, value) {
    const text = box.querySelector(".box-value");
    text.textContent = value;
    text.removeAttribute("textLength");
    const room = parseFloat(text.dataset.width);
    if (value && text.getComputedTextLength && text.getComputedTextLength() > room) {
      text.setAttribute("textLength", String(room));
      text.setAttribute("lengthAdjust", "spacingAndGlyphs");
    }
    box.querySelector(".box-image").removeAttribute("href");
    box.classList.toggle("filled", Boolean(value));
  }

  function setBoxImage(box, url) {
    box.querySelector(".box-value").textContent = "";
    box.querySelector(".box-image").setAttribute("href", url);
    box.classList.add("filled");
  }

  function initials(name) {
    return name.trim().split(/\s+/).filter(Boolean).map((w) => w[0].toUpperCase()).join("").slice(0, 4);
  }

  function mode() {
    return form.querySelector("input[name='signature-type']:checked").value;
  }

  function refreshSignatureBoxes() {
    const typed = $("typed-name").value.trim();
    const drawn = mode() === "drawn" && inked ? drawnImage() : null;
    document.querySelectorAll(".box[data-type='signature']").forEach((box) => {
      if (drawn) setBoxImage(box, drawn);
      else setBoxText(box, mode() === "typed" ? typed : "");
    });
    const name = mode() === "typed" ? typed : root.dataset.name;
    document.querySelectorAll(".box[data-type='initials']").forEach((box) => {
      setBoxText(box, (mode() === "typed" || inked) ? initials(name) : "");
    });
  }

  function box(fieldId) {
    return document.querySelector(".box[data-field='" + CSS.escape(fieldId) + "']");
  }

  document.querySelectorAll("input[data-field]").forEach((input) => {
    const mirror = () => { const b = box(input.dataset.field); if (b) setBoxText(b, input.value); };
    input.addEventListener("input", mirror);
    mirror();
  });

  // Date boxes are filled by the server with the day of signing: shown here as today.
  const today = new Date().toLocaleDateString(document.documentElement.lang || undefined,
    { year: "numeric", month: "short", day: "numeric" });
  document.querySelectorAll(".box[data-type='date']").forEach((b) => setBoxText(b, today));

  // -- typed or drawn -------------------------------------------------------------------------------

  form.querySelectorAll("input[name='signature-type']").forEach((radio) => {
    radio.addEventListener("change", () => {
      $("typed-panel").hidden = mode() !== "typed";
      $("drawn-panel").hidden = mode() !== "drawn";
      $("error-signature").textContent = "";
      refreshSignatureBoxes();
    });
  });

  $("typed-name").addEventListener("input", () => {
    $("typed-preview").textContent = $("typed-name").value;
    refreshSignatureBoxes();
  });

  // Pointer events cover mouse, touch and pen alike; the canvas keeps its own 600x200 pixels and
  // each point is scaled from the displayed size.
  ctx.lineWidth = 3;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.strokeStyle = "#13306b";
  let drawing = null;

  function point(event) {
    const rect = pad.getBoundingClientRect();
    const p = {
      x: (event.clientX - rect.left) * (pad.width / rect.width),
      y: (event.clientY - rect.top) * (pad.height / rect.height),
    };
    ink = ink || { left: p.x, top: p.y, right: p.x, bottom: p.y };
    ink.left = Math.min(ink.left, p.x);
    ink.top = Math.min(ink.top, p.y);
    ink.right = Math.max(ink.right, p.x);
    ink.bottom = Math.max(ink.bottom, p.y);
    return p;
  }

  // The strokes cropped to their bounds (plus the pen's width) as a PNG data URL.
  function drawnImage() {
    const margin = 6;
    const left = Math.max(0, Math.floor(ink.left - margin));
    const top = Math.max(0, Math.floor(ink.top - margin));
    const width = Math.min(pad.width, Math.ceil(ink.right + margin)) - left;
    const height = Math.min(pad.height, Math.ceil(ink.bottom + margin)) - top;
    const out = document.createElement("canvas");
    out.width = Math.max(1, width);
    out.height = Math.max(1, height);
    out.getContext("2d").drawImage(pad, left, top, width, height, 0, 0, width, height);
    return out.toDataURL("image/png");
  }

  pad.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    drawing = event.pointerId;
    const p = point(event);
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
    ctx.lineTo(p.x + 0.1, p.y + 0.1); // a tap leaves a dot
    ctx.stroke();
  });

  pad.addEventListener("pointermove", (event) => {
    if (drawing !== event.pointerId) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    (events.length ? events : [event]).forEach((e) => {
      const p = point(e);
      ctx.lineTo(p.x, p.y);
    });
    ctx.stroke();
    inked = true;
  });

  function endStroke(event) {
    if (drawing !== event.pointerId) return;
    drawing = null;
    inked = true;
    $("error-signature").textContent = "";
    refreshSignatureBoxes();
  }
  pad.addEventListener("pointerup", endStroke);
  pad.addEventListener("pointercancel", endStroke);

  $("pad-clear").addEventListener("click", () => {
    ctx.clearRect(0, 0, pad.width, pad.height);
    inked = false;
    ink = null;
    refreshSignatureBoxes();
  });

  // -- one-time code ----------------------------------------------------------------------------------

  const sendCode = $("send-code");
  if (sendCode) {
    sendCode.addEventListener("click", async () => {
      clearErrors();
      sendCode.disabled = true;
      const result = await post("/otp", {});
      if (gone(result)) return;
      if (result.status === 202 || result.status === 200) {
        const sentTo = result.body && result.body.data && result.body.data.sent_to;
        $("otp-status").textContent = "Code sent" + (sentTo ? " to " + sentTo : "") + ".";
        sendCode.textContent = "Send again";
        setTimeout(() => { sendCode.disabled = false; }, 30000);
        $("otp").focus();
        return;
      }
      sendCode.disabled = false;
      if (result.status === 0) showError("error-otp", "The code could not be sent. Check your connection.");
      else showApiError(result.body, "The code could not be sent.");
    });
  }

  // -- sign -----------------------------------------------------------------------------------------

  function signature() {
    if (mode() === "typed") {
      const value = $("typed-name").value.trim();
      return value ? { type: "typed", value: value } : null;
    }
    return inked ? { type: "drawn", value: drawnImage() } : null;
  }

  function collect() {
    let ok = true;
    const fields = {};
    document.querySelectorAll("input[data-field]").forEach((input) => {
      const value = input.value.trim();
      if (!value) {
        showError("error-field-" + input.dataset.field, "Fill this in.");
        ok = false;
      }
      fields[input.dataset.field] = value;
    });
    const sig = signature();
    if (!sig) {
      showError("error-signature", mode() === "typed" ? "Type your name." : "Draw your signature in the box.");
      ok = false;
    }
    const otp = $("otp");
    if (otp && !otp.value.trim()) {
      showError("error-otp", "Enter the code we sent you.");
      ok = false;
    }
    if (!$("consent").checked) {
      showError("error-consent", "Tick the box to agree to sign electronically.");
      ok = false;
    }
    if (!ok) return null;
    const payload = { signature: sig, fields: fields, consent: true };
    if (otp) payload.otp = otp.value.trim();
    return payload;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const payload = collect();
    if (!payload) return;
    const button = $("sign-button");
    const label = button.textContent;
    button.disabled = true;
    button.textContent = button.dataset.busy;
    const result = await post("/sign", payload);
    button.disabled = false;
    button.textContent = label;
    if (result.status === 200) {
      const done = button.dataset.done;
      finish("signed", done, "Thank you: “" + $("title").textContent + "” is " + done.toLowerCase() +
        ". You will receive the completed document by email once everyone has signed.");
      return;
    }
    if (gone(result)) return;
    if (result.status === 0) showError("error-general", "The signature could not be sent. Check your connection and try again.");
    else showApiError(result.body, "The document could not be signed.");
  });

  // -- decline ----------------------------------------------------------------------------------------

  $("decline-open").addEventListener("click", () => {
    clearErrors();
    form.hidden = true;
    $("decline-panel").hidden = false;
    $("decline-reason").focus();
  });

  $("decline-back").addEventListener("click", () => {
    $("decline-panel").hidden = true;
    form.hidden = false;
  });

  $("decline-button").addEventListener("click", async () => {
    clearErrors();
    const reason = $("decline-reason").value.trim();
    if (!reason) {
      showError("error-reason", "Say why you decline, so the sender knows.");
      return;
    }
    const button = $("decline-button");
    button.disabled = true;
    const result = await post("/decline", { reason: reason });
    button.disabled = false;
    if (result.status === 200) {
      finish("declined", "Declined", "You declined to sign. The sender has been told.");
      return;
    }
    if (gone(result)) return;
    if (result.status === 0) showError("error-reason", "Your answer could not be sent. Check your connection and try again.");
    else showApiError(result.body, "The request could not be declined.");
  });

  refreshSignatureBoxes();
})();
