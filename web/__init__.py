"""Keel's server-rendered HTML: Jinja2 templates, static files and the routes that serve them.

Pages here are public (the link itself is the credential), so each answers with a strict
Content-Security-Policy, no caching and no referrer; their logic lives in ``domain/``.
"""
