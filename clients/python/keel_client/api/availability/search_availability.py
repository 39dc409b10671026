from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.option_out_page import OptionOutPage
from ...models.slot_search_in import SlotSearchIn
from ...types import Response


def _get_kwargs(
    *,
    body: SlotSearchIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/availability/search",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | OptionOutPage | None:
    if response.status_code == 200:
        response_200 = OptionOutPage.from_dict(response.json())

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
) -> Response[ErrorEnvelope | OptionOutPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SlotSearchIn,
) -> Response[ErrorEnvelope | OptionOutPage]:
    """The best starts and resources for several requirements (tags with counts, named resources)

     Candidate starts lie on the granularity grid (multiples of `granularity` from the Unix epoch, UTC,
    inside `window`, the slot ending by `window.to`). A resource can fill a requirement when it carries
    the `tag` (or is the `resource` named), is active, and is open and free for the whole slot, its
    buffers clear of every allocation. One resource fills at most one place in an option. Each option is
    one start with the best resources for it; options are ranked by the one objective in `preferences`:

    - `earliest` (the default): the smallest start. `score`: minutes from `window.from` to the start.
    - `prefer_resources`: the most preferred resources chosen, then the smallest start. `score`: how
      many chosen resources are preferred (higher is better).
    - `balance_load`: the smallest load of the most loaded chosen resource, then the smallest sum of the
      chosen resources' loads, then the smallest start. A load is the allocated time (buffers included)
      inside the window. `score`: that largest load in hours (lower is better).

    At one start the resources are taken by key: resource id (`earliest`), preferred first then id
    (`prefer_resources`), load then id (`balance_load`); the chosen set is the one whose sorted keys are
    smallest, and each requirement in order takes the smallest keys that let the later ones be filled.
    The result is exact for the objective: feasible sets form a transversal matroid, whose greedy basis
    (built with augmenting paths) is optimal for the largest, the sum and the count of preferred keys at
    once. `criteria` gives every component of the ranking. `meta.examined` counts the starts where every
    requirement had enough free candidates.

    422 names the field: no requirement, a count outside 1-10, a tag no resource carries (or fewer than
    `count`), a duration not a whole number of granularity steps, a window over 31 days or ending before
    it starts, not exactly one preference, more than 500 candidate resources, or a search too large to
    answer in about a second (`window`: narrow it, coarsen the granularity or the tags). No option
    starts
    before now plus the longest minimum notice of its resources. 404: an unknown (or other tenant's)
    resource id.

    Args:
        body (SlotSearchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OptionOutPage]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SlotSearchIn,
) -> ErrorEnvelope | OptionOutPage | None:
    """The best starts and resources for several requirements (tags with counts, named resources)

     Candidate starts lie on the granularity grid (multiples of `granularity` from the Unix epoch, UTC,
    inside `window`, the slot ending by `window.to`). A resource can fill a requirement when it carries
    the `tag` (or is the `resource` named), is active, and is open and free for the whole slot, its
    buffers clear of every allocation. One resource fills at most one place in an option. Each option is
    one start with the best resources for it; options are ranked by the one objective in `preferences`:

    - `earliest` (the default): the smallest start. `score`: minutes from `window.from` to the start.
    - `prefer_resources`: the most preferred resources chosen, then the smallest start. `score`: how
      many chosen resources are preferred (higher is better).
    - `balance_load`: the smallest load of the most loaded chosen resource, then the smallest sum of the
      chosen resources' loads, then the smallest start. A load is the allocated time (buffers included)
      inside the window. `score`: that largest load in hours (lower is better).

    At one start the resources are taken by key: resource id (`earliest`), preferred first then id
    (`prefer_resources`), load then id (`balance_load`); the chosen set is the one whose sorted keys are
    smallest, and each requirement in order takes the smallest keys that let the later ones be filled.
    The result is exact for the objective: feasible sets form a transversal matroid, whose greedy basis
    (built with augmenting paths) is optimal for the largest, the sum and the count of preferred keys at
    once. `criteria` gives every component of the ranking. `meta.examined` counts the starts where every
    requirement had enough free candidates.

    422 names the field: no requirement, a count outside 1-10, a tag no resource carries (or fewer than
    `count`), a duration not a whole number of granularity steps, a window over 31 days or ending before
    it starts, not exactly one preference, more than 500 candidate resources, or a search too large to
    answer in about a second (`window`: narrow it, coarsen the granularity or the tags). No option
    starts
    before now plus the longest minimum notice of its resources. 404: an unknown (or other tenant's)
    resource id.

    Args:
        body (SlotSearchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OptionOutPage
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SlotSearchIn,
) -> Response[ErrorEnvelope | OptionOutPage]:
    """The best starts and resources for several requirements (tags with counts, named resources)

     Candidate starts lie on the granularity grid (multiples of `granularity` from the Unix epoch, UTC,
    inside `window`, the slot ending by `window.to`). A resource can fill a requirement when it carries
    the `tag` (or is the `resource` named), is active, and is open and free for the whole slot, its
    buffers clear of every allocation. One resource fills at most one place in an option. Each option is
    one start with the best resources for it; options are ranked by the one objective in `preferences`:

    - `earliest` (the default): the smallest start. `score`: minutes from `window.from` to the start.
    - `prefer_resources`: the most preferred resources chosen, then the smallest start. `score`: how
      many chosen resources are preferred (higher is better).
    - `balance_load`: the smallest load of the most loaded chosen resource, then the smallest sum of the
      chosen resources' loads, then the smallest start. A load is the allocated time (buffers included)
      inside the window. `score`: that largest load in hours (lower is better).

    At one start the resources are taken by key: resource id (`earliest`), preferred first then id
    (`prefer_resources`), load then id (`balance_load`); the chosen set is the one whose sorted keys are
    smallest, and each requirement in order takes the smallest keys that let the later ones be filled.
    The result is exact for the objective: feasible sets form a transversal matroid, whose greedy basis
    (built with augmenting paths) is optimal for the largest, the sum and the count of preferred keys at
    once. `criteria` gives every component of the ranking. `meta.examined` counts the starts where every
    requirement had enough free candidates.

    422 names the field: no requirement, a count outside 1-10, a tag no resource carries (or fewer than
    `count`), a duration not a whole number of granularity steps, a window over 31 days or ending before
    it starts, not exactly one preference, more than 500 candidate resources, or a search too large to
    answer in about a second (`window`: narrow it, coarsen the granularity or the tags). No option
    starts
    before now plus the longest minimum notice of its resources. 404: an unknown (or other tenant's)
    resource id.

    Args:
        body (SlotSearchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OptionOutPage]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SlotSearchIn,
) -> ErrorEnvelope | OptionOutPage | None:
    """The best starts and resources for several requirements (tags with counts, named resources)

     Candidate starts lie on the granularity grid (multiples of `granularity` from the Unix epoch, UTC,
    inside `window`, the slot ending by `window.to`). A resource can fill a requirement when it carries
    the `tag` (or is the `resource` named), is active, and is open and free for the whole slot, its
    buffers clear of every allocation. One resource fills at most one place in an option. Each option is
    one start with the best resources for it; options are ranked by the one objective in `preferences`:

    - `earliest` (the default): the smallest start. `score`: minutes from `window.from` to the start.
    - `prefer_resources`: the most preferred resources chosen, then the smallest start. `score`: how
      many chosen resources are preferred (higher is better).
    - `balance_load`: the smallest load of the most loaded chosen resource, then the smallest sum of the
      chosen resources' loads, then the smallest start. A load is the allocated time (buffers included)
      inside the window. `score`: that largest load in hours (lower is better).

    At one start the resources are taken by key: resource id (`earliest`), preferred first then id
    (`prefer_resources`), load then id (`balance_load`); the chosen set is the one whose sorted keys are
    smallest, and each requirement in order takes the smallest keys that let the later ones be filled.
    The result is exact for the objective: feasible sets form a transversal matroid, whose greedy basis
    (built with augmenting paths) is optimal for the largest, the sum and the count of preferred keys at
    once. `criteria` gives every component of the ranking. `meta.examined` counts the starts where every
    requirement had enough free candidates.

    422 names the field: no requirement, a count outside 1-10, a tag no resource carries (or fewer than
    `count`), a duration not a whole number of granularity steps, a window over 31 days or ending before
    it starts, not exactly one preference, more than 500 candidate resources, or a search too large to
    answer in about a second (`window`: narrow it, coarsen the granularity or the tags). No option
    starts
    before now plus the longest minimum notice of its resources. 404: an unknown (or other tenant's)
    resource id.

    Args:
        body (SlotSearchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OptionOutPage
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
