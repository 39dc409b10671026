"""Search over entity records: Typesense collections per tenant and type, kept in sync from the outbox."""
