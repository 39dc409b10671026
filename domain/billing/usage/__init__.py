"""Usage-based billing: billable metrics and usage events."""
