"""The one way this project builds HTML: lxml's ``E``, so every text and attribute value is escaped by
construction. What XML cannot hold (control characters, lone surrogates) is dropped instead of failing the page: a
value typed into a form or read from a network answer may carry anything."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml.builder import ElementMaker

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """``value`` as text that XML 1.0 can hold."""
    return _NOT_XML.sub("", str(value))


def _add_text(element: etree._Element, text: str) -> None:
    text = xml_text(text)
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


class _SafeMaker(ElementMaker):
    def __call__(self, tag: str, *children: Any, **attributes: Any) -> etree._Element:
        clean = [{k: xml_text(v) for k, v in c.items()} if isinstance(c, dict) else c for c in children]
        return super().__call__(tag, *clean, **{k: xml_text(v) for k, v in attributes.items()})


E = _SafeMaker(typemap={str: _add_text})


def document(page: etree._Element) -> str:
    """``page`` (an ``<html>`` element) as an HTML5 document."""
    return "<!DOCTYPE html>\n" + etree.tostring(page, encoding="unicode", method="html")
