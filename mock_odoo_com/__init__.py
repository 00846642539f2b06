"""A mock of odoo.com for tests: issues real X.509 certificates for IoT boxes (or refuses, as odoo.com does).

Modules, one role each: ``ca`` (the mock CA), ``store`` (state in SQLite), ``requestlog`` (the log of
requests, a file per worker), ``settings`` (the issuing knobs), ``policy`` (who is eligible), ``faults``
(injected failures), ``public`` (the endpoints a box and a database server call), ``admin`` (the ``/mock/``
API for tests, on a port of its own), ``wsgi`` (routing and errors), ``server`` (gunicorn, a listening socket
per worker), ``dns`` (the ``*.odoo-iot.com`` resolver), ``cli``, and ``testing`` / ``pytest_plugin`` for other
projects' tests."""
