"""The packages of the wheel. The addons of addons/ are installed inside the host's addons folder
(``odoo_host/addons/<addon>``), which the host's ``odoo`` alias serves as ``odoo.addons``: an installed copy imports
them as ``odoo.addons.<addon>``, as a checkout does, and the wheel holds no generic top-level ``addons`` package."""

from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).resolve().parent
ADDONS = [p.parent.name for p in sorted((ROOT / "addons").glob("*/__manifest__.py"))]

# bench/ (make bench) runs from the checkout and stays out of the wheel: no generic top-level name is installed.
packages = find_packages(include=["iot_common*", "odoo_host*", "mock_odoo_com*", "iot_box*", "iot_stack*"])
package_dir = {}
for addon in ADDONS:
    root = f"odoo_host.addons.{addon}"
    packages += [root, *(f"{root}.{sub}" for sub in find_packages(str(ROOT / "addons" / addon)))]
    package_dir[root] = f"addons/{addon}"  # its sub-packages are found under it, as setuptools maps prefixes

setup(packages=packages, package_dir=package_dir)
