"""Translations: the addons' ``i18n/<lang>.po`` catalogs (read by Babel, so ``msgctxt`` and plural forms count),
``_()`` which finds the language by itself, and ``_lt()`` for texts defined before any language is known.

``_("text")`` uses the language of the ``env`` of the calling method (``self.env``), else the current web
request's (the user's ``lang``, else the browser's Accept-Language). Languages are matched on their prefix:
``nl_NL`` and ``nl`` both use ``nl.po``."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations as BabelTranslations

from .models import module_of

DEFAULT_LANG = "en_US"


def load_catalog(path: Path) -> BabelTranslations:
    """A PO file as gettext translations (fuzzy and untranslated entries left out, as ``msgfmt`` does)."""
    with path.open("rb") as po_file:
        catalog = read_po(po_file)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return BabelTranslations(compiled)


def lang_base(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0].lower()


class Translations:
    """The catalogs of the loaded addons, by language prefix (``nl``) and by module."""

    def __init__(self) -> None:
        self.catalogs: dict[str, dict[str, BabelTranslations]] = {}  # lang -> module -> catalog

    def load_module(self, module: str, path: Path) -> None:
        for po_file in sorted((path / "i18n").glob("*.po")):
            self.catalogs.setdefault(lang_base(po_file.stem), {})[module] = load_catalog(po_file)

    def languages(self) -> list[str]:
        return sorted(self.catalogs)

    def _candidates(self, lang: str | None, module: str | None) -> list[BabelTranslations]:
        if not lang or lang_base(lang) == "en":
            return []
        modules = self.catalogs.get(lang_base(lang), {})
        own = [modules[module]] if module in modules else []
        return own + [catalog for name, catalog in modules.items() if name != module]

    def translate(self, source: str, lang: str | None, module: str | None = None, context: str | None = None) -> str:
        """``source`` in ``lang``: the module's own catalog first, then any other loaded module's."""
        for catalog in self._candidates(lang, module):
            found = catalog.pgettext(context, source) if context else catalog.gettext(source)
            if found != source:
                return found
        return source

    def translate_plural(self, singular: str, plural: str, count: int, lang: str | None,
                         module: str | None = None) -> str:
        """The form of ``singular``/``plural`` for ``count`` under the language's own plural rule."""
        for catalog in self._candidates(lang, module):
            found = catalog.ngettext(singular, plural, count)
            if found not in (singular, plural):
                return found
        return singular if count == 1 else plural

    def best_match(self, accept_language: Any) -> str:
        """The language to use for a browser's Accept-Language header (werkzeug's parsed value)."""
        for value, _quality in accept_language or ():
            if lang_base(value) == "en":
                return DEFAULT_LANG
            if lang_base(value) in self.catalogs:
                return value.replace("-", "_")
        return DEFAULT_LANG


def _caller_env(frame: FrameType) -> Any:
    """The ``env`` of the method running in ``frame`` (``self.env``), else the current web request's, else None."""
    env = getattr(frame.f_locals.get("self"), "env", None)
    if env is not None and hasattr(env, "translate"):
        return env
    from .http import request  # the current web request's environment, if any

    return request.env if request else None


def _(source: str, *args: Any, **kwargs: Any) -> str:
    """``source`` translated into the caller's language; ``%`` arguments applied after translation."""
    caller = sys._getframe(1)
    env = _caller_env(caller)
    text = env.translate(source, module_of(caller.f_globals.get("__name__", ""))) if env is not None else source
    if args:
        return text % args
    if kwargs:
        return text % kwargs
    return text


class _lt:  # Odoo's name for it
    """A text marked for translation where no language is known yet (a module-level table): ``str()`` of it
    translates into the language of the code that asks, as ``_()`` would there."""

    __slots__ = ("_source", "_module")

    def __init__(self, source: str) -> None:
        self._source = source
        self._module = module_of(sys._getframe(1).f_globals.get("__name__", ""))

    def __str__(self) -> str:
        env = _caller_env(sys._getframe(1))
        return env.translate(self._source, self._module) if env is not None else self._source

    def __repr__(self) -> str:
        return f"_lt({self._source!r})"
