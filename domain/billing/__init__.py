"""Billing: the catalogue (customers, products, prices, taxes, exchange rates), invoices and credit
notes, payments, quotes, subscriptions and usage, and reports. ``money.py`` is shared by them all."""
