from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.import_out_envelope import ImportOutEnvelope
from ...models.start_import_files_body import StartImportFilesBody
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    type_name: str,
    *,
    body: StartImportFilesBody | File | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/entities/{type_name}/import".format(
            type_name=quote(str(type_name), safe=""),
        ),
    }

    if isinstance(body, StartImportFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/x-ndjson"
    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ImportOutEnvelope | None:
    if response.status_code == 202:
        response_202 = ImportOutEnvelope.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | ImportOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: StartImportFilesBody | File | Unset = UNSET,
) -> Response[ErrorEnvelope | ImportOutEnvelope]:
    """Import a UTF-8 CSV (with a header) or JSON Lines file, as a multipart 'file' or the raw body;
    options as form or query fields: format, mode (insert | upsert by external_id), mapping (JSON column
    → attribute | external_id | status | null), on_duplicate (allow | reject). 422 'encoding' for a file
    that is not UTF-8. Follow progress at the Location.

    Args:
        type_name (str):
        body (StartImportFilesBody):
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ImportOutEnvelope]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: StartImportFilesBody | File | Unset = UNSET,
) -> ErrorEnvelope | ImportOutEnvelope | None:
    """Import a UTF-8 CSV (with a header) or JSON Lines file, as a multipart 'file' or the raw body;
    options as form or query fields: format, mode (insert | upsert by external_id), mapping (JSON column
    → attribute | external_id | status | null), on_duplicate (allow | reject). 422 'encoding' for a file
    that is not UTF-8. Follow progress at the Location.

    Args:
        type_name (str):
        body (StartImportFilesBody):
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ImportOutEnvelope
    """

    return sync_detailed(
        type_name=type_name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: StartImportFilesBody | File | Unset = UNSET,
) -> Response[ErrorEnvelope | ImportOutEnvelope]:
    """Import a UTF-8 CSV (with a header) or JSON Lines file, as a multipart 'file' or the raw body;
    options as form or query fields: format, mode (insert | upsert by external_id), mapping (JSON column
    → attribute | external_id | status | null), on_duplicate (allow | reject). 422 'encoding' for a file
    that is not UTF-8. Follow progress at the Location.

    Args:
        type_name (str):
        body (StartImportFilesBody):
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ImportOutEnvelope]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: StartImportFilesBody | File | Unset = UNSET,
) -> ErrorEnvelope | ImportOutEnvelope | None:
    """Import a UTF-8 CSV (with a header) or JSON Lines file, as a multipart 'file' or the raw body;
    options as form or query fields: format, mode (insert | upsert by external_id), mapping (JSON column
    → attribute | external_id | status | null), on_duplicate (allow | reject). 422 'encoding' for a file
    that is not UTF-8. Follow progress at the Location.

    Args:
        type_name (str):
        body (StartImportFilesBody):
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ImportOutEnvelope
    """

    return (
        await asyncio_detailed(
            type_name=type_name,
            client=client,
            body=body,
        )
    ).parsed
