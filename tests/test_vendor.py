"""The committed socket.io browser bundle is the one package-lock.json pins (`make vendor` refreshes it)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
PACKAGE = ROOT / "node_modules" / "socket.io-client"


def locked_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return lock["packages"]["node_modules/socket.io-client"]["version"]


def test_the_committed_bundle_is_the_version_package_lock_pins():
    recorded = json.loads((VENDOR / "versions.json").read_text())
    assert recorded == {"socket.io-client": locked_version()}, "run `make vendor` and commit static/vendor"
    header = (VENDOR / "socket.io.esm.min.js").read_text()[:200]
    assert re.search(r"Socket\.IO v(\S+)", header).group(1) == locked_version()
    assert "MIT License" in (VENDOR / "socket.io-client.LICENSE").read_text()


def test_the_committed_bundle_is_byte_for_byte_the_one_npm_installs():
    if not PACKAGE.exists():
        pytest.skip("node_modules is not installed (npm ci)")
    installed = json.loads((PACKAGE / "package.json").read_text())["version"]
    assert installed == locked_version(), "node_modules is older than package-lock.json: run npm ci"
    assert (VENDOR / "socket.io.esm.min.js").read_bytes() == (PACKAGE / "dist" / "socket.io.esm.min.js").read_bytes()
    assert (VENDOR / "socket.io-client.LICENSE").read_bytes() == (PACKAGE / "LICENSE").read_bytes()
