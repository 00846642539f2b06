# ruff: noqa: F401 (importing the modules declares models, controllers and commands)
from . import cli, controllers, models


def post_init_hook(env):
    """Notes the first installation (and how many demo boxes it saw: the hook runs after the demo data)."""
    boxes = env["demo.box"].search_count([])
    env["ir.config_parameter"].set_param("host_demo.installed_with_boxes", str(boxes))
