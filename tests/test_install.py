"""Reproducible installs: `make install` installs the versions CI tested (constraints.txt)."""

from __future__ import annotations

import re
import tomllib

from .conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin (NAME==VERSION)"
            pins[_name(name)] = version
    return pins


def test_every_dependency_has_an_exact_pin():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        wanted += extra
    pins = _pins()
    missing = sorted({_name(r) for r in wanted} - set(pins))
    assert not missing, f"not in constraints.txt (run `make lock`): {missing}"
    assert "eventscope" not in pins
    # FastAPI is pinned only from below in pyproject.toml; the lock decides the version
    assert re.fullmatch(r"\d+\.\d+\.\d+", pins["fastapi"])


def test_make_install_uses_the_constraints():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"-c constraints\.txt -e '\.\[dev[],a-z]*'", makefile)
    assert re.search(r"^\$\(STAMP\):.*constraints\.txt", makefile, re.MULTILINE)
    assert re.search(r"^lock:", makefile, re.MULTILINE)
