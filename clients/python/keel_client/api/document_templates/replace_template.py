from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.document_template_in import DocumentTemplateIn
from ...models.document_template_out_envelope import DocumentTemplateOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    key: str,
    *,
    body: DocumentTemplateIn,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/document-templates/{key}".format(
            key=quote(str(key), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentTemplateOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = DocumentTemplateOutEnvelope.from_dict(response.json())

        return response_200

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

    if response.status_code == 412:
        response_412 = ErrorEnvelope.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

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
) -> Response[DocumentTemplateOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    body: DocumentTemplateIn,
    if_match: None | str | Unset = UNSET,
) -> Response[DocumentTemplateOutEnvelope | ErrorEnvelope]:
    """Replace the template with a new version; If-Match guards lost updates (412); it must render with its
    sample_data in the sandbox (422 naming the field and the template line otherwise: missing data,
    unsafe code, a URL other than data: or asset:<name>, too many pages)

    Args:
        key (str):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (DocumentTemplateIn): A template's content: Jinja2 HTML, an optional stylesheet,
            sample data it must render with.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentTemplateOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    *,
    client: AuthenticatedClient,
    body: DocumentTemplateIn,
    if_match: None | str | Unset = UNSET,
) -> DocumentTemplateOutEnvelope | ErrorEnvelope | None:
    """Replace the template with a new version; If-Match guards lost updates (412); it must render with its
    sample_data in the sandbox (422 naming the field and the template line otherwise: missing data,
    unsafe code, a URL other than data: or asset:<name>, too many pages)

    Args:
        key (str):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (DocumentTemplateIn): A template's content: Jinja2 HTML, an optional stylesheet,
            sample data it must render with.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentTemplateOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        key=key,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    body: DocumentTemplateIn,
    if_match: None | str | Unset = UNSET,
) -> Response[DocumentTemplateOutEnvelope | ErrorEnvelope]:
    """Replace the template with a new version; If-Match guards lost updates (412); it must render with its
    sample_data in the sandbox (422 naming the field and the template line otherwise: missing data,
    unsafe code, a URL other than data: or asset:<name>, too many pages)

    Args:
        key (str):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (DocumentTemplateIn): A template's content: Jinja2 HTML, an optional stylesheet,
            sample data it must render with.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentTemplateOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient,
    body: DocumentTemplateIn,
    if_match: None | str | Unset = UNSET,
) -> DocumentTemplateOutEnvelope | ErrorEnvelope | None:
    """Replace the template with a new version; If-Match guards lost updates (412); it must render with its
    sample_data in the sandbox (422 naming the field and the template line otherwise: missing data,
    unsafe code, a URL other than data: or asset:<name>, too many pages)

    Args:
        key (str):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (DocumentTemplateIn): A template's content: Jinja2 HTML, an optional stylesheet,
            sample data it must render with.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentTemplateOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
