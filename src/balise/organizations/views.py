from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balise.organizations import selectors, services
from balise.organizations.access import organization_access
from balise.organizations.forms import InvitationForm, RoleForm
from balise.organizations.models import Role


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
