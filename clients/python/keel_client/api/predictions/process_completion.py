from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.completion_prediction_envelope import CompletionPredictionEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response


def _get_kwargs(
    *,
    process_id: UUID,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_process_id = str(process_id)
    params["process_id"] = json_process_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/predictions/process-completion",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CompletionPredictionEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = CompletionPredictionEnvelope.from_dict(response.json())

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
) -> Response[CompletionPredictionEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    process_id: UUID,
) -> Response[CompletionPredictionEnvelope | ErrorEnvelope]:
    """When a running process is expected to end (median, 10th to 90th percentile) and the probability that
    it misses a due date; an ended process answers its actual end

    Args:
        process_id (UUID): the process

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompletionPredictionEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        process_id=process_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    process_id: UUID,
) -> CompletionPredictionEnvelope | ErrorEnvelope | None:
    """When a running process is expected to end (median, 10th to 90th percentile) and the probability that
    it misses a due date; an ended process answers its actual end

    Args:
        process_id (UUID): the process

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompletionPredictionEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        process_id=process_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    process_id: UUID,
) -> Response[CompletionPredictionEnvelope | ErrorEnvelope]:
    """When a running process is expected to end (median, 10th to 90th percentile) and the probability that
    it misses a due date; an ended process answers its actual end

    Args:
        process_id (UUID): the process

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompletionPredictionEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        process_id=process_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    process_id: UUID,
) -> CompletionPredictionEnvelope | ErrorEnvelope | None:
    """When a running process is expected to end (median, 10th to 90th percentile) and the probability that
    it misses a due date; an ended process answers its actual end

    Args:
        process_id (UUID): the process

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompletionPredictionEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            process_id=process_id,
        )
    ).parsed
