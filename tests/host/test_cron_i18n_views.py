"""Scheduled jobs in-process, translations (PO files, ``_``), and the view modifiers of the web client."""

import datetime
import tempfile
import threading
import unittest
from pathlib import Path

from lxml import etree

from odoo_host import cron, fields, i18n, i18n_export, views
from odoo_host.exceptions import UserError

from .common import DemoCase


class TestCron(DemoCase):
    def test_a_failing_job_is_rolled_back_and_rescheduled(self):
        job = self.env.ref("host_demo.ir_cron_demo_sweep")
        job.write({"code": "model.search([]).write({'note': 'half done'}) and 1 / 0",
                   "nextcall": "2000-01-01 00:00:00"})
        box = self.env["demo.box"].create({"name": "B", "identifier": "cron-1"})
        self.cr.execute("UPDATE ir_cron SET active = false WHERE id != %s", (job.id,))
        self.registry.test_cr = self.cr
        try:
            with self.assertLogs("odoo_host.cron", "ERROR") as logs:
                self.assertEqual(cron.run_due_jobs(self.registry), 0)
        finally:
            self.registry.test_cr = None
        self.assertIn("Demo: mark stale boxes", logs.output[0])
        self.env.invalidate_all()
        self.assertFalse(box.note, "the job's changes were rolled back")
        self.assertGreater(job.nextcall, fields.Datetime.now(), "tried again at its next slot")
        self.assertTrue(job.lastcall)

    def test_next_call_skips_missed_slots(self):
        job = self.env.ref("host_demo.ir_cron_demo_sweep")
        job.write({"nextcall": "2026-01-01 10:00:00", "interval_type": "hours", "interval_number": 2})
        now = datetime.datetime(2026, 1, 1, 15, 30)
        self.assertEqual(job._next_call(now), datetime.datetime(2026, 1, 1, 16, 0))

    def test_method_instead_of_code_and_manual_run(self):
        job = self.env.ref("host_demo.ir_cron_demo_sweep")
        job.write({"code": False, "method": "_cron_sweep"})
        box = self.env["demo.box"].create({"name": "B", "identifier": "cron-2", "end_date": "2000-01-01"})
        job.method_direct_trigger()
        self.assertEqual(box.note, "swept")
        job.write({"method": False})
        with self.assertRaisesRegex(UserError, "neither code nor method"):
            job.method_direct_trigger()

    def test_server_thread_runs_due_jobs(self):
        ran = threading.Event()
        original = cron.run_due_jobs
        cron.run_due_jobs = lambda registry: ran.set()
        stop = cron.start_thread(self.registry, 0.05)
        try:
            self.assertTrue(ran.wait(10))
        finally:
            stop.set()
            cron.run_due_jobs = original


class TestTranslations(DemoCase):
    def test_po_files_are_read_with_context_plurals_and_without_fuzzy_entries(self):
        with tempfile.TemporaryDirectory() as folder:
            po_file = Path(folder) / "nl.po"
            po_file.write_text(
                'msgid ""\nmsgstr ""\n"Language: nl\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                '#, fuzzy\nmsgid "Draft"\nmsgstr "Concept"\n\n'
                'msgid "Two "\n"lines"\nmsgstr "Twee "\n"regels \\"quoted\\""\n\n'
                'msgctxt "month"\nmsgid "May"\nmsgstr "mei"\n\nmsgid "May"\nmsgstr "mag"\n\n'
                'msgid "%d box"\nmsgid_plural "%d boxes"\nmsgstr[0] "%d box"\nmsgstr[1] "%d boxen"\n',
                encoding="utf-8",
            )
            translations = i18n.Translations()
            translations.catalogs = {"nl": {"demo": i18n.load_catalog(po_file)}}
        self.assertEqual(translations.translate("Draft", "nl"), "Draft", "a fuzzy entry is not used")
        self.assertEqual(translations.translate("Two lines", "nl_NL"), 'Twee regels "quoted"')
        self.assertEqual(translations.translate("May", "nl", context="month"), "mei")
        self.assertEqual(translations.translate("May", "nl"), "mag")
        self.assertEqual(translations.translate_plural("%d box", "%d boxes", 3, "nl") % 3, "3 boxen")
        self.assertEqual(translations.translate_plural("%d box", "%d boxes", 1, "nl") % 1, "1 box")

    def test_underscore_uses_the_environments_language(self):
        box = self.env["demo.box"].create({"name": "B", "identifier": "nl-1"})
        with self.assertRaisesRegex(UserError, "^Het adres a b bevat een spatie$"):
            box.with_context(lang="nl_NL").write({"ip": "a b"})
        with self.assertRaisesRegex(UserError, "^The address a b contains a space$"):
            box.write({"ip": "a b"})
        self.assertEqual(self.env(context={"lang": "nl"}).translate("Boxes"), "Boxen")
        self.assertEqual(self.env(context={"lang": "de_DE"}).translate("Boxes"), "Boxes")
        self.assertEqual(i18n._("Boxes"), "Boxes", "no environment, no request: the source text")

    def test_a_lazy_text_is_translated_in_the_language_of_the_method_that_reads_it(self):
        boxes = i18n._lt("Boxes")
        dutch_env = self.env(context={"lang": "nl_NL"})

        class Reader:
            env = dutch_env

            def read(self):
                return str(boxes)

        self.assertEqual(Reader().read(), "Boxen")
        self.assertEqual(str(boxes), "Boxes", "read here: this test's environment, in English")
        self.assertEqual(repr(boxes), "_lt('Boxes')")

    def test_browser_language_matching(self):
        translations = self.registry.translations
        self.assertEqual(translations.best_match([("fr-FR", 1), ("nl-BE", 0.8)]), "nl_BE")
        self.assertEqual(translations.best_match([("en-GB", 1), ("nl", 0.8)]), "en_US")
        self.assertEqual(translations.best_match([]), "en_US")

    def test_field_strings_and_selection_labels(self):
        dutch = self.env["demo.box"].with_context(lang="nl_NL")
        described = dutch.fields_get(["end_date", "state"])
        self.assertEqual(described["end_date"]["string"], "Geldig tot")
        self.assertIn(["paired", "Gekoppeld"], described["state"]["selection"])


