"""An addon's data files: ``security/ir.model.access.csv`` style CSV and ``<odoo><record>`` XML, loaded in
order.

Each record has an external id (``module.name``, kept in ``ir.model.data``): loading again updates the record,
except records under ``<data noupdate="1">`` which are created once and then left to the user."""

from __future__ import annotations

import csv
import datetime
import logging
import time
from pathlib import Path
from typing import Any

from lxml import etree

from .fields import Command
from .modules import Manifest, ModuleError

_logger = logging.getLogger(__name__)


def load_file(env: Any, manifest: Manifest, relative: str) -> None:
    path = manifest.path / relative
    if not path.is_file():
        raise ModuleError(f"{manifest.name}: data file {relative} not found")
    if path.suffix == ".csv":
        _load_csv(env, manifest.name, path)
    elif path.suffix == ".xml":
        XmlLoader(env, manifest.name, path).load()
    else:
        raise ModuleError(f"{manifest.name}: cannot load {relative} (only .csv and .xml data files)")


def _load_csv(env: Any, module: str, path: Path) -> None:
    """The file name is the model (``ir.model.access.csv``); ``field:id`` columns hold external ids."""
    model = env[path.stem]
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            values: dict = {}
            for column, text in row.items():
                if column == "id":
                    continue
                name = column.removesuffix(":id")
                field = model._fields[name]
                if column.endswith(":id"):
                    values[name] = (
                        env["ir.model.data"]._xmlid_to_res_id(qualify(module, text)) if text else False
                    )
                elif field.type == "boolean":
                    values[name] = text.strip().lower() in ("1", "true")
                else:
                    values[name] = text
            env["ir.model.data"]._load_record(model._name, qualify(module, row["id"]), values, noupdate=False)


def qualify(module: str, xml_id: str) -> str:
    return xml_id if "." in xml_id else f"{module}.{xml_id}"


class XmlLoader:
    """``<record>``, ``<menuitem>`` and ``<function>`` elements, in document order, under
    ``<odoo>``/``<data>``."""

    def __init__(self, env: Any, module: str, path: Path) -> None:
        self.env = env
        self.module = module
        self.path = path

    def load(self) -> None:
        try:
            root = etree.parse(str(self.path)).getroot()
        except etree.XMLSyntaxError as exc:
            raise ModuleError(f"{self.path}: {exc}") from exc
        self._load_children(root, noupdate=root.get("noupdate") in ("1", "True"))

    def _load_children(self, parent: etree._Element, noupdate: bool) -> None:
        for element in parent:
            if not isinstance(element.tag, str):
                continue  # comments
            if element.tag == "data":
                self._load_children(element, noupdate or element.get("noupdate") in ("1", "True"))
            elif element.tag == "record":
                self._record(element, noupdate)
            elif element.tag == "menuitem":
                self._menuitem(element, noupdate)
            elif element.tag == "function":
                self._function(element)
            else:
                raise ModuleError(f"{self.path}:{element.sourceline}: unknown element <{element.tag}>")

    def ref(self, xml_id: str) -> int:
        return self.env["ir.model.data"]._xmlid_to_res_id(qualify(self.module, xml_id))

    def _eval(self, expression: str) -> Any:
        context = {
            "ref": self.ref,
            "datetime": datetime,
            "timedelta": datetime.timedelta,
            "time": time,
            "DateTime": datetime.datetime,
            "Command": Command,
            "True": True,
            "False": False,
            "None": None,
        }
        # The addon's own data files are code of the addon, like its Python modules; never user input.
        return eval(expression, {"__builtins__": {}}, context)  # noqa: S307

    def _record(self, element: etree._Element, noupdate: bool) -> None:
        model = self.env[element.get("model")]
        values = {}
        for field_element in element.findall("field"):
            name = field_element.get("name")
            if name not in model._fields:
                raise ModuleError(
                    f"{self.path}:{field_element.sourceline}: {model._name} has no field '{name}'"
                )
            values[name] = self._field_value(model._fields[name], field_element)
        xml_id = element.get("id")
        if model._name == "ir.cron" and "numbercall" not in values:
            # Later Odoo versions dropped numbercall: a job written for them would silently run only once here.
            _logger.warning(
                "%s:%s: scheduled action %s has no numbercall: Odoo 17 runs it once (numbercall 1); "
                "add <field name=\"numbercall\">-1</field> to run it at every interval",
                self.path, element.sourceline, xml_id,
            )
        self.env["ir.model.data"]._load_record(
            model._name,
            qualify(self.module, xml_id) if xml_id else None,
            values,
            noupdate=noupdate,
        )

    def _field_value(self, field: Any, element: etree._Element) -> Any:
        if element.get("ref"):
            return self.ref(element.get("ref"))
        if element.get("eval") is not None:
            return self._eval(element.get("eval"))
        if element.get("type") == "xml" or field.name == "arch":
            return "".join(etree.tostring(child, encoding="unicode") for child in element)
        text = element.text or ""
        if field.type == "boolean":
            return text.strip().lower() in ("1", "true")
        if field.type in ("integer", "many2one"):
            return int(text) if text.strip() else False
        if field.type == "float":
            return float(text)
        return text

    def _menuitem(self, element: etree._Element, noupdate: bool) -> None:
        values: dict = {"sequence": int(element.get("sequence", 10))}
        if element.get("parent"):
            values["parent_id"] = self.ref(element.get("parent"))
        if element.get("action"):
            values["action_id"] = self.ref(element.get("action"))
        name = element.get("name")
        if name is None and element.get("action"):
            name = self.env["ir.actions.act_window"].browse(values["action_id"]).name
        values["name"] = name or element.get("id")
        if element.get("groups"):
            values["group_ids"] = [
                Command.set([self.ref(g.strip()) for g in element.get("groups").split(",")])
            ]
        self.env["ir.model.data"]._load_record(
            "ir.ui.menu",
            qualify(self.module, element.get("id")),
            values,
            noupdate=noupdate,
        )
        for child in element.findall("menuitem"):
            child.set("parent", element.get("id"))
            self._menuitem(child, noupdate)

    def _function(self, element: etree._Element) -> None:
        """``<function model="x" name="method" eval="[args]"/>``: call a model method at load time."""
        args = self._eval(element.get("eval")) if element.get("eval") else []
        getattr(self.env[element.get("model")], element.get("name"))(*args)
