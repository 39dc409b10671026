import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.metric_usage_out_envelope import MetricUsageOutEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    *,
    customer: UUID,
    from_: datetime.datetime,
    to: datetime.datetime,
    subscription: None | Unset | UUID = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_customer = str(customer)
    params["customer"] = json_customer

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to = to.isoformat()
    params["to"] = json_to

    json_subscription: None | str | Unset
    if isinstance(subscription, Unset):
        json_subscription = UNSET
    elif isinstance(subscription, UUID):
        json_subscription = str(subscription)
    else:
        json_subscription = subscription
    params["subscription"] = json_subscription

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/billable-metrics/{code}/usage".format(
            code=quote(str(code), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | MetricUsageOutEnvelope | None:
    if response.status_code == 200:
        response_200 = MetricUsageOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | MetricUsageOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    customer: UUID,
    from_: datetime.datetime,
    to: datetime.datetime,
    subscription: None | Unset | UUID = UNSET,
) -> Response[ErrorEnvelope | MetricUsageOutEnvelope]:
    """The metric's value for a customer over [from, to): from inclusive, to exclusive

    Args:
        code (str):
        customer (UUID): a customer id
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        subscription (None | Unset | UUID): only events sent with this id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MetricUsageOutEnvelope]
    """

    kwargs = _get_kwargs(
        code=code,
        customer=customer,
        from_=from_,
        to=to,
        subscription=subscription,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
    customer: UUID,
    from_: datetime.datetime,
    to: datetime.datetime,
    subscription: None | Unset | UUID = UNSET,
) -> ErrorEnvelope | MetricUsageOutEnvelope | None:
    """The metric's value for a customer over [from, to): from inclusive, to exclusive

    Args:
        code (str):
        customer (UUID): a customer id
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        subscription (None | Unset | UUID): only events sent with this id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MetricUsageOutEnvelope
    """

    return sync_detailed(
        code=code,
        client=client,
        customer=customer,
        from_=from_,
        to=to,
        subscription=subscription,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    customer: UUID,
    from_: datetime.datetime,
    to: datetime.datetime,
    subscription: None | Unset | UUID = UNSET,
) -> Response[ErrorEnvelope | MetricUsageOutEnvelope]:
    """The metric's value for a customer over [from, to): from inclusive, to exclusive

    Args:
        code (str):
        customer (UUID): a customer id
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        subscription (None | Unset | UUID): only events sent with this id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MetricUsageOutEnvelope]
    """

    kwargs = _get_kwargs(
        code=code,
        customer=customer,
        from_=from_,
        to=to,
        subscription=subscription,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    customer: UUID,
    from_: datetime.datetime,
    to: datetime.datetime,
    subscription: None | Unset | UUID = UNSET,
) -> ErrorEnvelope | MetricUsageOutEnvelope | None:
    """The metric's value for a customer over [from, to): from inclusive, to exclusive

    Args:
        code (str):
        customer (UUID): a customer id
        from_ (datetime.datetime): RFC 3339 with an offset, inclusive
        to (datetime.datetime): RFC 3339 with an offset, exclusive
        subscription (None | Unset | UUID): only events sent with this id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MetricUsageOutEnvelope
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            customer=customer,
            from_=from_,
            to=to,
            subscription=subscription,
        )
    ).parsed
