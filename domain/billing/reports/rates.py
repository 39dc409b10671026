"""Exchange rates for a whole report, loaded in two queries instead of one lookup per amount.

The rule is ``domain/billing/catalog/fx.py``'s, kept identical (a domain test compares the two): the
latest direct or inverse rate on or before the day (the later one wins, direct on a tie), else across
EUR; the converted amount is rounded once, half up. A missing rate is a 422 naming the pair and the
day, never a wrong number.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.billing import FxRate
from domain.billing.money import digits, round_minor
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.queries import live, mine

EUR = "EUR"
Pair = tuple[str, str]


class Rates:
    """Converts amounts of the given (currency, day) needs into ``target``."""

    def __init__(
        self, session: Session, ctx: TenantContext, target: str, needs: set[tuple[str, date]]
    ) -> None:
        self.target = target
        self._history: dict[Pair, list[tuple[date, Decimal]]] = defaultdict(list)
        self._cache: dict[tuple[str, date], Decimal] = {}
        foreign = {(currency, day) for currency, day in needs if currency != target}
        if foreign:
            self._load(session, ctx, {c for c, _ in foreign} | {target, EUR}, foreign)

    def _load(
        self, session: Session, ctx: TenantContext, codes: set[str], needs: set[tuple[str, date]]
    ) -> None:
        first, last = min(d for _, d in needs), max(d for _, d in needs)
        pairs = [FxRate.base.in_(codes), FxRate.quote.in_(codes)]
        within = live(ctx, FxRate).where(*pairs, FxRate.on_date >= first, FxRate.on_date <= last)
        # Before the first day only the latest rate of each pair can matter.
        before = (
            select(FxRate)
            .where(*mine(ctx, FxRate), *pairs, FxRate.on_date < first)
            .order_by(FxRate.base, FxRate.quote, FxRate.on_date.desc())
            .distinct(FxRate.base, FxRate.quote)
        )
        for query in (before, within):
            for row in session.scalars(query):
                self._history[(row.base, row.quote)].append((row.on_date, Decimal(row.rate)))
        for history in self._history.values():
            history.sort()

    def _on(self, base: str, quote: str, on: date) -> tuple[date, Decimal] | None:
        history = self._history.get((base, quote), [])
        at = bisect_right(history, on, key=lambda item: item[0])
        return history[at - 1] if at else None

    def _latest(self, base: str, quote: str, on: date) -> tuple[Decimal, date] | None:
        best: tuple[Decimal, date] | None = None
        for b, q, inverse in ((base, quote, False), (quote, base, True)):
            found = self._on(b, q, on)
            if found is not None and (best is None or found[0] > best[1]):
                best = (Decimal(1) / found[1] if inverse else found[1], found[0])
        return best

    def rate(self, source: str, on: date) -> Decimal:
        """How many ``target`` one ``source`` buys on ``on``."""
        target = self.target
        if source == target:
            return Decimal(1)
        if (source, on) in self._cache:
            return self._cache[(source, on)]
        pair = self._latest(source, target, on)
        found = pair[0] if pair is not None else None
        if found is None and EUR not in (source, target):
            to_eur, from_eur = self._latest(source, EUR, on), self._latest(EUR, target, on)
            if to_eur is not None and from_eur is not None:
                found = to_eur[0] * from_eur[0]
        if found is None:
            raise ValidationFailed.one(
                "currency",
                f"no exchange rate from {source} to {target} on or before {on.isoformat()} "
                "(directly or across EUR): add one at /api/v1/fx-rates",
                code="fx_rate_missing",
            )
        self._cache[(source, on)] = found
        return found

    def convert(self, minor: int, source: str, on: date) -> int:
        """``minor`` units of ``source`` in minor units of the target, at the rate of ``on``."""
        if source == self.target or minor == 0:
            return minor
        value = Decimal(minor).scaleb(-digits(source)) * self.rate(source, on)
        return round_minor(value.scaleb(digits(self.target)))
