from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ar_aging_format import ArAgingFormat
from ...models.billing_report_out_envelope import BillingReportOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    format_: ArAgingFormat | Unset = ArAgingFormat.JSON,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    json_group_by: None | str | Unset
    if isinstance(group_by, Unset):
        json_group_by = UNSET
    else:
        json_group_by = group_by
    params["group_by"] = json_group_by

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    else:
        json_currency = currency
    params["currency"] = json_currency

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/billing/reports/ar-aging",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BillingReportOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BillingReportOutEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[BillingReportOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    format_: ArAgingFormat | Unset = ArAgingFormat.JSON,
) -> Response[BillingReportOutEnvelope | ErrorEnvelope]:
    """Receivables aged as of `to` (default today): current, 0-30, 31-60, 61-90 and over 90 days past due.
    group_by: none (default) or customer. `from` does not apply

    Args:
        from_ (None | str | Unset): first day, inclusive (YYYY-MM-DD); default 1 January of `to`'s
            year
        to (None | str | Unset): last day, inclusive (YYYY-MM-DD); default today; at most 10 years
            after `from`
        group_by (None | str | Unset): none (default) or customer
        currency (None | str | Unset): ISO 4217 code to convert to; default the reporting currency
            of the billing settings
        format_ (ArAgingFormat | Unset): json (default), csv or xlsx Default: ArAgingFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BillingReportOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        group_by=group_by,
        currency=currency,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    format_: ArAgingFormat | Unset = ArAgingFormat.JSON,
) -> BillingReportOutEnvelope | ErrorEnvelope | None:
    """Receivables aged as of `to` (default today): current, 0-30, 31-60, 61-90 and over 90 days past due.
    group_by: none (default) or customer. `from` does not apply

    Args:
        from_ (None | str | Unset): first day, inclusive (YYYY-MM-DD); default 1 January of `to`'s
            year
        to (None | str | Unset): last day, inclusive (YYYY-MM-DD); default today; at most 10 years
            after `from`
        group_by (None | str | Unset): none (default) or customer
        currency (None | str | Unset): ISO 4217 code to convert to; default the reporting currency
            of the billing settings
        format_ (ArAgingFormat | Unset): json (default), csv or xlsx Default: ArAgingFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BillingReportOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        group_by=group_by,
        currency=currency,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    format_: ArAgingFormat | Unset = ArAgingFormat.JSON,
) -> Response[BillingReportOutEnvelope | ErrorEnvelope]:
    """Receivables aged as of `to` (default today): current, 0-30, 31-60, 61-90 and over 90 days past due.
    group_by: none (default) or customer. `from` does not apply

    Args:
        from_ (None | str | Unset): first day, inclusive (YYYY-MM-DD); default 1 January of `to`'s
            year
        to (None | str | Unset): last day, inclusive (YYYY-MM-DD); default today; at most 10 years
            after `from`
        group_by (None | str | Unset): none (default) or customer
        currency (None | str | Unset): ISO 4217 code to convert to; default the reporting currency
            of the billing settings
        format_ (ArAgingFormat | Unset): json (default), csv or xlsx Default: ArAgingFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BillingReportOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        group_by=group_by,
        currency=currency,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    group_by: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    format_: ArAgingFormat | Unset = ArAgingFormat.JSON,
) -> BillingReportOutEnvelope | ErrorEnvelope | None:
    """Receivables aged as of `to` (default today): current, 0-30, 31-60, 61-90 and over 90 days past due.
    group_by: none (default) or customer. `from` does not apply

    Args:
        from_ (None | str | Unset): first day, inclusive (YYYY-MM-DD); default 1 January of `to`'s
            year
        to (None | str | Unset): last day, inclusive (YYYY-MM-DD); default today; at most 10 years
            after `from`
        group_by (None | str | Unset): none (default) or customer
        currency (None | str | Unset): ISO 4217 code to convert to; default the reporting currency
            of the billing settings
        format_ (ArAgingFormat | Unset): json (default), csv or xlsx Default: ArAgingFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BillingReportOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            group_by=group_by,
            currency=currency,
            format_=format_,
        )
    ).parsed
