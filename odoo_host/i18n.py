"""Translations: the addons' ``i18n/<lang>.po`` catalogs, and ``_()`` which finds the language by itself.

``_("text")`` uses the language of the ``env`` of the calling method (``self.env``), else the current web
request's (the user's ``lang``, else the browser's Accept-Language). Languages are matched on their prefix:
``nl_NL`` and ``nl`` both use ``nl.po``."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

DEFAULT_LANG = "en_US"


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a PO file (fuzzy and untranslated entries left out)."""
    catalog: dict[str, str] = {}
    entry: dict[str, str] = {}
    current = None
    fuzzy = False

    def flush() -> None:
        msgid, msgstr = entry.get("msgid"), entry.get("msgstr")
        if msgid and msgstr and not fuzzy:
            catalog[msgid] = msgstr

    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                flush()
                entry, current, fuzzy = {}, None, True
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword in ("msgid", "msgstr", "msgctxt"):
            if keyword in ("msgid", "msgctxt") and "msgstr" in entry:
                flush()
                entry, fuzzy = {}, False
            current = keyword
            entry[current] = _unquote(rest)
        elif line.startswith('"') and current:
            entry[current] += _unquote(line)
    flush()
    return catalog


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else ""


def lang_base(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0].lower()


class Translations:
    """The catalogs of the loaded addons, by language prefix (``nl``) and by module."""

    def __init__(self) -> None:
        self.catalogs: dict[str, dict[str, dict[str, str]]] = {}  # lang -> module -> msgid -> msgstr

    def load_module(self, module: str, path: Path) -> None:
        for po_file in sorted((path / "i18n").glob("*.po")):
            lang = lang_base(po_file.stem)
            self.catalogs.setdefault(lang, {})[module] = parse_po(po_file.read_text(encoding="utf-8"))

    def languages(self) -> list[str]:
        return sorted(self.catalogs)

    def translate(self, source: str, lang: str | None, module: str | None = None) -> str:
        if not lang or lang_base(lang) == "en":
            return source
        modules = self.catalogs.get(lang_base(lang))
        if not modules:
            return source
        if module and source in modules.get(module, {}):
            return modules[module][source]
        for catalog in modules.values():
            if source in catalog:
                return catalog[source]
        return source

    def best_match(self, accept_language: Any) -> str:
        """The language to use for a browser's Accept-Language header (werkzeug's parsed value)."""
        for value, _quality in accept_language or ():
            if lang_base(value) == "en":
                return DEFAULT_LANG
            if lang_base(value) in self.catalogs:
                return value.replace("-", "_")
        return DEFAULT_LANG


def _caller_env_and_module(depth: int) -> tuple[Any, str | None]:
    frame = sys._getframe(depth)
    module = frame.f_globals.get("__name__", "").split(".")[0] or None
    candidate = frame.f_locals.get("self")
    env = getattr(candidate, "env", None)
    if env is None or not hasattr(env, "translate"):
        env = None
    return env, module


def _(source: str, *args: Any, **kwargs: Any) -> str:
    """``source`` translated into the caller's language; ``%`` arguments applied after translation."""
    env, module = _caller_env_and_module(2)
    if env is None:
        from .http import request  # the current web request's environment, if any

        env = request.env if request else None
    text = env.translate(source, module) if env is not None else source
    if args:
        return text % args
    if kwargs:
        return text % kwargs
    return text
