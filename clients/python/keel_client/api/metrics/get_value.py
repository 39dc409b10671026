import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.kpi_value_envelope import KpiValueEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    from_: datetime.datetime,
    to: datetime.datetime,
    timezone: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to = to.isoformat()
    params["to"] = json_to

    json_timezone: None | str | Unset
    if isinstance(timezone, Unset):
        json_timezone = UNSET
    else:
        json_timezone = timezone
    params["timezone"] = json_timezone

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/metrics/{name}/value".format(
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | KpiValueEnvelope | None:
    if response.status_code == 200:
        response_200 = KpiValueEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | KpiValueEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    to: datetime.datetime,
    timezone: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | KpiValueEnvelope]:
    """The metric over [from, to), the previous period of the same length, and the change

     Amounts are decimal strings, durations seconds. `filter[<dimension>]=<value>` (repeated for several
    values) keeps the facts whose dimension takes one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | KpiValueEnvelope]
    """

    kwargs = _get_kwargs(
        name=name,
        from_=from_,
        to=to,
        timezone=timezone,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    to: datetime.datetime,
    timezone: None | str | Unset = UNSET,
) -> ErrorEnvelope | KpiValueEnvelope | None:
    """The metric over [from, to), the previous period of the same length, and the change

     Amounts are decimal strings, durations seconds. `filter[<dimension>]=<value>` (repeated for several
    values) keeps the facts whose dimension takes one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | KpiValueEnvelope
    """

    return sync_detailed(
        name=name,
        client=client,
        from_=from_,
        to=to,
        timezone=timezone,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    to: datetime.datetime,
    timezone: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | KpiValueEnvelope]:
    """The metric over [from, to), the previous period of the same length, and the change

     Amounts are decimal strings, durations seconds. `filter[<dimension>]=<value>` (repeated for several
    values) keeps the facts whose dimension takes one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | KpiValueEnvelope]
    """

    kwargs = _get_kwargs(
        name=name,
        from_=from_,
        to=to,
        timezone=timezone,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    to: datetime.datetime,
    timezone: None | str | Unset = UNSET,
) -> ErrorEnvelope | KpiValueEnvelope | None:
    """The metric over [from, to), the previous period of the same length, and the change

     Amounts are decimal strings, durations seconds. `filter[<dimension>]=<value>` (repeated for several
    values) keeps the facts whose dimension takes one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | KpiValueEnvelope
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            from_=from_,
            to=to,
            timezone=timezone,
        )
    ).parsed
