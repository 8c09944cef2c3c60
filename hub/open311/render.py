"""Open311 responses in JSON or XML, the two formats GeoReport v2 requires."""
from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from flask import Response, jsonify

# The element name of each list item in XML, by the list's root element.
ITEM = {"services": "service", "service_requests": "request", "errors": "error", "endpoints": "endpoint",
        "formats": "format", "keywords": "keyword", "attributes": "attribute"}


def _xml(parent: ET.Element, value: Any, item_tag: str) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            child = ET.SubElement(parent, key)
            _xml(child, sub, ITEM.get(key, key))
    elif isinstance(value, list):
        for sub in value:
            child = ET.SubElement(parent, item_tag)
            _xml(child, sub, ITEM.get(item_tag, item_tag))
    elif value is None:
        return
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    else:
        parent.text = str(value)


def respond(fmt: str, root: str, payload: Any, status: int = 200) -> Response:
    if fmt == "json":
        response = jsonify(payload)
        response.status_code = status
        return response
    element = ET.Element(root)
    _xml(element, payload, ITEM.get(root, root))
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")
    return Response(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt: str, status: int, description: str) -> Response:
    return respond(fmt, "errors", [{"code": status, "description": description}], status)
