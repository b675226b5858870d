"""Verifiable credentials signed with Ed25519, as W3C Data Integrity proofs with the cryptosuite
`eddsa-jcs-2022` (JSON Canonicalization Scheme, RFC 8785): what an Open Badges 3.0 verifier
checks. No Django here: `balise credential verify FILE` runs on a machine with no server.

The proof's value is the Ed25519 signature of SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document
without its proof)); the public key is a Multikey (multibase base58btc of 0xed01 ‖ the 32 bytes).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"
CRYPTOSUITE = "eddsa-jcs-2022"


def base58_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = BASE58[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def base58_decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in BASE58:
            raise ValueError(f"not base58: {char!r}")
        number = number * 58 + BASE58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def canonical(value: Any) -> bytes:
    """RFC 8785 for the JSON credentials hold (strings, integers, booleans, null, arrays, objects
    with ASCII keys): sorted keys, no spaces, UTF-8. A float is refused: its JCS form needs the
    ECMAScript number serialisation, and a credential has no reason to carry one."""
    def check(item):
        if isinstance(item, float):
            raise ValueError("a credential carries no floating-point number")
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str) or not key.isascii():
                    raise ValueError(f"key {key!r}: only ASCII keys")
                check(inner)
        elif isinstance(item, list):
            for inner in item:
                check(inner)
    check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def public_key_multibase(key: Ed25519PublicKey) -> str:
    return "z" + base58_encode(ED25519_MULTICODEC + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("a Multikey is multibase base58btc: it starts with z")
    raw = base58_decode(value[1:])
    if not raw.startswith(ED25519_MULTICODEC) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _hash_data(document: dict, proof_options: dict) -> bytes:
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    return hashlib.sha256(canonical(proof_options)).digest() + hashlib.sha256(canonical(unsecured)).digest()


def sign(document: dict, key: Ed25519PrivateKey, *, verification_method: str, created: str) -> dict:
    """The document with its Data Integrity proof (eddsa-jcs-2022, assertion)."""
    options = {
        "type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": created,
        "verificationMethod": verification_method, "proofPurpose": "assertionMethod",
    }
    if "@context" in document:
        options["@context"] = document["@context"]
    signature = key.sign(_hash_data(document, options))
    return {**{k: v for k, v in document.items() if k != "proof"}, "proof": {**options, "proofValue": "z" + base58_encode(signature)}}


def verify(document: Any, key: Ed25519PublicKey) -> tuple[bool, str]:
    """(True, "") when the proof holds for this key; else (False, the reason)."""
    if not isinstance(document, dict):
        return False, "the credential is not a JSON object"
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return False, "the credential has no proof"
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return False, f"unsupported proof: {proof.get('type')} / {proof.get('cryptosuite')}"
    if "@context" in proof and proof["@context"] != document.get("@context"):
        return False, "the proof's @context differs from the credential's"
    value = proof.get("proofValue", "")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    try:
        signature = base58_decode(value[1:]) if isinstance(value, str) and value.startswith("z") else b""
        data = _hash_data(document, options)
    except ValueError as error:
        return False, f"the credential cannot be canonicalised: {error}"
    if len(signature) != 64:
        return False, "the proof value is not an Ed25519 signature"
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False, "the signature does not match: the credential was changed, or another key signed it"
    return True, ""
