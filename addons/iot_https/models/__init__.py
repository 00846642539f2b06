from . import (
    iot_box,
    iot_connect_token,
    iot_eligibility,
    iot_subscription,
    iot_subscription_line,
    ir_config_parameter,
    ir_http,
)
