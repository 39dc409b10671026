"""What the catalogue takes and answers: customers, products, tax rates, billing settings.

Shapes are checked here (country, region, locale, tax id formats, lengths); what needs the database
(a linked record, a product of this tenant) is checked by the services.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from domain.billing.catalog.taxes import EU_VAT_PREFIXES
from domain.billing.money import Currency

# Babel's territories include regions ("150"), groupings (EU, UN) and reserved codes: not countries.
_NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)
_REGION = re.compile(r"[A-Z0-9]{1,3}")
_EU_VAT = re.compile(r"([A-Z]{2})([A-Z0-9]{2,12})")
_TAX_ID = re.compile(r"[A-Z0-9]{2,30}")
_CATEGORY = r"^[a-z0-9][a-z0-9_-]{0,49}$"
MAX_TAX_IDS = 10
MAX_METADATA_KEYS = 50


@cache
def countries() -> frozenset[str]:
    names = [str(code) for code in Locale("en").territories]
    return frozenset(c for c in names if len(c) == 2 and c.isalpha()) - _NOT_COUNTRIES


def check_country(value: str) -> str:
    code = value.strip().upper()
    if code not in countries():
        raise ValueError("is not an ISO 3166-1 alpha-2 country code")
    return code


def check_region(value: str) -> str:
    """The subdivision part of an ISO 3166-2 code ("CA" of US-CA); the country prefix is dropped."""
    code = value.strip().upper()
    code = code.split("-", 1)[1] if "-" in code else code
    if not _REGION.fullmatch(code):
        raise ValueError("is not an ISO 3166-2 subdivision code (1 to 3 letters or digits, e.g. CA)")
    return code


def check_locale(value: str) -> str:
    try:
        return str(Locale.parse(value.strip().replace("-", "_")))
    except (ValueError, UnknownLocaleError, TypeError) as exc:
        raise ValueError("is not a known locale (e.g. en, fr_FR, pt-BR)") from exc


def check_metadata(value: dict[str, str]) -> dict[str, str]:
    if len(value) > MAX_METADATA_KEYS:
        raise ValueError(f"has more than {MAX_METADATA_KEYS} keys")
    for key, item in value.items():
        if not 1 <= len(key) <= 40:
            raise ValueError("keys are 1 to 40 characters")
        if len(item) > 500:
            raise ValueError(f"the value of {key!r} is longer than 500 characters")
    return value


def percentage_text(value: Decimal) -> str:
    """20.0000 as "20", 7.2500 as "7.25"."""
    return f"{value.normalize():f}"


Country = Annotated[str, StringConstraints(min_length=2, max_length=2), AfterValidator(check_country)]
Region = Annotated[str, StringConstraints(min_length=1, max_length=6), AfterValidator(check_region)]
LocaleName = Annotated[str, StringConstraints(min_length=2, max_length=35), AfterValidator(check_locale)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Category = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    StringConstraints(max_length=50, pattern=_CATEGORY),
]
Metadata = Annotated[
    dict[str, Annotated[str, StringConstraints(max_length=500)]], AfterValidator(check_metadata)
]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def region_of_country(value: object, info: ValidationInfo) -> object:
    """A region written whole ("US-CA") must be of the country given before it."""
    country = info.data.get("country")
    if (
        isinstance(value, str)
        and "-" in value
        and country
        and value.split("-", 1)[0].strip().upper() != country
    ):
        raise ValueError(f"is a subdivision of another country than {country}")
    return value


class AddressIn(Strict):
    country: Country
    region: Region | None = None
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    line1: Line | None = None
    line2: Line | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None

    _region_of_country = field_validator("region", mode="before")(region_of_country)


class TaxIdIn(Strict):
    type: Literal["eu_vat", "gb_vat", "us_ein", "other"]
    value: Annotated[str, StringConstraints(min_length=1, max_length=40)]

    @field_validator("value")
    @classmethod
    def _shape(cls, value: str, info: ValidationInfo) -> str:
        """Spaces, dots and dashes are dropped; an EU VAT number starts with an EU prefix (EL: Greece)."""
        kind = info.data.get("type")
        compact = re.sub(r"[\s.\-]", "", value).upper()
        if kind == "eu_vat":
            found = _EU_VAT.fullmatch(compact)
            if not found or found.group(1) not in EU_VAT_PREFIXES:
                raise ValueError(
                    "is not an EU VAT number: an EU country prefix (EL for Greece) "
                    "then 2 to 12 letters or digits"
                )
        elif kind == "gb_vat" and not re.fullmatch(r"(GB|XI)([0-9]{9}|[0-9]{12}|(GD|HA)[0-9]{3})", compact):
            raise ValueError("is not a UK VAT number (GB then 9 or 12 digits)")
        elif kind == "us_ein" and not re.fullmatch(r"[0-9]{9}", compact):
            raise ValueError("is not a US EIN (9 digits, e.g. 12-3456789)")
        elif not _TAX_ID.fullmatch(compact):
            raise ValueError("is 2 to 30 letters or digits")
        return compact


class EntityLink(Strict):
    """A record of the tenant the customer stands for: its entity type name and id."""

    type: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    id: uuid.UUID


class CustomerIn(Strict):
    name: Name
    email: Annotated[EmailStr, StringConstraints(max_length=320)]
    currency: Currency
    address: AddressIn
    tax_ids: Annotated[list[TaxIdIn], Field(max_length=MAX_TAX_IDS)] = []
    locale: LocaleName = "en"
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] = 30
    entity: EntityLink | None = None
    metadata: Metadata = {}


class CustomerPatch(Strict):
    """Only the fields sent change; ``address``, ``tax_ids`` and ``metadata`` are replaced whole."""

    name: Name | None = None
    email: Annotated[EmailStr, StringConstraints(max_length=320)] | None = None
    currency: Currency | None = None
    address: AddressIn | None = None
    tax_ids: Annotated[list[TaxIdIn], Field(max_length=MAX_TAX_IDS)] | None = None
    locale: LocaleName | None = None
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] | None = None
    entity: EntityLink | None = None
    metadata: Metadata | None = None


class CustomerOut(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    currency: str
    address: dict[str, Any]
    tax_ids: list[dict[str, Any]]
    locale: str
    payment_terms_days: int
    entity: EntityLink | None
    credit: str  # in the customer's currency, what an overpayment left
    metadata: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime


class ProductIn(Strict):
    name: Name
    tax_category: Category = "standard"
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ProductPatch(Strict):
    name: Name | None = None
    tax_category: Category | None = None
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None
    active: bool | None = None


class ProductOut(BaseModel):
    id: uuid.UUID
    name: str
    tax_category: str
    description: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


PercentageText = Annotated[str, StringConstraints(max_length=9, pattern=r"^[0-9]{1,3}(\.[0-9]{1,4})?$")]


class TaxRateIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    percentage: PercentageText
    inclusive: bool = False
    country: Country
    region: Region | None = None
    category: Category | None = None

    _region_of_country = field_validator("region", mode="before")(region_of_country)

    @field_validator("percentage")
    @classmethod
    def _at_most_100(cls, value: str) -> str:
        if Decimal(value) > 100:
            raise ValueError("must be between 0 and 100")
        return value


class TaxRatePatch(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    active: bool | None = None


class TaxRateOut(BaseModel):
    id: uuid.UUID
    name: str
    percentage: str
    inclusive: bool
    country: str
    region: str | None
    category: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


class SettingsIn(Strict):
    seller_name: Name
    seller_address: AddressIn
    seller_country: Country
    seller_tax_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=50)] | None
    ) = None
    reporting_currency: Currency
    invoice_template: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


class SettingsOut(BaseModel):
    seller_name: str | None
    seller_address: dict[str, Any]
    seller_country: str | None
    seller_tax_id: str | None
    reporting_currency: str
    invoice_template: str | None
    updated_at: datetime | None
