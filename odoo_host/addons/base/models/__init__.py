# ruff: noqa: F401 (importing the modules declares their models)
from . import (
    ir_actions,
    ir_config_parameter,
    ir_cron,
    ir_http,
    ir_model,
    ir_module,
    ir_session,
    ir_ui_menu,
    ir_ui_view,
    res_groups,
    res_users,
    res_users_apikeys,
)
