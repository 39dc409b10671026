"""Personal data: what Keel holds about a person, and erasing it."""
