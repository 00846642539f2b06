# ruff: noqa: F401 (importing the modules declares their models)
from . import controllers, models
