"""``make bench``: the figures and bars of docs/benchmark.md, each beside a peer measured in the same run.

``python -m bench`` starts the whole system on free ports in a temporary folder (PostgreSQL, the mock odoo.com,
the database server, real box processes), measures every figure, prints one table and ends with
``N of M bars hold``. HTTP load comes from ``wrk``; everything stays on the loopback address and every run is
bounded in time.
"""
