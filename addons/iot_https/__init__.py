from . import cli, controllers, models


def post_init_hook(env):
    """Synchronise the subscription with odoo.com once the addon (and its demo data) is first installed."""
    env["iot.subscription"]._synchronise_or_log("at installation")
