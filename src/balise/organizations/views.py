from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balise.organizations import learner_file, selectors, services
from balise.organizations.access import (
    learner_import_access,
    learner_list_access,
    organization_access,
    organization_learner_access,
)
from balise.organizations.errors import FileRefused, file_refusal_message, line_error_message
from balise.organizations.forms import InvitationForm, LearnerImportForm, RoleForm
from balise.organizations.models import Organization, Role


@login_required
def my_organizations(request):
    return render(request, "organizations/mine.html", {"memberships": selectors.memberships_of(request.user)})


def _organization_page(request, membership, form=None, status=200):
    organization = membership.organization
    context = {
        "organization": organization,
        "membership": membership,
        "is_admin": membership.role == Role.ADMIN,
        "members": selectors.members_of(organization),
        "invitations": selectors.pending_invitations_of(organization) if membership.role == Role.ADMIN else [],
        "form": form or InvitationForm(),
        "roles": Role.choices,
        "learner_counts": selectors.learner_counts(organization) if organization.manages_learners else None,
    }
    return render(request, "organizations/organization.html", context, status=status)


@login_required
def organization_show(request, organization_id):
    return _organization_page(request, organization_access(request.user, organization_id))


def _back(organization_id):
    return redirect("organizations:show", organization_id=organization_id)


@login_required
@require_POST
def invitation_send(request, organization_id):
    membership = organization_access(request.user, organization_id, administer=True)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _organization_page(request, membership, form, status=400)
    try:
        services.invitation_create(
            membership.organization, form.cleaned_data["email"], form.cleaned_data["role"], by=request.user,
            base_url=request.build_absolute_uri("/"), language=get_language(),
        )
    except services.MembershipError as error:
        form.add_error("email", error.message)
        return _organization_page(request, membership, form, status=400)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    return _back(organization_id)


@login_required
@require_POST
def invitation_change(request, organization_id, invitation_id):
    membership = organization_access(request.user, organization_id, administer=True)
    invitation = selectors.invitation_of(membership.organization, invitation_id)
    try:
        if request.POST.get("action") == "cancel":
            services.invitation_cancel(invitation)
            messages.success(request, _("Invitation cancelled: its link no longer works."))
        else:
            services.invitation_resend(invitation, base_url=request.build_absolute_uri("/"), language=get_language())
            messages.success(request, _("Invitation sent again; the earlier link no longer works."))
    except services.MembershipError as error:
        messages.error(request, error.message)
    return _back(organization_id)


@login_required
@require_POST
def member_change(request, organization_id, membership_id):
    membership = organization_access(request.user, organization_id, administer=True)
    member = selectors.membership_of(membership.organization, membership_id)
    action = request.POST.get("action")
    try:
        if action == "disable":
            services.member_disable(member)
        elif action == "enable":
            services.member_enable(member)
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise services.MembershipError(_("Choose administrator or member."))
            services.member_role_set(member, form.cleaned_data["role"])
        messages.success(request, _("Saved."))
    except services.MembershipError as error:
        messages.error(request, error.message)
    return _back(organization_id)


def invitation_open(request, token):
    """The link of an invitation e-mail: who invites, then "join" (after logging in or
    creating an account, which bring the person back here)."""
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as error:
        return render(request, "organizations/invitation_invalid.html", {"reason": error.reason}, status=410 if error.reason != "unknown" else 404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(token, request.user)
        except services.InvitationInvalid as error:
            return render(request, "organizations/invitation_invalid.html", {"reason": error.reason}, status=410)
        messages.success(request, _("Welcome to %(organization)s.") % {"organization": membership.organization.name})
        return _back(membership.organization_id)
    return render(request, "organizations/invitation.html", {"invitation": invitation})


# --- Learner lists

ERRORS_SHOWN = 200


def _column_rows(organization) -> list[dict]:
    """The columns of the organization's file, for the import page and the template."""
    meaning = {
        "identifier": _("the pupil's national identifier (INE)") if organization.type == Organization.Type.SCHOOL
        else _("the student number: letters, digits, - and _"),
        "first_name": _("first name"),
        "last_name": _("last name"),
        "birth_date": _("DD/MM/YYYY or YYYY-MM-DD"),
        "group": _("the class") if organization.type == Organization.Type.SCHOOL else _("the group"),
        "email": _("e-mail address"),
        "diploma": _("diploma prepared"),
        "department": _("department (faculty, school)"),
    }
    return [
        {"name": column.names[0], "others": column.names[1:], "required": column.required, "meaning": meaning[column.field]}
        for column in learner_file.COLUMNS[organization.type]
    ]


@login_required
def learners_list(request, organization_id):
    membership = learner_list_access(request.user, organization_id)
    organization = membership.organization
    group, query = request.GET.get("group", "")[:60], request.GET.get("q", "")[:100]
    state = request.GET.get("state", "active")
    if state not in ("active", "left", "all"):
        state = "active"
    page = selectors.learners_page(organization, group=group, query=query, state=state, page=request.GET.get("page", 1))
    is_admin = membership.role == Role.ADMIN
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "organizations/learners.html", {
        "organization": organization,
        "is_admin": is_admin,
        "page": page,
        "groups": selectors.learner_groups(organization),
        "group": group,
        "query": query,
        "state": state,
        "filters": filters.urlencode(),
        "counts": selectors.learner_counts(organization),
        "imports": selectors.learner_imports_of(organization, limit=3) if is_admin else [],
        "is_school": organization.type == Organization.Type.SCHOOL,
    })


