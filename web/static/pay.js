// The payment page: a Stripe.js card field; the client secret comes from this origin's public
// endpoint, the card is confirmed with Stripe, and Stripe's webhook records the payment.
"use strict";
(function () {
  const section = document.getElementById("pay");
  const form = document.getElementById("pay-form");
  const status = document.getElementById("pay-status");
  const button = document.getElementById("pay-button");
  if (!section || !form || typeof Stripe === "undefined") {
    if (status) status.textContent = "The card form could not load. Please try again later.";
    return;
  }
  const stripe = Stripe(section.dataset.key);
  const card = stripe.elements().create("card");
  card.mount("#card");

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    status.textContent = "Paying…";
    try {
      const response = await fetch(section.dataset.intent, { method: "POST", credentials: "omit" });
      const body = await response.json();
      if (!response.ok) {
        status.textContent = (body.error && body.error.message) || "The payment could not start.";
        button.disabled = false;
        return;
      }
      const result = await stripe.confirmCardPayment(body.data.client_secret, {
        payment_method: { card: card },
      });
      if (result.error) {
        status.textContent = result.error.message || "The card was declined.";
        button.disabled = false;
        return;
      }
      status.textContent = "Thank you: your payment was received.";
      section.dataset.paid = "true";
    } catch (error) {
      status.textContent = "The payment could not be completed. Please try again.";
      button.disabled = false;
    }
  });
})();
