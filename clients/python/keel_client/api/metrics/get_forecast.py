from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.forecast_envelope import ForecastEnvelope
from ...models.get_forecast_grain import GetForecastGrain
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    grain: GetForecastGrain | Unset = GetForecastGrain.DAY,
    periods: int | Unset = 7,
    timezone: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_grain: str | Unset = UNSET
    if not isinstance(grain, Unset):
        json_grain = grain.value

    params["grain"] = json_grain

    params["periods"] = periods

    json_timezone: None | str | Unset
    if isinstance(timezone, Unset):
        json_timezone = UNSET
    else:
        json_timezone = timezone
    params["timezone"] = json_timezone

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/metrics/{name}/forecast".format(
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ForecastEnvelope | None:
    if response.status_code == 200:
        response_200 = ForecastEnvelope.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

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
) -> Response[ErrorEnvelope | ForecastEnvelope]:
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
    grain: GetForecastGrain | Unset = GetForecastGrain.DAY,
    periods: int | Unset = 7,
    timezone: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | ForecastEnvelope]:
    """The metric's next periods forecast from its own series, with bounds and the back-tested error

     A ridge regression on the trend and the season (weekday for days, month for months; weeks have a
    trend only), fitted on the last year of days, three years of weeks or five years of months. The
    first point is the current bucket. Fewer than 14 days, 8 weeks or 24 months with a figure is a 409
    `insufficient_history`. `filter[<dimension>]=<value>` (repeated for several values) keeps the facts
    whose dimension takes one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        grain (GetForecastGrain | Unset): day, week or month Default: GetForecastGrain.DAY.
        periods (int | Unset): how many buckets ahead Default: 7.
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ForecastEnvelope]
    """

    kwargs = _get_kwargs(
        name=name,
        grain=grain,
        periods=periods,
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
    grain: GetForecastGrain | Unset = GetForecastGrain.DAY,
    periods: int | Unset = 7,
    timezone: None | str | Unset = UNSET,
) -> ErrorEnvelope | ForecastEnvelope | None:
    """The metric's next periods forecast from its own series, with bounds and the back-tested error

     A ridge regression on the trend and the season (weekday for days, month for months; weeks have a
    trend only), fitted on the last year of days, three years of weeks or five years of months. The
    first point is the current bucket. Fewer than 14 days, 8 weeks or 24 months with a figure is a 409
    `insufficient_history`. `filter[<dimension>]=<value>` (repeated for several values) keeps the facts
    whose dimension takes one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        grain (GetForecastGrain | Unset): day, week or month Default: GetForecastGrain.DAY.
        periods (int | Unset): how many buckets ahead Default: 7.
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ForecastEnvelope
    """

    return sync_detailed(
        name=name,
        client=client,
        grain=grain,
        periods=periods,
        timezone=timezone,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    grain: GetForecastGrain | Unset = GetForecastGrain.DAY,
    periods: int | Unset = 7,
    timezone: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | ForecastEnvelope]:
    """The metric's next periods forecast from its own series, with bounds and the back-tested error

     A ridge regression on the trend and the season (weekday for days, month for months; weeks have a
    trend only), fitted on the last year of days, three years of weeks or five years of months. The
    first point is the current bucket. Fewer than 14 days, 8 weeks or 24 months with a figure is a 409
    `insufficient_history`. `filter[<dimension>]=<value>` (repeated for several values) keeps the facts
    whose dimension takes one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        grain (GetForecastGrain | Unset): day, week or month Default: GetForecastGrain.DAY.
        periods (int | Unset): how many buckets ahead Default: 7.
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ForecastEnvelope]
    """

    kwargs = _get_kwargs(
        name=name,
        grain=grain,
        periods=periods,
        timezone=timezone,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    grain: GetForecastGrain | Unset = GetForecastGrain.DAY,
    periods: int | Unset = 7,
    timezone: None | str | Unset = UNSET,
) -> ErrorEnvelope | ForecastEnvelope | None:
    """The metric's next periods forecast from its own series, with bounds and the back-tested error

     A ridge regression on the trend and the season (weekday for days, month for months; weeks have a
    trend only), fitted on the last year of days, three years of weeks or five years of months. The
    first point is the current bucket. Fewer than 14 days, 8 weeks or 24 months with a figure is a 409
    `insufficient_history`. `filter[<dimension>]=<value>` (repeated for several values) keeps the facts
    whose dimension takes one of the values; only declared dimensions.

    Args:
        name (str): the metric's name
        grain (GetForecastGrain | Unset): day, week or month Default: GetForecastGrain.DAY.
        periods (int | Unset): how many buckets ahead Default: 7.
        timezone (None | str | Unset): an IANA time zone; default the tenant's, else UTC

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ForecastEnvelope
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            grain=grain,
            periods=periods,
            timezone=timezone,
        )
    ).parsed
