"""Webhook subscriptions, Standard Webhooks signing and the delivery of domain events to them."""
