"""Analytics: declared metrics over Keel's facts, their rollups, series and KPI values."""
