"""Writes ``iot_box.pot`` from the box's sources (the texts marked ``_()`` or ``N_()``, with where each is used and
the ``# TRANSLATORS:`` comment beside it) and brings every ``<lang>.po`` up to date with it (new texts added
untranslated, texts no longer used dropped, translations kept). Run: ``python -m iot_box.i18n.extract``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from iot_common import catalogues

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
DOMAIN = "iot_box"
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def template() -> Catalog:
    """The catalogue template as the sources say it today."""
    catalog = Catalog(project=DOMAIN, version="1.0", charset="utf-8", fuzzy=False,
                      header_comment="# The IoT box's texts: python -m iot_box.i18n.extract writes this file.",
                      msgid_bugs_address="", last_translator="", language_team="")
    # A fixed date: the file changes when a text does, not each time it is written.
    catalog.creation_date = catalog.revision_date = EPOCH
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords={"_": None, "N_": None},
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, locations=[(f"iot_box/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def render(catalog: Catalog) -> str:
    # No line numbers: a reference names the file, so that moving a text within it leaves the catalogue alone.
    return catalogues.render(catalog, line_numbers=False)


def main() -> None:
    pot = template()
    (HERE / f"{DOMAIN}.pot").write_text(render(pot), encoding="utf-8")
    for po_file in sorted(HERE.glob("*.po")):
        po_file.write_text(render(catalogues.updated(po_file.read_text(encoding="utf-8"), pot)), encoding="utf-8")


if __name__ == "__main__":
    main()
