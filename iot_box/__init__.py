"""The IoT box client: checks, obtains, verifies, installs and serves its HTTPS certificate
(docs/protocols.md)."""

__version__ = "0.1.0"
