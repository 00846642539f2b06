# ruff: noqa: F401
from . import demo_box, demo_box_extension, demo_owner, ir_config_parameter, ir_http
