"""Users: login, password (stored as a scrypt hash, never read back), groups, language."""

from __future__ import annotations

from typing import Any

from odoo_host import api, fields, models
from odoo_host.exceptions import AccessDenied, MissingError
from odoo_host.security import hash_secret, verify_secret


class ResUsers(models.Model):
    _name = "res.users"
    _description = "User"
    _order = "login"

    name = fields.Char(required=True)
    login = fields.Char(required=True, index=True)
    password = fields.Char(copy=False, groups=fields.NO_ACCESS)  # the hash; readable by nobody but sudo
    active = fields.Boolean(default=True)
    # Empty: the browser's language (Accept-Language) is used; set, it wins on every page.
    lang = fields.Selection("_lang_selection", string="Language")
    groups_id = fields.Many2many("res.groups", "res_groups_users_rel", "uid", "gid", string="Groups")

    _sql_constraints = [("login_key", "unique (login)", "You can not have two users with the same login!")]

    def _lang_selection(self) -> list[tuple[str, str]]:
        names = {"nl": ("nl_NL", "Dutch / Nederlands")}
        languages = [("en_US", "English (US)")]
        for lang in self.env.registry.translations.languages():
            languages.append(names.get(lang, (lang, lang)))
        return languages

    # -- passwords -------------------------------------------------------------------------------------------
    def create(self, vals_list: Any) -> Any:
        vals_list = [vals_list] if isinstance(vals_list, dict) else list(vals_list)
        return super().create([self._hash_password(vals) for vals in vals_list])

    def write(self, vals: dict) -> bool:
        return super().write(self._hash_password(vals))

    @staticmethod
    def _hash_password(vals: dict) -> dict:
        if vals.get("password"):
            return {**vals, "password": hash_secret(vals["password"])}
        return vals

    def _check_password(self, password: str) -> bool:
        """Whether this user exists, is active and has this password (their row is read once per
        transaction, with the columns the caller goes on to use)."""
        user = self.sudo()
        try:
            active, stored = user.active, user.password
        except MissingError:
            return False
        return active and verify_secret(password, stored)

    @api.model
    def _login(self, login: str, password: str, api_key_scope: str | None = None) -> int:
        """The id of the active user ``login`` if ``password`` is theirs (or one of their API keys for
        ``api_key_scope``); AccessDenied otherwise, with the same message whatever was wrong."""
        if not isinstance(login, str) or not isinstance(password, str) or not login or not password:
            raise AccessDenied()
        user = self.sudo().search_fetch([("login", "=", login)], ["active", "password"], limit=1)
        if user and user._check_password(password):
            return user.id
        if user and api_key_scope:
            key_uid = self.env["res.users.apikeys"].sudo()._check_credentials(api_key_scope, password)
            if key_uid == user.id:
                return user.id
        raise AccessDenied()

    @api.model
    def context_get(self) -> dict:
        """The user's context, which client libraries (OdooRPC, odooly) read right after logging in and send
        back with every call; the host keeps no time zone, so ``tz`` is False as for a user without one."""
        return {"lang": self.env.user.lang or "en_US", "tz": False, "uid": self.env.uid}

    # -- groups ----------------------------------------------------------------------------------------------
    def _effective_group_ids(self) -> frozenset[int]:
        """The user's groups with the groups they imply (cached for the transaction)."""
        if not self._ids:
            return frozenset()
        key = ("groups", self.id)
        cached = self.env.transaction.access.get(key)
        if cached is None:
            self.env.cr.execute(
                "WITH RECURSIVE g(id) AS (SELECT gid FROM res_groups_users_rel WHERE uid = %s "
                "UNION SELECT r.hid FROM res_groups_implied_rel r JOIN g ON r.gid = g.id) SELECT id FROM g",
                (self.id,),
            )
            cached = frozenset(row[0] for row in self.env.cr.fetchall())
            self.env.transaction.access[key] = cached
        return cached

    def has_group(self, group_ext_id: str) -> bool:
        user = self or self.env.user
        group = self.env["ir.model.data"]._xmlid_to_res_id(group_ext_id, raise_if_not_found=False)
        return bool(group) and group in user._effective_group_ids()

    def _is_internal(self) -> bool:
        return self.has_group("base.group_user")

    @api.model
    def _bootstrap_root(self) -> None:
        """The superuser must exist (id 1) before any record is created: every row names its creator."""
        self.env.cr.execute(
            "INSERT INTO res_users (id, name, login, active, lang) VALUES (1, 'System', '__system__', false, "
            "'en_US') ON CONFLICT (id) DO NOTHING"
        )
        self.env.cr.execute("SELECT setval('res_users_id_seq', GREATEST((SELECT MAX(id) FROM res_users), 1))")
        if not self.env["ir.model.data"]._xmlid_lookup("base.user_root"):
            self.env.cr.execute(
                "INSERT INTO ir_model_data (module, name, model, res_id, noupdate) "
                "VALUES ('base', 'user_root', 'res.users', 1, true)"
            )
