"""Writing gettext catalogues (Babel), shared by the server's and the box's ``.pot`` exporters
(docs/translations.md)."""

from __future__ import annotations

import io

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def render(catalog: Catalog, line_numbers: bool = True) -> str:
    """``catalog`` as PO text, its messages sorted and wrapped at 120 columns as the sources are."""
    out = io.BytesIO()
    write_po(out, catalog, width=120, sort_output=True, include_lineno=line_numbers)
    return out.getvalue().decode("utf-8")


def updated(po_text: str, template: Catalog) -> Catalog:
    """``po_text``'s translations on the template's texts, references and comments."""
    catalog = read_po(io.StringIO(po_text))
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog
