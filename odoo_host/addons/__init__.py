"""The host's own addons (``base``), loaded like any other addon."""
