"""Amounts and quantities as the billing API writes them: decimal strings. Pure values, so that the
invoice workflow's schemas can use them (``money.py`` turns them into minor units)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import StringConstraints

AMOUNT = re.compile(r"-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?")  # at most 10^15 units, 6 decimals
QUANTITY = re.compile(r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,6})?")

# A decimal string as written in a request ("12.30", "-5", "0.125"); its currency decides if it fits.
# pydantic searches a pattern anywhere in the text: anchored, so "1e5" or "x-1" is not an amount.
AmountText = Annotated[str, StringConstraints(min_length=1, max_length=24, pattern=f"^{AMOUNT.pattern}$")]
QuantityText = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=f"^{QUANTITY.pattern}$")]
