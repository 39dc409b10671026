from enum import StrEnum


class TileDataChart(StrEnum):
    BAR = "bar"
    HEATMAP = "heatmap"
    LINE = "line"
    NUMBER = "number"
    TABLE = "table"

    def __str__(self) -> str:
        return str(self.value)
