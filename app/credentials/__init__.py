"""Open Badges 3.0 credentials signed with Data Integrity proofs (eddsa-rdfc-2022).

Pure modules, no Flask and no database: ``keys`` (Ed25519 and did:key), ``contexts``
(pinned JSON-LD contexts, never fetched), ``rdfc`` (RDF Dataset Canonicalization),
``proof`` (sign and verify), ``badges`` (OpenBadgeCredential documents) and
``status`` (Bitstring Status List).
"""
