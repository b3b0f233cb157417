"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa §3.3).

hashData = SHA-256(canonical proof configuration) || SHA-256(canonical document), where
both are RDFC-1.0 canonical N-Quads and the proof configuration is the proof without
``proofValue`` under the document's ``@context``. The signature is Ed25519 over
hashData, encoded as multibase base58btc. Verification methods are did:key, resolved
offline; contexts come only from the pinned files.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld

from app.credentials.contexts import UnknownContextError, document_loader
from app.credentials.keys import public_key_from_did
from app.credentials.rdfc import CanonicalizationError, canonicalize, jsonld_options

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"

_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class SigningError(ValueError):
    pass


@dataclass(frozen=True)
class VerifyResult:
    valid: bool
    reason: str
    verification_method: str | None = None


def xsd_datetime(value: datetime) -> str:
    """UTC, whole seconds, 'Z': the form used for ``created`` and ``validFrom``."""
    if value.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _leaf_count(value: Any, *, expanded: bool) -> int:
    if isinstance(value, list):
        return sum(_leaf_count(item, expanded=expanded) for item in value)
    if isinstance(value, dict):
        total = 0
        for key, item in value.items():
            if key == "@context":
                continue
            if expanded and key == "@type" and "@value" in value:
                continue  # a literal's datatype comes from the context, not the document
            total += _leaf_count(item, expanded=expanded)
        return total
    return 0 if value is None else 1


def undefined_terms(document: dict[str, Any]) -> list[str]:
    """Terms of ``document`` that its contexts do not define.

    Such terms are either dropped by JSON-LD expansion (so the signature would not
    cover them) or fall through to the VC v2 ``@vocab`` (issuer-dependent IRIs, which
    verifiers in safe mode reject). An empty list means every value is signed.
    """
    expanded = jsonld.expand(document, jsonld_options(document_loader))
    found: set[str] = set()
    _collect_undefined(expanded, found)
    if _leaf_count(document, expanded=False) != _leaf_count(expanded, expanded=True):
        found.add("(a value was dropped by JSON-LD expansion)")
    return sorted(found)


def _collect_undefined(node: Any, found: set[str]) -> None:
    """Adds to ``found`` the issuer-dependent terms, relative ids and types of an expanded JSON-LD node."""
    if isinstance(node, list):
        for item in node:
            _collect_undefined(item, found)
    elif isinstance(node, dict):
        for key, item in node.items():
            if key.startswith(ISSUER_DEPENDENT):
                found.add(key.removeprefix(ISSUER_DEPENDENT))
            if key == "@id" and isinstance(item, str) and ":" not in item:
                found.add(f"(relative IRI {item!r}: not an RDF node, dropped)")
            if key == "@type" and "@value" not in node:
                for type_iri in item if isinstance(item, list) else [item]:
                    if type_iri.startswith(ISSUER_DEPENDENT) or ":" not in type_iri:
                        found.add(type_iri.removeprefix(ISSUER_DEPENDENT))
            _collect_undefined(item, found)


def _hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    proof_config = {"@context": document["@context"], **proof_options}
    canonical_config = canonicalize(proof_config, document_loader)
    canonical_document = canonicalize(document, document_loader)
    return (
        hashlib.sha256(canonical_config.encode("utf-8")).digest()
        + hashlib.sha256(canonical_document.encode("utf-8")).digest()
    )


def sign(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | None = None,
    *,
    as_array: bool = False,
) -> dict[str, Any]:
    """Return a copy of ``document`` with an embedded eddsa-rdfc-2022 proof.

    ``as_array`` embeds it as a proof set of one (``"proof": [{...}]``), the form 1EdTech's
    OpenBadgeCredential JSON schema requires; the signature is the same either way (a verifier
    removes the whole ``proof`` before hashing). Refuses documents that already carry a proof,
    lack ``@context`` or use terms the pinned contexts do not define, and a verification method
    whose did:key is not the signing key's.
    """
    if "proof" in document:
        raise SigningError("document already has a proof")
    if "@context" not in document:
        raise SigningError("document has no @context")
    try:
        vm_key = public_key_from_did(verification_method)
    except ValueError as exc:
        raise SigningError(f"unsupported verification method: {exc}") from exc
    if vm_key.public_bytes_raw() != private_key.public_key().public_bytes_raw():
        raise SigningError("verification method does not match the signing key")
    unsigned = copy.deepcopy(document)
    undefined = undefined_terms(unsigned)
    if undefined:
        raise SigningError(f"terms not defined by the document's contexts: {', '.join(undefined)}")

    proof_options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created or datetime.now(UTC)),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = private_key.sign(_hash_data(unsigned, proof_options))
    proof_value = "z" + base58.b58encode(signature).decode("ascii")
    embedded = {**proof_options, "proofValue": proof_value}
    return {**unsigned, "proof": [embedded] if as_array else embedded}


