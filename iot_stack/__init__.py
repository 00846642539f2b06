"""Running the whole system on one machine: the embedded PostgreSQL, process start-up, and ``make run``."""
