from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from balise.accounts.urls import urlpatterns as accounts_urlpatterns
from balise.api.urls import api
from balise.campaigns import urls as campaign_urls
from balise.certification import views_certificates as certificate_views
from balise.learner.views import account_urlpatterns
from balise.site import views

# Django's default says "Django administration": operators see Balise's, in their language.
admin.site.site_header = _("Balise administration")
admin.site.site_title = _("Balise administration")
admin.site.index_title = _("Operators' pages")

site_patterns = (
    [
        path("", views.home, name="home"),
        path("terms/", views.terms, name="terms"),
        path("legal/<str:page>/", views.legal_page, name="legal_page"),
        path("space.css", views.space_stylesheet, name="space_stylesheet"),
        path("space-logo", views.space_logo, name="space_logo"),
        path("language/", views.language_change, name="language_change"),
        path("content-media/<path:path>", views.content_media, name="content_media"),
        path("healthz", views.health, name="health"),
    ],
    "site",
)

urlpatterns = [
    path("", include(site_patterns)),
    path("accounts/", include((accounts_urlpatterns + account_urlpatterns, "accounts"))),
    path("", include("balise.evaluation.urls")),
    path("tutorials/", include("balise.learning.urls")),
    path("organizations/<str:organization_id>/campaigns/", include(campaign_urls.organization_patterns)),
    path("organizations/", include("balise.organizations.urls")),
    path("campagnes/", include(campaign_urls.learner_patterns)),
    path("certification/centres/", include("balise.certification.urls")),
    path("certification/jury/", include("balise.certification.urls_jury")),
    path("certification/mine/", certificate_views.my_certifications, name="my_certifications"),
    path("verify/revocations", certificate_views.revocations, name="credential_revocations"),
    path("verify/<str:code>", certificate_views.verify, name="certificate_verify"),
    path("verify/<str:code>/certificate.pdf", certificate_views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:code>/credential.json", certificate_views.credential, name="certificate_credential"),
    path(".well-known/balise-issuer.json", certificate_views.issuer_key, name="credential_issuer"),
    path("certification/", include("balise.certification.urls_exam")),
    path("admin/", admin.site.urls),
    # Before the API's own addresses: its reference is a page of the site (the API serves no viewer).
    path("api/docs", views.api_reference_page, name="api_reference"),
    path("api/", api.urls),
]
