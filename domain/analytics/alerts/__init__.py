"""Alerts on analytics metrics: rules (threshold, change, anomaly), evaluated after each rollup fold,
and the incidents they open, notify about and resolve."""
