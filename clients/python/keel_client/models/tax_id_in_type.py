from enum import StrEnum


class TaxIdInType(StrEnum):
    EU_VAT = "eu_vat"
    GB_VAT = "gb_vat"
    OTHER = "other"
    US_EIN = "us_ein"

    def __str__(self) -> str:
        return str(self.value)
