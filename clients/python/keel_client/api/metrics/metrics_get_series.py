import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.series_envelope import SeriesEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    from_: datetime.datetime,
    to: datetime.datetime,
    grain: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    timezone: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to = to.isoformat()
    params["to"] = json_to

    json_grain: None | str | Unset
    if isinstance(grain, Unset):
        json_grain = UNSET
    else:
        json_grain = grain
    params["grain"] = json_grain

    json_group_by: None | str | Unset
    if isinstance(group_by, Unset):
        json_group_by = UNSET
    else:
        json_group_by = group_by
    params["group_by"] = json_group_by

    json_timezone: None | str | Unset
    if isinstance(timezone, Unset):
        json_timezone = UNSET
    else:
        json_timezone = timezone
    params["timezone"] = json_timezone

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/metrics/{name}/series".format(
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | SeriesEnvelope | None:
    if response.status_code == 200:
        response_200 = SeriesEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | SeriesEnvelope]:
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
    grain: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    timezone: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | SeriesEnvelope]:
    """The metric per time bucket over [from, to)

     Buckets are the local hours, days, weeks (from Monday) or months of `timezone` that meet the range
    (a local day lasts 23 or 25 hours across a DST change); each counts only the facts inside [from,
    to). With `group_by` (declared dimensions, comma-separated) each bucket lists its groups.
    `filter[<dimension>]=<value>` (repeated for several values) keeps the facts whose dimension takes
    one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        grain (None | str | Unset): hour, day, week or month
        group_by (None | str | Unset): dimensions, comma-separated
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SeriesEnvelope]
    """

    kwargs = _get_kwargs(
        name=name,
        from_=from_,
        to=to,
        grain=grain,
        group_by=group_by,
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
    grain: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    timezone: None | str | Unset = UNSET,
) -> ErrorEnvelope | SeriesEnvelope | None:
    """The metric per time bucket over [from, to)

     Buckets are the local hours, days, weeks (from Monday) or months of `timezone` that meet the range
    (a local day lasts 23 or 25 hours across a DST change); each counts only the facts inside [from,
    to). With `group_by` (declared dimensions, comma-separated) each bucket lists its groups.
    `filter[<dimension>]=<value>` (repeated for several values) keeps the facts whose dimension takes
    one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        grain (None | str | Unset): hour, day, week or month
        group_by (None | str | Unset): dimensions, comma-separated
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SeriesEnvelope
    """

    return sync_detailed(
        name=name,
        client=client,
        from_=from_,
        to=to,
        grain=grain,
        group_by=group_by,
        timezone=timezone,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    to: datetime.datetime,
    grain: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    timezone: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | SeriesEnvelope]:
    """The metric per time bucket over [from, to)

     Buckets are the local hours, days, weeks (from Monday) or months of `timezone` that meet the range
    (a local day lasts 23 or 25 hours across a DST change); each counts only the facts inside [from,
    to). With `group_by` (declared dimensions, comma-separated) each bucket lists its groups.
    `filter[<dimension>]=<value>` (repeated for several values) keeps the facts whose dimension takes
    one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        grain (None | str | Unset): hour, day, week or month
        group_by (None | str | Unset): dimensions, comma-separated
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SeriesEnvelope]
    """

    kwargs = _get_kwargs(
        name=name,
        from_=from_,
        to=to,
        grain=grain,
        group_by=group_by,
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
    grain: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    timezone: None | str | Unset = UNSET,
) -> ErrorEnvelope | SeriesEnvelope | None:
    """The metric per time bucket over [from, to)

     Buckets are the local hours, days, weeks (from Monday) or months of `timezone` that meet the range
    (a local day lasts 23 or 25 hours across a DST change); each counts only the facts inside [from,
    to). With `group_by` (declared dimensions, comma-separated) each bucket lists its groups.
    `filter[<dimension>]=<value>` (repeated for several values) keeps the facts whose dimension takes
    one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        grain (None | str | Unset): hour, day, week or month
        group_by (None | str | Unset): dimensions, comma-separated
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SeriesEnvelope
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            from_=from_,
            to=to,
            grain=grain,
            group_by=group_by,
            timezone=timezone,
        )
    ).parsed
