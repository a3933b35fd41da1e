"""Build the OpenAPI 3.1 document from the routes and their `operation` notes."""

import re

from flask import current_app, jsonify

from ..database import MAX_ID
from .blueprint import bp
from .schemas import ErrorOut
from .spec import Operation, operation

PREFIX = "/api/v1"
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_PARAM_TYPES = {
    "int": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
    "string": {"type": "string"},
    None: {"type": "string"},
}

ERRORS = {
    "400": "Malformed request",
    "401": "Not signed in",
    "403": "Not allowed",
    "404": "Not found, or not visible to the caller",
    "422": "Invalid fields",
    "429": "Rate limited",
}


def _schema_ref(model, components: dict) -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
    for name, sub in schema.pop("$defs", {}).items():
        components[name] = sub
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _input_ref(model, components: dict) -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="validation")
    for name, sub in schema.pop("$defs", {}).items():
        components[name] = sub
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation_doc(rule, method: str, op: Operation, components: dict) -> dict:
    params = [
        {"name": name, "in": "path", "required": True, "schema": _PARAM_TYPES.get(conv, {"type": "string"})}
        for conv, name in _CONVERTER.findall(rule.rule)
    ]
    if op.query is not None:
        schema = op.query.model_json_schema()
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in schema.get("required", []), "schema": prop})
    doc: dict = {
        "operationId": rule.endpoint.split(".", 1)[1],
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": params,
        "responses": {},
    }
    if op.body is not None:
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": _input_ref(op.body, components)}}}
    if op.multipart is not None:
        doc["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": op.multipart}}}
    for status, model in (op.responses or {200: None}).items():
        if op.binary and 200 <= status < 300:
            content = {op.binary: {"schema": {"type": "string", "format": "binary"}}}
        elif model is None:
            content = None
        else:
            content = {"application/json": {"schema": _schema_ref(model, components)}}
        doc["responses"][str(status)] = {"description": op.summary} | ({"content": content} if content else {})
    error_ref = _schema_ref(ErrorOut, components)
    for status, text in ERRORS.items():
        if op.public and status in ("401", "403"):
            continue
        doc["responses"][status] = {"description": text, "content": {"application/json": {"schema": error_ref}}}
    if not op.public:
        doc["security"] = [{"bearer": []}, {"session": []}]
    return doc


def build_document() -> dict:
    components: dict = {}
    paths: dict = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX):
            continue
        view = current_app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, "openapi", None)
        if op is None:
            continue  # the completeness test names such a route
        path = _CONVERTER.sub(r"{\2}", rule.rule[len(PREFIX):])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation_doc(rule, method, op, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hub API", "version": "1"},
        "servers": [{"url": PREFIX}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


@bp.get("/openapi.json")
@operation("This document", "meta", public=True)
def openapi():
    return jsonify(build_document())
