"""`balise credential verify FILE`: check a certificate's signed credential offline, with the
issuer's public key (its key document saved from /.well-known/balise-issuer.json, or a PEM key
file; by default this install's own key). Exit 0 when the proof holds, 1 with the reason."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

from balise import credentials

DEFAULT_KEY = Path("var") / "credential-issuer-ed25519.pem"


def _public_key(path: Path) -> Ed25519PublicKey:
    data = path.read_bytes()
    if data.lstrip().startswith(b"{"):
        document = json.loads(data)
        return credentials.public_key_from_multibase(document["verificationMethod"][0]["publicKeyMultibase"])
    key = load_pem_private_key(data, password=None) if b"PRIVATE KEY" in data else load_pem_public_key(data)
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key


def _verify(arguments) -> int:
    key_path = Path(arguments.key or os.environ.get("BALISE_CREDENTIAL_KEY_FILE") or DEFAULT_KEY)
    try:
        key = _public_key(key_path)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        print(f"{key_path}: cannot read the issuer's key: {error}", file=sys.stderr)
        return 1
    try:
        document = json.loads(Path(arguments.file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        print(f"{arguments.file}: cannot read the file: {error}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as error:
        print(f"{arguments.file}:{error.lineno}: not JSON: {error.msg}", file=sys.stderr)
        return 1
    valid, reason = credentials.verify(document, key)
    if not valid:
        print(f"{arguments.file}: not valid: {reason}", file=sys.stderr)
        return 1
    subject = document.get("credentialSubject", {})
    score = next((r.get("value") for r in subject.get("result", []) if r.get("resultDescription") == "#score"), "?")
    name = next((i.get("identityHash") for i in subject.get("identifier", [])), "?")
    print(f"{arguments.file}: valid — {name}, score {score}, issued {document.get('validFrom')} by "
          f"{document.get('issuer', {}).get('id')} (revocation is checked online: {document.get('credentialStatus', {}).get('id')})")
    return 0


def add_credential_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("credential", help="certificates' signed credentials (Open Badges 3.0)")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check a credential's signature offline")
    verify.add_argument("file", help="the credential (credential.json)")
    verify.add_argument("--key", help="the issuer's key document (.well-known/balise-issuer.json) or a PEM key file")
    verify.set_defaults(run=_verify)
