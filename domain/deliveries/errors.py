"""Delivery errors live in domain.errors (ValidationFailed, NotFound); nothing specific yet."""
