"""The API task's TLS certificate, generated at start: the ALB's HTTPS target is the task.

``python -m pcs.tls DIR`` writes ``DIR/key.pem`` (P-256, readable by this user only) and
``DIR/cert.pem`` (self-signed, SHA-256) for gunicorn. The load balancer encrypts to the target
but does not validate its certificate, so a CA-issued one would add a secret to distribute and
rotate and nothing the ALB checks (docs/decisions/service-tls-to-tasks.md). The key never leaves
the task's memory-backed or task-storage volume and dies with the task.
"""

from __future__ import annotations

import datetime
import os
import socket
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# Longer than any task lives (every release replaces them); the ALB does not check it anyway.
VALIDITY = datetime.timedelta(days=365)


def write_certificate(directory: Path, common_name: str) -> tuple[Path, Path]:
    """A new P-256 key and a self-signed certificate for ``common_name`` in ``directory``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m pcs.tls DIRECTORY")
    write_certificate(Path(sys.argv[1]), socket.gethostname())
