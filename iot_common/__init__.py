"""Small helpers every part of the project may use: free ports, child processes, secret hashes, atomic writes.

This package is a leaf: it imports none of the parts (``odoo_host``, ``mock_odoo_com``, ``iot_box``, the addon)
nor the ``iot_stack`` glue, so that each part can depend on it without depending on another part.
"""
