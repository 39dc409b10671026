"""Invoices and credit notes: drafts, finalizing with a gapless number, payments, the PDF."""
