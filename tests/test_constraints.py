"""requirements/constraints.txt pins every dependency pyproject.toml names, within its bounds."""
from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pins() -> dict[str, str]:
    lines = (ROOT / "requirements" / "constraints.txt").read_text().splitlines()
    pairs = (line.split("==") for line in lines if line and not line.startswith((" ", "#")))
    return {canonicalize_name(name): version.strip() for name, version in pairs}


def test_every_dependency_and_extra_is_pinned_within_its_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    pinned = pins()
    for requirement in map(Requirement, wanted):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in requirements/constraints.txt: run `make lock`"
        assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]} is outside {requirement}: run `make lock`"


def test_the_pins_are_above_the_known_advisories():
    pinned = pins()
    floors = {"python-socketio": "5.14", "python-engineio": "4.12", "werkzeug": "3.0.6", "requests": "2.32.4",
              "jinja2": "3.1.6", "flask": "3.1.1"}
    for name, floor in floors.items():
        assert Requirement(f"{name}>={floor}").specifier.contains(pinned[name]), name