class TestErrorStatus(DemoCase):
    def test_what_the_client_sees_for_each_failure(self):
        import psycopg2

        from odoo_host.exceptions import AccessDenied, AccessError, MissingError, ValidationError
        from odoo_host.http import error_status

        cases = [
            (AccessDenied(), (401, "Access Denied")), (AccessError("no"), (403, "no")),
            (MissingError("gone"), (404, "gone")), (ValidationError("bad"), (400, "bad")),
            (psycopg2.OperationalError("server closed the connection"),
             (503, "The database is unavailable: try again in a moment.")),
        ]
        for exc, expected in cases:
            with self.subTest(exc=exc):
                self.assertEqual(error_status(exc), expected)
        with self.assertLogs("odoo_host.http", "ERROR"):
            self.assertEqual(error_status(KeyError("secret detail")),
                             (500, "Internal server error: the server log has the details."))


class TestViewModifiers(DemoCase):
    def test_expressions_and_domains(self):
        box = self.env["demo.box"].create({"name": "B", "identifier": "mod-1", "state": "paired"})
        cases = {
            "state == 'paired'": True, "state != 'paired'": False, "not version": True, "version": False,
            "state in ('draft', 'paired') and not note": True, "state == 'draft' or name == 'B'": True,
            "owner_id": False, "[('state', '=', 'paired')]": True, "[('state', '=', 'draft')]": False,
            "1": True, "0": False, "True": True,
        }
        for expression, expected in cases.items():
            with self.subTest(expression=expression):
                self.assertEqual(bool(views.evaluate(box, expression)), expected)
        for unsafe in ("__import__('os').system('true')", "box.unlink()", "name.upper()"):
            with self.subTest(unsafe=unsafe), self.assertRaisesRegex(UserError, "Unsupported view"):
                views.evaluate(box, unsafe)

    def test_search_domain_from_the_search_view(self):
        arch = etree.fromstring('<search><field name="name"/><field name="identifier"/>'
                                '<filter name="a" domain="[(\'state\', \'=\', \'paired\')]"/>'
                                '<filter name="b" '
                                'domain="[(\'ip\', \'!=\', False), (\'note\', \'=\', False)]"/>'
                                '</search>')
        domain = views.search_domain(arch, "x", ["a", "b"])
        expected = ["|", ("name", "ilike", "x"), ("identifier", "ilike", "x"),
                    "|", ("state", "=", "paired"), "&", ("ip", "!=", False), ("note", "=", False)]
        self.assertEqual(domain, expected)
        self.env["demo.box"].search(domain)  # a valid domain


class TestBaseCatalogue(unittest.TestCase):
    def test_the_base_pot_file_is_exported_from_the_current_sources(self):
        written = (Path(i18n_export.HOST) / "addons" / "base" / "i18n" / "base.pot").read_text(encoding="utf-8")
        self.assertEqual(written, i18n_export.render(i18n_export.export("base")),
                         "stale base.pot: run python -m odoo_host.i18n_export base")
