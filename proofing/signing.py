"""Signed records: the council's Ed25519 key signs each record, so a forged or altered one is found out.

A record's sha256 shows it was not changed by accident, but anyone with the tool can recompute it. A
signature can only be made with the council's private key, which never leaves the machine that signs (its
path comes from configuration, outside the repository), and anyone can check it with the public key.

What is signed is the record's canonical JSON, which holds the signer's identity (from sign-in), the public
key's fingerprint and a digest of each section of the document's visible text, so that an edit to what a
reader sees ("Red" changed to "Green") is found too, and named by its section.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from proofing.errors import ProofingError

PRIVATE_KEY_ENV = "PROOFING_SIGNING_KEY"
PUBLIC_KEY_ENV = "PROOFING_VERIFY_KEY"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SigningError(ProofingError):
    """A key that cannot be made, read or used, in words."""


@dataclass(frozen=True)
class Signer:
    """Who signs a record (their identity from sign-in) and the council's key they sign it with."""

    identity: str
    key: Ed25519PrivateKey

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the public half of the signing key."""
        return fingerprint(self.key.public_key())

    def sign(self, data: bytes) -> str:
        """The signature of `data`, base64."""
        return sign(self.key, data)


def generate_keys(private_path: Path, public_path: Path) -> str:
    """Make the council's key pair: the private key (readable by its owner only) and the public key, as PEM.

    Refuses to put the private key inside the project's folder (where it could be committed), or to overwrite
    an existing key. Returns the public key's fingerprint.
    """
    private_path, public_path = Path(private_path), Path(public_path)
    if _inside(private_path, PROJECT_ROOT):
        raise SigningError(
            f"{private_path} is inside the project folder; keep the private key outside it, where it cannot be "
            "committed, and name its path in PROOFING_SIGNING_KEY"
        )
    for path in (private_path, public_path):
        if path.exists():
            raise SigningError(f"{path} already exists; a key is never overwritten (move it away first)")
        if not path.parent.is_dir():
            raise SigningError(f"{path.parent} is not a folder; make it first")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(private_pem)
    public_path.write_bytes(public_pem(key.public_key()))
    return fingerprint(key.public_key())


def public_pem(key: Ed25519PublicKey) -> bytes:
    """The public key as PEM, to publish or hand to an auditor."""
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The council's private key from a PEM file; SigningError in words when it is missing or not a key."""
    try:
        key = serialization.load_pem_private_key(_read_key(Path(path), "private"), password=None)
    except (ValueError, TypeError):  # a public key, an encrypted key, or not a key at all
        raise SigningError(f"{path} is not a private key without a passphrase (PEM)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A public key from a PEM file; SigningError in words when it is missing or not a key."""
    try:
        key = serialization.load_pem_public_key(_read_key(Path(path), "public"))
    except ValueError:
        raise SigningError(f"{path} is not a public key (PEM)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(f"{path} is not an Ed25519 public key")
    return key


def configured_private_key() -> Ed25519PrivateKey | None:
    """The signing key PROOFING_SIGNING_KEY names, or None when records are not to be signed."""
    path = os.environ.get(PRIVATE_KEY_ENV, "").strip()
    return load_private_key(Path(path)) if path else None


def configured_signer(identity: str) -> Signer | None:
    """Who signs a record written now, and with what: the key PROOFING_SIGNING_KEY names, as `identity` (the person
    signed in to the app, or the command line's --signer); None when no key is configured (records unsigned).

    The app and the command line both sign through this, so a key configured for one signs the other's records
    too. SigningError in words when the key is named but cannot be read: a record is then not written unsigned by
    accident.
    """
    key = configured_private_key()
    return Signer(identity=identity.strip() or "unknown", key=key) if key is not None else None


def configured_public_key() -> Ed25519PublicKey | None:
    """The key PROOFING_VERIFY_KEY names, for `proofing verify` without --key, or None."""
    path = os.environ.get(PUBLIC_KEY_ENV, "").strip()
    return load_public_key(Path(path)) if path else None


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short, readable name for a public key: the first 16 bytes of the sha256 of its raw bytes, in hex pairs.

    Examples:
        >>> len(fingerprint(Ed25519PrivateKey.generate().public_key()))
        47
    """
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return ":".join(digest[index : index + 2] for index in range(0, 32, 2))


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    """The signature of `data`, base64."""
    return base64.b64encode(key.sign(data)).decode("ascii")


def signature_holds(key: Ed25519PublicKey, data: bytes, signature: str) -> bool:
    """Whether `signature` (base64) is this key's signature of `data`."""
    try:
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def _read_key(path: Path, kind: str) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"the {kind} key {path} does not exist") from None
    except OSError as error:
        raise SigningError(f"the {kind} key {path} cannot be read ({error.strerror or error})") from None
    if len(data) > 10_000 or b"-----BEGIN" not in data:
        raise SigningError(f"{path} is not a {kind} key (PEM)")
    return data


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
