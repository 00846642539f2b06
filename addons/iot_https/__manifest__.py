{
    "name": "IoT HTTPS certificates",
    "summary": "IoT boxes, their HTTPS certificates, the IoT subscription and the database's eligibility",
    "version": "17.0.1.0.0",
    "category": "Internet of Things (IoT)",
    "license": "LGPL-3",
    "author": "iot_https",
    "depends": ["base"],
    # The secret-hash helper this project shares between its parts (installed by this project's package).
    "external_dependencies": {"python": ["iot_common"]},
    "data": [
        "security/iot_https_groups.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "data/iot_subscription_data.xml",
        "data/ir_cron_data.xml",
        "views/iot_box_views.xml",
        "views/iot_subscription_views.xml",
        "views/iot_menus.xml",
    ],
    "demo": [
        "demo/iot_https_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": True,
}
