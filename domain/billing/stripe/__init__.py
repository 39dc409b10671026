"""Card payments through Stripe: payment links for invoices, signed webhooks, refunds."""
