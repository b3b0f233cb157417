"""The public side of certificates: verification (by address, or an uploaded credential or baked badge),
the issuer's profile, the revocation status list, achievements and their badge images, and the address
credentials name their holder by."""

from __future__ import annotations

import hmac

from flask import abort, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts.models import Organisation
from app.authz import public
from app.blueprints.certificates import bp
from app.certificates import services
from app.certificates.badge_image import badge_png
from app.certificates.keys import holder_ref
from app.certificates.models import Certificate
from app.credentials.baking import PNG_SIGNATURE, BakingError, unbake
from app.errors import json_problem_message, not_found
from app.extensions import db, limiter
from app.json_limits import JSONLimitExceeded

MAX_UPLOAD = 512 * 1024
VERIFY_LIMIT = "60 per minute; 600 per hour"


@bp.route("/verify/<public_id>", methods=["GET"])
@public
@limiter.limit(VERIFY_LIMIT)
def verify(public_id: str) -> str:
    cert = db.session.scalar(select(Certificate).where(Certificate.public_id == public_id[:40]))
    if cert is None:
        raise not_found(_("No certificate is known under this address. It may have been mistyped."))
    return render_template("certificates/verify.html", cert=cert, check=None)


def _uploaded_text(data: bytes) -> bytes:
    """The credential of an upload: the JSON itself, or the credential baked into a badge PNG."""
    if not data.startswith(PNG_SIGNATURE):
        return data
    try:
        baked = unbake(data)
    except BakingError as exc:
        raise ValueError("unreadable PNG") from exc
    if baked is None:
        raise ValueError("a PNG without a credential")
    return baked.encode("utf-8")


@bp.route("/verify", methods=["GET", "POST"])
@public
@limiter.limit(VERIFY_LIMIT)
def verify_upload() -> str | tuple[str, int]:
    check = None
    problem = None
    if request.method == "POST":
        raw = request.files.get("credential")
        text = raw.read(MAX_UPLOAD + 1) if raw else request.form.get("json", "").encode("utf-8")
        if len(text) > MAX_UPLOAD:
            problem = _("The file is larger than 512 kB; a credential is much smaller.")
        else:
            try:
                document = current_app.json.loads(_uploaded_text(text))  # size and depth limited (app.web)
                if not isinstance(document, dict):
                    raise ValueError("not an object")
            except JSONLimitExceeded as exc:
                problem = json_problem_message(exc)
            except (UnicodeDecodeError, ValueError):
                problem = _(
                    "This is not a credential: the file is not a JSON object, nor a badge image with one baked in."
                )
            else:
                check = services.verify_document(db.session, document)
    return render_template("certificates/verify.html", cert=check.certificate if check else None, check=check,
                           problem=problem), (400 if problem else 200)  # fmt: skip


def _json(document: object) -> Response:
    response = make_response(jsonify(document))
    response.headers["Content-Type"] = "application/ld+json"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _png(data: bytes) -> Response:
    response = make_response(data)
    response.headers["Content-Type"] = "image/png"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _issuing_organisation_or_404(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None or not services.organisation_keys(db.session, org.id):
        raise not_found(_("unknown issuer"))
    return org


@bp.get("/issuers/<int:org_id>")
@public
def issuer(org_id: int) -> Response:
    org = _issuing_organisation_or_404(org_id)
    profile = services.issuer_profile(org) | {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "verificationMethods": sorted(services.organisation_keys(db.session, org.id)),
    }  # fmt: skip
    return _json(profile)


@bp.get("/issuers/<int:org_id>/image.png")
@public
def issuer_image(org_id: int) -> Response:
    """The issuer's emblem (only of an organisation that issues: others are not published)."""
    return _png(badge_png(_issuing_organisation_or_404(org_id).name, ""))


@bp.get("/status/<int:org_id>/revocation")
@public
def status_list(org_id: int) -> Response:
    org = db.session.get(Organisation, org_id)
    document = services.status_list_credential(db.session, org) if org is not None else None
    if document is None:  # built on every read, never stored: a GET writes nothing
        raise not_found(_("unknown status list"))
    response = _json(document)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _achievement_or_404(org_id: int, code: str, scope: str) -> dict[str, object]:
    cert = db.session.scalar(
        select(Certificate)
        .join(Certificate.cohort)
        .where(Certificate.organisation_id == org_id, Certificate.scope_key == scope)
        .limit(1)
    )
    if cert is None or cert.summary["framework"]["code"] != code:
        raise not_found(_("unknown achievement"))
    achievement: dict[str, object] = cert.credential["credentialSubject"]["achievement"]
    return achievement | {"_organisation": cert.organisation.name}


@bp.get("/achievements/<int:org_id>/<code>/<path:scope>")
@public
def achievement(org_id: int, code: str, scope: str) -> Response:
    found = _achievement_or_404(org_id, code, scope)
    return _json({k: v for k, v in found.items() if k != "_organisation"})


@bp.get("/badges/<int:org_id>/<code>/<path:scope>")
@public
def badge_image(org_id: int, code: str, scope: str) -> Response:
    """The achievement's badge image (the credential's ``image``): a stable address per achievement."""
    found = _achievement_or_404(org_id, code, scope)
    return _png(badge_png(str(found["_organisation"]), str(found.get("humanCode") or code)))


@bp.get("/holders/<ref>")
def holder(ref: str) -> Response:
    """The address a credential names its holder by: the holder, signed in, is taken to their certificates;
    for anyone else it does not exist."""
    if not hmac.compare_digest(holder_ref(current_user).encode(), ref[:64].encode()):
        abort(404)
    return redirect(url_for("certificates.index"))