def _import_page(request, membership, form, status=200):
    return render(request, "organizations/learner_import.html", {
        "organization": membership.organization,
        "form": form,
        "columns": _column_rows(membership.organization),
        "max_mb": learner_file.MAX_BYTES // (1024 * 1024),
    }, status=status)


@login_required
def learner_import(request, organization_id):
    membership = learner_list_access(request.user, organization_id, administer=True)
    if request.method != "POST":
        return _import_page(request, membership, LearnerImportForm())
    form = LearnerImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, membership, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        if upload.size > learner_file.MAX_BYTES:
            raise FileRefused("too_large", limit_mb=learner_file.MAX_BYTES // (1024 * 1024))
        learner_import = services.learner_import_start(
            membership.organization, upload.read(), upload.name, by=request.user
        )
    except FileRefused as refusal:
        form.add_error("file", file_refusal_message(refusal))
        return _import_page(request, membership, form, status=400)
    return redirect("organizations:learner_import_show", organization_id=organization_id, import_id=learner_import.pk)


@login_required
def learner_import_show(request, organization_id, import_id):
    learner_import = learner_import_access(request.user, organization_id, import_id)
    errors = [
        {**error, "message": line_error_message(error) if error.get("code") != "file"
         else file_refusal_message(FileRefused(error.get("value", ""), **error.get("details", {})))}
        for error in learner_import.errors[:ERRORS_SHOWN]
    ]
    by_column: dict[str, int] = {}
    for error in learner_import.errors:
        by_column[error.get("column") or ""] = by_column.get(error.get("column") or "", 0) + 1
    return render(request, "organizations/learner_import_status.html", {
        "organization": learner_import.organization,
        "learner_import": learner_import,
        "errors": errors,
        "errors_not_shown": learner_import.error_count - len(errors),
        "errors_by_column": sorted(by_column.items(), key=lambda item: -item[1]) if len(by_column) > 1 else [],
        "errors_counted_partly": learner_import.error_count > len(learner_import.errors),
    })


@login_required
def learner_template(request, organization_id):
    """An empty file with the expected first line, as a spreadsheet opens it (BOM, semicolons)."""
    membership = learner_list_access(request.user, organization_id, administer=True)
    columns = learner_file.COLUMNS[membership.organization.type]
    response = HttpResponse(
        "\ufeff" + ";".join(column.names[0] for column in columns) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="learners-template.csv"'
    return response


@login_required
def learner_show(request, organization_id, learner_id):
    if request.method == "POST":
        learner = organization_learner_access(request.user, organization_id, learner_id, administer=True)
        if request.POST.get("action") == "unlink" and learner.user_id:
            services.learner_unlink(learner)
            messages.success(request, _("The learner is no longer linked to that account."))
        return redirect("organizations:learner_show", organization_id=organization_id, learner_id=learner.pk)
    learner = organization_learner_access(request.user, organization_id, learner_id)
    membership = organization_access(request.user, organization_id)
    return render(request, "organizations/learner.html", {
        "organization": learner.organization,
        "learner": learner,
        "is_admin": membership.role == Role.ADMIN,
        "is_school": learner.organization.type == Organization.Type.SCHOOL,
    })
