"""Secrets the application must read back (an organization's OIDC client secret), sealed at rest
with AES-256-GCM under the data key: a database dump or a read of the table shows no secret.

The data key comes from `MUTUAL_DATA_KEY` when set, else from `MUTUAL_SECRET_KEY`, through
HKDF-SHA256, so the two never serve as the same key. The format, version 1, is what migration
0005 writes for the rows it encrypts: "v1.", the key's id, ".", then base64url (unpadded) of a
12-byte nonce and the ciphertext. The associated data names what the value is and whose (a
purpose such as "oidc_provider.client_secret/<organization id>"), so a sealed value copied to
another row or column no longer opens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from mutual.config import Settings

VERSION = "v1"
NONCE_BYTES = 12
KEY_INFO = b"mutual/data-key/v1"
KEY_ID_LABEL = b"mutual/key-id"


class SealError(Exception):
    """A sealed value that cannot be opened: another key, another row, or tampered with."""


@lru_cache(maxsize=8)
def _derive(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(
        secret.encode()
    )


def data_key(settings: Settings) -> bytes:
    """The 32-byte AES key of this deployment."""
    return _derive(settings.data_key or settings.secret_key)


def key_id(key: bytes) -> str:
    """A short public name of a key, stored with each value: a changed key is reported as such."""
    return hashlib.sha256(KEY_ID_LABEL + key).hexdigest()[:8]


def _associated_data(purpose: str) -> bytes:
    return f"mutual/{purpose}".encode()


def seal(key: bytes, plaintext: str, *, purpose: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), _associated_data(purpose))
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{VERSION}.{key_id(key)}.{body}"


def unseal(key: bytes, token: str, *, purpose: str) -> str:
    version, _, rest = token.partition(".")
    stored_key_id, _, body = rest.partition(".")
    if version != VERSION or not body:
        raise SealError("not a sealed value")
    if stored_key_id != key_id(key):
        raise SealError(
            f"sealed with another data key ({stored_key_id}, this one is {key_id(key)}): "
            "MUTUAL_DATA_KEY or MUTUAL_SECRET_KEY changed"
        )
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        opened = AESGCM(key).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated_data(purpose)
        )
    except (InvalidTag, ValueError, binascii.Error) as error:
        raise SealError("the sealed value does not open with this key and purpose") from error
    return opened.decode()
