"""The box's catalogues: ``iot_box.pot`` is what the sources say today, ``nl.po`` translates all of it."""

from __future__ import annotations

import io

from babel.messages.pofile import read_po

from iot_box.i18n import extract


def test_the_pot_file_is_extracted_from_the_current_sources():
    written = (extract.HERE / "iot_box.pot").read_text(encoding="utf-8")
    assert written == extract.render(extract.template()), "stale iot_box.pot: run python -m iot_box.i18n.extract"


def test_dutch_translates_every_text_of_the_template_with_its_references():
    template = read_po(io.StringIO(extract.render(extract.template())))
    dutch = read_po(io.StringIO((extract.HERE / "nl.po").read_text(encoding="utf-8")))
    assert sorted(m.id for m in dutch if m.id) == sorted(m.id for m in template if m.id)
    for message in template:
        if message.id:
            assert dutch[message.id].string, f"no Dutch for {message.id!r}"
            assert dutch[message.id].locations == message.locations
