"""The PDF signing key and certificate: from files or PEM in the environment, never made up.

Production sets SIGNING_KEY_PATH and SIGNING_CERT_PATH (or SIGNING_KEY_PEM and
SIGNING_CERT_PEM); the certificate file may carry the issuing chain after the signer's
certificate. SIGNING_PREVIOUS_CERTS_PATH lists certificates used before a rotation, so PDFs
signed with them are still recognised as ours. Only the demo creates a self-signed pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from flask import current_app
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data


class SigningNotConfiguredError(RuntimeError):
    """No signing key is configured: the service refuses to issue unsigned PDFs."""


@dataclass(frozen=True)
class SigningKey:
    key: asn1_keys.PrivateKeyInfo
    cert: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]
    loaded: PrivateKeyTypes  # parsed once: parsing an RSA key checks it, which takes ~0.2 s


def _pem(config: Mapping[str, Any], name: str) -> bytes | None:
    """PEM text from SIGNING_<name>_PEM, else the file at SIGNING_<name>_PATH."""
    text = config.get(f"SIGNING_{name}_PEM")
    if text:
        return text.encode() if isinstance(text, str) else text
    path = config.get(f"SIGNING_{name}_PATH")
    return Path(path).read_bytes() if path else None


def load_signing_key(config: Mapping[str, Any]) -> SigningKey:
    """Parse the configured key and certificate; refuse when either is missing."""
    key_pem, cert_pem = _pem(config, "KEY"), _pem(config, "CERT")
    if not key_pem or not cert_pem:
        raise SigningNotConfiguredError(
            "No PDF signing key: set SIGNING_KEY_PATH and SIGNING_CERT_PATH (or SIGNING_KEY_PEM "
            "and SIGNING_CERT_PEM). Certificates are not issued unsigned.")
    password = config.get("SIGNING_KEY_PASSWORD")
    key = load_private_key_from_pemder_data(key_pem, password.encode() if password else None)
    cert, *chain = list(load_certs_from_pemder_data(cert_pem))
    loaded = serialization.load_der_private_key(key.dump(), password=None)
    return SigningKey(key=key, cert=cert, chain=tuple(chain), loaded=loaded)


def init_app(app) -> None:
    """Refuse to start without a usable signing key, like a missing SECRET_KEY.

    Otherwise the first quiz pass would fail (and roll back) instead of the deployment.
    Tests and the embedded demo configure keys explicitly; tests may also leave them out.
    """
    if not app.config.get("TESTING"):
        app.extensions["signing_key"] = load_signing_key(app.config)


def current_signing_key() -> SigningKey:
    """The application's signing key, parsed once per process."""
    if "signing_key" not in current_app.extensions:
        current_app.extensions["signing_key"] = load_signing_key(current_app.config)
    return current_app.extensions["signing_key"]


def service_certificates(config: Mapping[str, Any]) -> list[asn1_x509.Certificate]:
    """Certificates whose signatures count as this service's: the current one and retired ones."""
    certs = [load_signing_key(config).cert]
    previous = config.get("SIGNING_PREVIOUS_CERTS_PATH")
    if previous:
        certs.extend(load_certs_from_pemder_data(Path(previous).read_bytes()))
    return certs


def create_self_signed(folder: Path, common_name: str, *, years: int = 5) -> tuple[Path, Path]:
    """A self-signed RSA key and certificate in `folder` (demo only), kept if already there."""
    key_path, cert_path = folder / "signing-key.pem", folder / "signing-cert.pem"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path
