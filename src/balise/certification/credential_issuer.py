"""Balise as the issuer of Open Badges 3.0 credentials: its Ed25519 key, its public key document,
each published certificate as a signed AchievementCredential, and the list of revoked ones."""

import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, load_pem_private_key
from django.conf import settings

from balise import credentials
from balise.certification.certificates import Certificate
from balise.certification.models import Candidate, Session

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ISSUER_DOCUMENT = "/.well-known/balise-issuer.json"


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The issuer's key; created (readable by its owner only) the first time it is needed."""
    if path.exists():
        return load_pem_private_key(path.read_bytes(), password=None)
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return key


@lru_cache(maxsize=4)
def _key(path: str) -> Ed25519PrivateKey:
    return load_or_create_key(Path(path))


def issuer_key() -> Ed25519PrivateKey:
    return _key(str(settings.BALISE_CREDENTIAL_KEY_FILE))


def issuer_document(base_url: str) -> dict:
    """The controller document a verifier fetches to get the key (`verificationMethod`)."""
    controller = base_url + ISSUER_DOCUMENT
    method = {"id": controller + "#key-1", "type": "Multikey", "controller": controller,
              "publicKeyMultibase": credentials.public_key_multibase(issuer_key().public_key())}
    return {"@context": ["https://www.w3.org/ns/cid/v1"], "id": controller, "verificationMethod": [method],
            "assertionMethod": [method["id"]]}


def _timestamp(moment) -> str:
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_document(certificate: Certificate, base_url: str) -> dict:
    url = f"{base_url}/verify/{certificate.code}"
    return {
        "@context": CONTEXTS,
        "id": url + "/credential.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": base_url + ISSUER_DOCUMENT, "type": ["Profile"], "name": "Balise", "url": base_url + "/"},
        "validFrom": _timestamp(certificate.published_at),
        "name": "Certification of digital skills",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": certificate.full_name}],
            "achievement": {
                "id": base_url + "/certification/achievement",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": "Certification of digital skills",
                "description": "An invigilated adaptive test of 32 questions over the digital competence framework, "
                               "scored out of 1,024.",
                "criteria": {"narrative": "Sat in a certification centre under invigilation; reviewed by the jury."},
                "resultDescription": [{"id": "#score", "type": ["ResultDescription"], "name": "Score out of 1,024",
                                       "resultType": "ext:Score"}],
            },
            "result": [
                {"type": ["Result"], "resultDescription": "#score", "value": str(certificate.score)},
                *({"type": ["Result"], "achievedLevel": f"{level.code}:{level.level}", "value": str(level.level)}
                  for level in certificate.levels),
            ],
            "activityEndDate": f"{certificate.date.isoformat()}T00:00:00Z",
        },
        "evidence": [{"type": ["Evidence"], "id": url, "name": "Verification page"}],
        "credentialStatus": {"id": f"{base_url}/verify/revocations#{certificate.code}", "type": "1EdTechRevocationList"},
    }


def signed_credential(certificate: Certificate, base_url: str) -> dict:
    """Signed anew at each request: Ed25519 is deterministic, the same certificate gives the same bytes."""
    return credentials.sign(credential_document(certificate, base_url), issuer_key(),
                            verification_method=base_url + ISSUER_DOCUMENT + "#key-1",
                            created=_timestamp(certificate.published_at))


def revocation_list(base_url: str) -> dict:
    cancelled = Candidate.objects.filter(decision=Candidate.Decision.CANCELLED, verification_code__isnull=False,
                                         session__status=Session.Status.PUBLISHED).values_list("verification_code", "decision_reason")
    return {"id": f"{base_url}/verify/revocations",
            "revokedCredentials": [{"id": f"{base_url}/verify/{code}/credential.json", "revocationReason": reason}
                                   for code, reason in cancelled]}
