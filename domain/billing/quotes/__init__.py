"""Quotes: priced offers a customer accepts (and gets an invoice) or declines on a public page."""
