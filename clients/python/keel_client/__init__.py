"""A client library for accessing Keel"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

from .keel import Keel, KeelError  # the hand-written layer (keel.py)
