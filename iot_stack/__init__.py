"""The glue on top: starts the parts (the database server with its PostgreSQL, the mock odoo.com, boxes) as
processes for ``make run``, the end-to-end tests and the benchmarks. It imports the parts; no part imports it."""
