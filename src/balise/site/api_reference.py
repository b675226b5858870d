"""Balise's API reference page, read from the API's own OpenAPI description: one source, so the page
can never say something else than /api/openapi.json. The headings and words around the texts are
translated; the operations' texts are written in English in the code and shown as they are."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# The routers' tags, as a reader names them.
TAG_TITLES = {
    "accounts": gettext_lazy("Account"),
    "evaluation": gettext_lazy("Competences and tests"),
    "learning": gettext_lazy("Tutorials"),
    "campaigns": gettext_lazy("Campaigns"),
}
PLACES = {"path": gettext_lazy("in the path"), "query": gettext_lazy("in the query string")}
METHOD_ORDER = ["get", "post", "put", "patch", "delete"]


@dataclass
class Field:
    name: str
    kind: str  # the type and its limits, in words
    required: bool
    description: str = ""
    place: str = ""


@dataclass
class Response:
    status: str
    description: str
    body: str = ""  # the shape's name, for reading along the fields below
    fields: list[Field] = field(default_factory=list)
    is_error: bool = False


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Field]
    body: list[Field]
    body_name: str
    responses: list[Response]


@dataclass
class Section:
    tag: str
    title: str
    operations: list[Operation]


def _schema_name(schema: dict) -> str:
    return schema["$ref"].rsplit("/", 1)[1] if "$ref" in schema else ""


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[_schema_name(schema)]
    return schema


def kind_of(schema: dict, components: dict) -> str:
    """A field's type and limits in words: "string, at least 1 character", "one of: a, b"…"""
    if "$ref" in schema:
        return _schema_name(schema)
    if "anyOf" in schema:
        kinds = [kind_of(option, components) for option in schema["anyOf"] if option.get("type") != "null"]
        nullable = any(option.get("type") == "null" for option in schema["anyOf"])
        text = _(" or ").join(kinds)
        if nullable:
            text = _("%(kind)s or null") % {"kind": text}
        limits = _limits({**schema, "enum": [v for v in schema["enum"] if v is not None]} if "enum" in schema else schema)
        return f"{text}, {limits}" if limits else text
    kind = schema.get("type", "")
    if kind == "array":
        return _("list of %(kind)s") % {"kind": kind_of(schema.get("items", {}), components)}
    if kind == "object" and "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
        return _("object of %(kind)s") % {"kind": kind_of(schema["additionalProperties"], components)}
    text = schema.get("format") and f"{kind} ({schema['format']})" or kind or _("any")
    limits = _limits(schema)
    return f"{text}, {limits}" if limits else text


def _limits(schema: dict) -> str:
    parts = []
    if "enum" in schema:
        values = ["null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
                  for value in schema["enum"]]
        parts.append(_("one of: %(values)s") % {"values": ", ".join(v if v else '""' for v in values)})
    if "minLength" in schema:
        n = schema["minLength"]
        parts.append(ngettext("at least %(n)s character", "at least %(n)s characters", n) % {"n": n})
    if "maxLength" in schema:
        n = schema["maxLength"]
        parts.append(ngettext("at most %(n)s character", "at most %(n)s characters", n) % {"n": n})
    if schema.get("pattern") == r"\S":  # balise.api.errors.NOT_BLANK
        parts.append(_("not only spaces"))
    elif "pattern" in schema:
        parts.append(_("matching %(pattern)s") % {"pattern": schema["pattern"]})
    if "minimum" in schema:
        parts.append(_("at least %(n)s") % {"n": schema["minimum"]})
    return ", ".join(parts)


def _fields(schema: dict, components: dict) -> list[Field]:
    schema = _resolve(schema, components)
    required = set(schema.get("required", []))
    return [
        Field(name, kind_of(prop, components), name in required, prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]


def _json_schema(holder: dict) -> dict | None:
    return holder.get("content", {}).get("application/json", {}).get("schema")


def _operation(path: str, method: str, spec: dict, components: dict) -> Operation:
    parameters = [
        Field(
            p["name"], kind_of(p.get("schema", {}), components), p.get("required", False),
            p.get("description", "") or p.get("schema", {}).get("description", ""), str(PLACES.get(p["in"], p["in"])),
        )
        for p in spec.get("parameters", [])
    ]
    body_schema = _json_schema(spec.get("requestBody", {}))
    responses = []
    for status, answer in spec.get("responses", {}).items():
        schema = _json_schema(answer)
        name = _schema_name(schema) if schema else ""
        is_error = status >= "400"
        # An error's body is the one shape described once at the top; a success's fields are listed.
        fields = _fields(schema, components) if schema and not is_error and _resolve(schema, components).get(
            "properties") else []
        body = name or (kind_of(schema, components) if schema else "")
        responses.append(Response(status, answer.get("description", ""), body, fields, is_error))
    return Operation(
        method=method.upper(),
        path=path,
        anchor=f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-"),
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        parameters=parameters,
        body=_fields(body_schema, components) if body_schema else [],
        body_name=_schema_name(body_schema) if body_schema else "",
        responses=responses,
    )


def api_reference(schema: dict) -> list[Section]:
    """The operations of an OpenAPI description, grouped by tag (in TAG_TITLES' order, then the
    others), each with its parameters, request body fields and responses."""
    components = schema.get("components", {}).get("schemas", {})
    sections: dict[str, Section] = {}
    for path, operations in schema["paths"].items():
        for method in sorted(operations, key=lambda m: METHOD_ORDER.index(m) if m in METHOD_ORDER else 99):
            spec = operations[method]
            tag = (spec.get("tags") or ["other"])[0]
            section = sections.setdefault(tag, Section(tag, str(TAG_TITLES.get(tag, tag)), []))
            section.operations.append(_operation(path, method, spec, components))
    order = list(TAG_TITLES)
    return sorted(sections.values(), key=lambda s: order.index(s.tag) if s.tag in order else len(order))


def error_shape(schema: dict) -> list[Field]:
    """The fields of the one error shape every answer from 400 on has."""
    return _fields({"$ref": "#/components/schemas/ErrorOut"}, schema.get("components", {}).get("schemas", {}))
