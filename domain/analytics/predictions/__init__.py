"""Predictions trained per tenant on its own history: process completion, booking no-shows, metric
forecasts."""
