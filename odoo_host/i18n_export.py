"""The translation template of an addon, exported from its sources as Odoo exports one: every translatable text
with ``#:`` references that say where it is used (``model:ir.model.fields,field_description:<module>.field_...``,
``model_terms:ir.ui.view,arch_db:<module>.<view>``, ``code:addons/<module>/<file>:0``...), and the ``<lang>.po``
files brought up to date with it (new texts added untranslated, texts no longer used dropped, translations and
translator comments kept).

Run ``python -m odoo_host.i18n_export MODULE [ADDONS_PATH...]``: it writes ``i18n/<module>.pot`` and updates the
addon's ``i18n/*.po``. A test compares the written template with a fresh export, so a stale one fails."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from lxml import etree

from iot_common.catalogues import render, updated

from . import modules as M
from .fields import Field
from .models import MetaModel
from .tools import DEFAULTS

HOST = Path(__file__).resolve().parent
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # fixed: the file changes when a text does, not when it is written
VIEW_ATTRIBUTES = ("string", "help", "placeholder", "title", "confirm")
# The records whose fields Odoo translates, with the reference's field name for each translated field.
RECORD_FIELDS = {
    "ir.actions.act_window": {"name": "name", "help": "help"},
    "ir.cron": {"name": "cron_name"},
    "res.groups": {"name": "name", "comment": "comment"},
}


class _Template:
    def __init__(self, module: str) -> None:
        self.module = module
        self.catalog = Catalog(project="Odoo Server", version="17.0", charset="utf-8", fuzzy=False,
                               header_comment=f"# Translation of Odoo Server.\n# This file contains the translation "
                                              f"of the following modules:\n# \t* {module}\n#",
                               msgid_bugs_address="", last_translator="", language_team="")
        self.catalog.creation_date = self.catalog.revision_date = EPOCH

    def add(self, text: str | None, reference: str, comments: list[str] | tuple = ()) -> None:
        if not text or not text.strip():
            return
        message = self.catalog.get(text)
        if message is None:
            self.catalog.add(text, locations=[(reference, None)],
                             auto_comments=[f"module: {self.module}", *comments])
            return
        if (reference, None) not in message.locations:
            message.locations.append((reference, None))
        message.auto_comments.extend(c for c in comments if c not in message.auto_comments)


def _models(template: _Template) -> None:
    module = template.module
    for cls in MetaModel.module_to_models.get(module, ()):
        model = cls.__dict__.get("_name") or cls.__dict__.get("_inherit")
        if not isinstance(model, str):
            continue
        model_ = model.replace(".", "_")
        if "_name" in cls.__dict__:
            template.add(cls.__dict__.get("_description"), f"model:ir.model,name:{module}.model_{model_}")
        for name, field in cls.__dict__.items():
            if not isinstance(field, Field):
                continue
            xml_id = f"{module}.field_{model_}__{name}"
            template.add(field.string, f"model:ir.model.fields,field_description:{xml_id}")
            template.add(field.help, f"model:ir.model.fields,help:{xml_id}")
            if isinstance(getattr(field, "selection", None), list):
                for value, label in field.selection:
                    template.add(label, f"model:ir.model.fields.selection,name:{module}.selection__{model_}__"
                                        f"{name}__{value}")
        for name, _definition, message in cls.__dict__.get("_sql_constraints", ()):
            template.add(message, f"model:ir.model.constraint,message:{module}.constraint_{model_}_{name}")


def _code(template: _Template, path: Path, prefix: str) -> None:
    for source in sorted(path.rglob("*.py")):
        relative = source.relative_to(path)
        if relative.parts[0] in ("tests", "addons"):  # the host's addons are exported as modules of their own
            continue
        reference = f"code:{prefix}/{relative.as_posix()}:0"
        with source.open("rb") as code:
            found = extract_python(code, {"_": None, "_lt": None, "translate": None}, ("TRANSLATORS:",), {})
            for _lineno, _function, messages, comments in found:
                message = messages[0] if isinstance(messages, tuple) else messages  # _(text, *arguments)
                if isinstance(message, str):
                    template.add(message, reference, [c.removeprefix("TRANSLATORS:").strip() for c in comments])


def _data(template: _Template, manifest: M.Manifest) -> None:
    module = template.module
    for relative in manifest.data:
        if not relative.endswith(".xml"):
            continue
        root = etree.parse(str(manifest.path / relative)).getroot()
        for node in root.iter("menuitem"):
            template.add(node.get("name"), f"model:ir.ui.menu,name:{module}.{node.get('id')}")
        for record in root.iter("record"):
            model, xml_id = record.get("model"), f"{module}.{record.get('id')}"
            for field in record.iter("field"):
                if model == "ir.ui.view" and field.get("name") == "arch":
                    _arch(template, field, f"model_terms:ir.ui.view,arch_db:{xml_id}")
                elif field.get("name") in RECORD_FIELDS.get(model, {}):
                    reference_field = RECORD_FIELDS[model][field.get("name")]
                    template.add(field.text, f"model:{model},{reference_field}:{xml_id}")


def _arch(template: _Template, arch: etree._Element, reference: str) -> None:
    for node in arch.iter():
        if not isinstance(node.tag, str):
            continue  # a comment
        for attribute in VIEW_ATTRIBUTES:
            template.add(node.get(attribute), reference)
        if node is not arch and node.text and node.text.strip():
            template.add(node.text.strip(), reference)


def export(module: str, addons_path: list[str] | None = None) -> Catalog:
    """The translation template of ``module`` (its models, data files and Python code)."""
    addons_path = [str(p) for p in (addons_path or DEFAULTS["addons_path"])]
    found = M.available(addons_path)
    M.import_addons(M.resolve([module], found), addons_path)
    manifest = found[module]
    template = _Template(module)
    _models(template)
    _data(template, manifest)
    _code(template, manifest.path, f"addons/{module}")
    if module == "base":  # as in Odoo, base also holds the texts of the server's own code (the web client's pages)
        _code(template, HOST, "odoo")
    return template.catalog


def write(module: str, addons_path: list[str] | None = None) -> Path:
    """Writes ``i18n/<module>.pot`` and updates the module's ``i18n/*.po``; returns the template's path."""
    template = export(module, addons_path)
    folder = M.available([str(p) for p in (addons_path or DEFAULTS["addons_path"])])[module].path / "i18n"
    folder.mkdir(exist_ok=True)
    pot = folder / f"{module}.pot"
    pot.write_text(render(template), encoding="utf-8")
    for po_file in sorted(folder.glob("*.po")):
        po_file.write_text(render(updated(po_file.read_text(encoding="utf-8"), template)), encoding="utf-8")
    return pot


if __name__ == "__main__":
    print(write(sys.argv[1], sys.argv[2:] or None))
