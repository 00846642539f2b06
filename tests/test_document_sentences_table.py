"""docs/document-sentences.md: every sentence of the documentation, S1 to the last, names at least one test, and
every test it names exists (a function, or a method of a test class, in the named file)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "document-sentences.md"
ROW = re.compile(r"^\| (S\d+) +\|[^|]+\|(.+)\|$")
REFERENCE = re.compile(r"`([\w/]+\.py)::([\w:]+)(?:\[[^\]]*\])?`")


def rows() -> dict[str, list[tuple[str, str]]]:
    found = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            found[match.group(1)] = REFERENCE.findall(match.group(2))
    return found


def defined_tests(path: Path) -> set[str]:
    """``name`` for each test function and ``Class::name`` for each test method of the file."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)}
    return names


def test_every_sentence_in_order_names_a_test():
    numbers = list(rows())
    assert numbers == [f"S{n}" for n in range(1, len(numbers) + 1)]
    assert len(numbers) >= 39
    assert not [number for number, references in rows().items() if not references]


def test_every_named_test_exists():
    missing = []
    for number, references in rows().items():
        for file, name in references:
            path = ROOT / file
            if not path.exists() or name not in defined_tests(path):
                missing.append(f"{number}: {file}::{name}")
    assert not missing
