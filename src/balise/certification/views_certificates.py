"""Certificates: the holder's list, the public verification page, the PDF, the signed
credential and the issuer's public key. A verification code is the key to a certificate: anyone
who has it sees what the certificate says (decision 0026)."""

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from balise.certification import credential_issuer
from balise.certification.certificates import certificate_by_code, certificates_of


@login_required
def my_certifications(request):
    return render(request, "certification/mine.html", {"certificates": certificates_of(request.user)})


def verify(request, code):
    certificate = certificate_by_code(code)
    return render(request, "certification/verify.html", {"certificate": certificate, "code": code[:12]},
                  status=200 if certificate else 404)


def _qr_svg(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True,
                                    title=None, desc=None)
    return buffer.getvalue().decode()


def certificate_pdf(request, code):
    certificate = certificate_by_code(code)
    if certificate is None or not certificate.certified:
        return render(request, "certification/verify.html", {"certificate": certificate, "code": code[:12]}, status=404)
    # WeasyPrint needs Pango (a system library, installed with Debian's chromium): imported here so
    # that every other page works on a machine without it.
    import weasyprint

    verify_url = request.build_absolute_uri(f"/verify/{certificate.code}")
    html = render_to_string("certification/certificate_pdf.html", {
        "certificate": certificate, "verify_url": verify_url, "qr_svg": _qr_svg(verify_url),
        "language": translation.get_language(),
    }, request=request)
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response


def credential(request, code):
    certificate = certificate_by_code(code)
    if certificate is None or not certificate.certified and not certificate.cancelled:
        return JsonResponse({"error": "not_found", "message": "No such certificate."}, status=404)
    document = credential_issuer.signed_credential(certificate, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="credential-{certificate.code}.json"'
    return response


def issuer_key(request):
    return JsonResponse(credential_issuer.issuer_document(request.build_absolute_uri("/").rstrip("/")))


def revocations(request):
    return JsonResponse(credential_issuer.revocation_list(request.build_absolute_uri("/").rstrip("/")))
