# ruff: noqa: B018 (a manifest is one dict literal)
{
    "name": "Host demo",
    "version": "17.0.1.0.0",
    "summary": "A small addon that exercises every piece of the host in its tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/host_demo_groups.xml",
        "security/ir.model.access.csv",
        "views/demo_box_views.xml",
        "views/menus.xml",
        "data/cron.xml",
    ],
    "demo": ["demo/demo.xml"],
    "post_init_hook": "post_init_hook",
}
