"""The addon's catalogues: ``i18n/iot_https.pot`` is what the sources say today, and ``nl.po`` translates every
text of it, with the same references."""

import io
from pathlib import Path
from unittest import TestCase

from babel.messages.pofile import read_po
from odoo.addons import iot_https

from odoo_host import i18n_export

ADDON = Path(iot_https.__file__).resolve().parent


class TestCatalogues(TestCase):
    def test_the_pot_file_is_exported_from_the_current_sources(self):
        fresh = i18n_export.render(i18n_export.export("iot_https"))
        written = (ADDON / "i18n" / "iot_https.pot").read_text(encoding="utf-8")
        self.assertEqual(written, fresh, "stale i18n/iot_https.pot: run python -m odoo_host.i18n_export iot_https")

    def test_dutch_translates_every_text_of_the_template_with_its_references(self):
        template = read_po(io.StringIO(i18n_export.render(i18n_export.export("iot_https"))))
        with (ADDON / "i18n" / "nl.po").open("rb") as po_file:
            dutch = read_po(po_file)
        self.assertEqual(sorted(m.id for m in dutch if m.id), sorted(m.id for m in template if m.id))
        for message in template:
            if message.id:
                self.assertTrue(dutch[message.id].string, f"no Dutch for {message.id!r}")
                self.assertEqual(dutch[message.id].locations, message.locations, message.id)
