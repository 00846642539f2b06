# ruff: noqa: B018 (a manifest is one dict literal, read with ast.literal_eval)
{
    "name": "Base",
    "version": "17.0.1.0.0",
    "summary": "The host's core: users, groups, access rights, parameters, views, menus, cron, web client",
    "license": "LGPL-3",
    "depends": [],
    "data": [
        "data/base_groups.xml",
        "security/ir.model.access.csv",
        "data/base_data.xml",
    ],
    "demo": [],
}