def _check_proof_fields(proof: dict[str, Any]) -> str | None:
    if proof.get("type") != PROOF_TYPE:
        return f"proof type is not {PROOF_TYPE}"
    if proof.get("cryptosuite") != CRYPTOSUITE:
        return f"cryptosuite is not {CRYPTOSUITE}"
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return f"proof purpose is not {PROOF_PURPOSE}"
    if not isinstance(proof.get("verificationMethod"), str):
        return "proof has no verificationMethod"
    if "created" in proof and not (isinstance(proof["created"], str) and _DATETIME.match(proof["created"])):
        return "proof created is not an XML Schema dateTime"
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return "proofValue is not multibase base58btc"
    return None


def _jsonld_failure(exc: Exception) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, UnknownContextError):
            return str(cause)
        cause = getattr(cause, "cause", None) or cause.__cause__
    return f"JSON-LD processing failed: {exc}".splitlines()[0]


def verify(document: dict[str, Any]) -> VerifyResult:
    """Verify the embedded eddsa-rdfc-2022 proof of ``document``; never fetches anything.

    ``proof`` may be one object (credentials issued before proof sets) or a proof set (an array, as
    Open Badges 3.0 requires): every proof of a set is checked independently over the document
    without its proofs, and all must hold."""
    proofs = document.get("proof") if isinstance(document, dict) else None
    if proofs is None or proofs == []:
        return VerifyResult(False, "document has no proof")
    if isinstance(proofs, dict):
        return _verify_one(document, proofs)
    if not isinstance(proofs, list) or not all(isinstance(p, dict) for p in proofs):
        return VerifyResult(False, "proof is neither an object nor an array of objects")
    result = VerifyResult(False, "document has no proof")
    for one in proofs:
        result = _verify_one(document, one)
        if not result.valid:
            return result
    return result


# One early refusal per check, in the order of vc-di-eddsa §3.3.2 and the VC data model: split up, the order
# that is the security argument would no longer read top to bottom.
def _verify_one(document: dict[str, Any], proof: dict[str, Any]) -> VerifyResult:  # noqa: C901
    problem = _check_proof_fields(proof)
    vm = proof.get("verificationMethod") if isinstance(proof.get("verificationMethod"), str) else None
    if problem:
        return VerifyResult(False, problem, vm)
    assert vm is not None
    try:
        public_key = public_key_from_did(vm)
    except ValueError as exc:
        return VerifyResult(False, f"cannot resolve verification method: {exc}", vm)
    try:
        signature = base58.b58decode(proof["proofValue"][1:])
    except ValueError:
        return VerifyResult(False, "proofValue is not valid base58btc", vm)
    if len(signature) != 64:
        return VerifyResult(False, "proofValue is not a 64-byte Ed25519 signature", vm)

    unsigned = {key: value for key, value in document.items() if key != "proof"}
    proof_options = {key: value for key, value in proof.items() if key != "proofValue"}
    if "@context" not in unsigned:
        return VerifyResult(False, "document has no @context", vm)
    if "@context" in proof_options:
        # vc-di-eddsa §3.3.2: the proof's context must be a prefix of the document's.
        proof_context = proof_options.pop("@context")
        proof_list = proof_context if isinstance(proof_context, list) else [proof_context]
        doc_context = unsigned["@context"] if isinstance(unsigned["@context"], list) else [unsigned["@context"]]
        if doc_context[: len(proof_list)] != proof_list:
            return VerifyResult(False, "proof @context does not match the document @context", vm)
        unsigned["@context"] = proof_context
    issuer = unsigned.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if "issuer" in unsigned and issuer_id != vm.partition("#")[0]:
        # VC DM: the issuer must control the key; otherwise anyone could sign in its name.
        return VerifyResult(False, "issuer is not the controller of the verification method", vm)
    try:
        undefined = undefined_terms(unsigned)
        if undefined:
            return VerifyResult(False, f"terms not defined by the document's contexts: {', '.join(undefined)}", vm)
        hash_data = _hash_data(unsigned, proof_options)
    except (jsonld.JsonLdError, UnknownContextError, CanonicalizationError) as exc:
        return VerifyResult(False, _jsonld_failure(exc), vm)
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        return VerifyResult(False, "signature does not match the document", vm)
    return VerifyResult(True, "signature verified", vm)
