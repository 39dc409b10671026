"""Billing reports: revenue, receivables ageing, MRR and tax, in the reporting currency."""
