"""Subscriptions: recurring billing of a customer's items, one long-running workflow each."""
