from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attempt_record_out_request_headers import (
        AttemptRecordOutRequestHeaders,
    )
    from ..models.attempt_record_out_response_headers_type_0 import (
        AttemptRecordOutResponseHeadersType0,
    )


T = TypeVar("T", bound="AttemptRecordOut")


@_attrs_define
class AttemptRecordOut:
    """
    Attributes:
        number (int):
        started_at (datetime.datetime):
        latency_ms (int | None):
        request_url (str):
        request_headers (AttemptRecordOutRequestHeaders):
        request_body (str): the first 4 KB
        response_status (int | None):
        response_headers (AttemptRecordOutResponseHeadersType0 | None):
        response_body (None | str): the first 4 KB
        error (None | str):
    """

    number: int
    started_at: datetime.datetime
    latency_ms: int | None
    request_url: str
    request_headers: AttemptRecordOutRequestHeaders
    request_body: str
    response_status: int | None
    response_headers: AttemptRecordOutResponseHeadersType0 | None
    response_body: None | str
    error: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.attempt_record_out_response_headers_type_0 import (
            AttemptRecordOutResponseHeadersType0,
        )

        number = self.number

        started_at = self.started_at.isoformat()

        latency_ms: int | None
        latency_ms = self.latency_ms

        request_url = self.request_url

        request_headers = self.request_headers.to_dict()

        request_body = self.request_body

        response_status: int | None
        response_status = self.response_status

        response_headers: dict[str, Any] | None
        if isinstance(self.response_headers, AttemptRecordOutResponseHeadersType0):
            response_headers = self.response_headers.to_dict()
        else:
            response_headers = self.response_headers

        response_body: None | str
        response_body = self.response_body

        error: None | str
        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "started_at": started_at,
                "latency_ms": latency_ms,
                "request_url": request_url,
                "request_headers": request_headers,
                "request_body": request_body,
                "response_status": response_status,
                "response_headers": response_headers,
                "response_body": response_body,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attempt_record_out_request_headers import (
            AttemptRecordOutRequestHeaders,
        )
        from ..models.attempt_record_out_response_headers_type_0 import (
            AttemptRecordOutResponseHeadersType0,
        )

        d = dict(src_dict)
        number = d.pop("number")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        def _parse_latency_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms"))

        request_url = d.pop("request_url")

        request_headers = AttemptRecordOutRequestHeaders.from_dict(
            d.pop("request_headers")
        )

        request_body = d.pop("request_body")

        def _parse_response_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        response_status = _parse_response_status(d.pop("response_status"))

        def _parse_response_headers(
            data: object,
        ) -> AttemptRecordOutResponseHeadersType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_headers_type_0 = (
                    AttemptRecordOutResponseHeadersType0.from_dict(data)
                )

                return response_headers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttemptRecordOutResponseHeadersType0 | None, data)

        response_headers = _parse_response_headers(d.pop("response_headers"))

        def _parse_response_body(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_body = _parse_response_body(d.pop("response_body"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        attempt_record_out = cls(
            number=number,
            started_at=started_at,
            latency_ms=latency_ms,
            request_url=request_url,
            request_headers=request_headers,
            request_body=request_body,
            response_status=response_status,
            response_headers=response_headers,
            response_body=response_body,
            error=error,
        )

        attempt_record_out.additional_properties = d
        return attempt_record_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
