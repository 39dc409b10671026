"""The ``keel`` command and the ``keel up`` development-stack supervisor: the top layer."""
