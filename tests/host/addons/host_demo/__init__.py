# ruff: noqa: F401 (importing the modules declares models, controllers and commands)
from . import cli, controllers, models
