# ruff: noqa: F401 (importing the modules declares their routes)
from . import rpc, web
