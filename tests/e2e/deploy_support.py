"""The shipped deployment, run from a temporary folder: deploy/nginx/facilitation.conf in Debian's
nginx (its own prefix, pid and logs, free ports, a self-signed certificate) and the settings of
deploy/facilitation.env, with only the site-specific values replaced."""
from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable

import pytest

from ..support import free_port

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SITE = DEPLOY / "nginx" / "facilitation.conf"
ENV_FILE = DEPLOY / "facilitation.env"
SYSTEMD = DEPLOY / "systemd"
STICKY = "facilitation_node"  # the nginx site's cookie


def nginx_binary() -> str:
    """Debian's nginx (`make test` installs it); skipped where it is missing."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if found is None:
        pytest.skip("nginx is not installed (make test installs Debian's nginx)")
    return found


def env_file_settings() -> dict[str, str]:
    """The settings deploy/facilitation.env sets (its commented lines are examples, not settings)."""
    settings = {}
    for line in ENV_FILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split("=", 1)
            settings[name] = value
    return settings


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that is its own authority (clients verify against it), and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def substitute(text: str, old: str, new: str) -> str:
    """`text` with every `old` replaced; fails when the shipped file no longer says `old` (the test would
    otherwise run something else than what is shipped)."""
    assert old in text, f"deploy/nginx/facilitation.conf no longer holds {old!r}"
    return text.replace(old, new)


def render_site(folder: Path, https_port: int, http_port: int, upstreams: list[int], cert: Path, key: Path) -> str:
    """The shipped site with this test's ports, certificate and folders, and nothing else changed."""
    site = SITE.read_text()
    site = substitute(site, "    listen [::]:80;\n", "")
    site = substitute(site, "    listen [::]:443 ssl http2;\n", "")
    site = substitute(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = substitute(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = substitute(site, "/etc/letsencrypt/live/workshop.example.se/fullchain.pem", str(cert))
    site = substitute(site, "/etc/letsencrypt/live/workshop.example.se/privkey.pem", str(key))
    site = substitute(site, "/var/log/nginx/", f"{folder}/")
    site = substitute(site, "root /var/www/html;", f"root {folder / 'acme'};")
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=0;\n" for port in upstreams)
    return re.sub(r"(    server 127\.0\.0\.1:500\d max_fails=0;\n)+", servers, site, count=1)


class Nginx:
    """nginx in the foreground with the rendered site, its files all in `folder`."""

    def __init__(self, folder: Path, upstreams: list[int]) -> None:
        self.folder = folder
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.cert, key = self_signed_certificate(folder)
        (folder / "acme").mkdir()
        (folder / "site.conf").write_text(render_site(folder, self.https_port, self.http_port, upstreams, self.cert, key))
        temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'main-error.log'} warn;\n"
            + "events { worker_connections 512; }\n"
            + f"http {{\n{temp}\n    include {folder / 'site.conf'};\n}}\n")
        self.process: subprocess.Popen | None = None

    @property
    def access_log(self) -> Path:
        return self.folder / "facilitation.access.log"

    def access_lines(self) -> list[str]:
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []

    def logged(self, enough: Callable[[list[str]], bool], timeout: float = 10) -> list[str]:
        """The access log's lines once `enough` of them are there (nginx writes a line only after
        the answer has gone, and a WebSocket's when it closes)."""
        deadline = time.monotonic() + timeout
        while not enough(lines := self.access_lines()):
            if time.monotonic() > deadline:
                raise AssertionError(f"the access log did not get the lines expected: {lines[-5:]}")
            time.sleep(0.02)
        return lines

    def start(self, timeout: float = 15) -> None:
        binary = nginx_binary()
        command = [binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), "-e", str(self.folder / "main-error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # fast: open WebSockets would hold up a graceful stop
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()
        self.process = None
