"""A subscription's states, as requests and its invoices' dunning move it."""
