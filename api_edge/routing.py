"""One declaration per route: method, path, access, handler and its documentation, from which both the
Starlette route and the OpenAPI operation are made (api_edge/openapi.py); no path is written twice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api_edge.access import Access, Guarded, bind
from api_edge.platform.idempotency import HEADER as IDEMPOTENCY_HEADER
from api_edge.resources import Edge

D = TypeVar("D")
UUID_SCHEMA: dict[str, Any] = {"type": "string", "format": "uuid"}


@dataclass(frozen=True)
class Param:
    """A path, query or header parameter; a path parameter typed uuid is matched by Starlette's uuid converter."""

    name: str
    where: Literal["path", "query", "header"]
    schema: dict[str, Any]
    description: str = ""
    required: bool = False

    def document(self) -> dict[str, Any]:
        """The OpenAPI parameter object."""
        doc: dict[str, Any] = {"name": self.name, "in": self.where, "schema": self.schema}
        if self.where == "path" or self.required:
            doc["required"] = True
        if self.description:
            doc["description"] = self.description
        return doc


def path_uuid(name: str) -> Param:
    """A path parameter that must be a UUID."""
    return Param(name, "path", UUID_SCHEMA)


@dataclass(frozen=True)
class JsonBody:
    model: type[BaseModel]
    required: bool = True


@dataclass(frozen=True)
class FormBody:
    schema: dict[str, Any]


@dataclass(frozen=True)
class Link:
    """An OpenAPI link: a later operation whose parameters come from this answer (e.g. the new upload's id)."""

    name: str
    method: str
    path: str
    parameters: Mapping[str, str]  # parameter → runtime expression such as "$response.body#/upload_id"


IDEMPOTENCY_KEY = Param(
    IDEMPOTENCY_HEADER,
    "header",
    {"type": "string", "pattern": "^[!-~]{1,255}$"},
    "Makes retries safe: the same key and request get the original answer (keys last a day)",
)


@dataclass(frozen=True)
class Doc:
    """What the OpenAPI document says about a route (statuses every route shares are added by openapi.py)."""

    summary: str
    ok: Mapping[int, type[BaseModel] | str]
    errors: tuple[int, ...] = ()
    params: tuple[Param, ...] = ()
    body: JsonBody | FormBody | None = None
    headers: Mapping[int, Mapping[str, str]] = field(default_factory=dict)  # status → header → description
    dependencies: bool = True  # reaches Postgres or Kafka, so an outage answers 503
    links: tuple[Link, ...] = ()  # from the first success status


@dataclass(frozen=True)
class Operation:
    """A declared route, bound to its context's dependencies."""

    method: str
    path: str  # OpenAPI form: /analysis/results/{upload_id}
    access: Access
    doc: Doc
    run: Callable[[Request], Awaitable[Response]]

    def route(self) -> Route:
        """The Starlette route (typed path converters derived from the declared parameters)."""
        path = self.path
        for p in self.doc.params:
            if p.where == "path" and p.schema.get("format") == "uuid":
                path = path.replace("{" + p.name + "}", "{" + p.name + ":uuid}")
        return Route(path, self.run, methods=[self.method])


class Context(Generic[D]):
    """The routes of one context, each handed that context's typed dependencies."""

    def __init__(self, select: Callable[[Edge], D]) -> None:
        self.select = select

    def route(self, method: str, path: str, endpoint: Guarded[D], doc: Doc) -> Operation:
        """Declare a route."""
        return Operation(method, path, endpoint.access, doc, bind(endpoint, self.select))
