"""The IoT box client: checks, obtains, verifies, installs and serves its HTTPS certificate
(SPEC 3.3, 3.5, 4.2)."""

__version__ = "0.1.0"
