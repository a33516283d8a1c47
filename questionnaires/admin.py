"""Django admin for administrators: the maturity model content and accounts.

A published model version that an assessment uses is shown read-only here;
changing it means loading a new version.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Advice,
    Assessment,
    Choice,
    Dimension,
    Invitation,
    Level,
    LevelDescriptor,
    MaturityModel,
    Membership,
    Organization,
    Phase,
    Question,
    Team,
    TeamLink,
    User,
)


def _model_of(obj):
    if obj is None:
        return None
    if isinstance(obj, MaturityModel):
        return obj
    if isinstance(obj, Dimension | Phase | Level | Question):
        return obj.model
    return None


class LockedContentMixin:
    """Read-only once the model version is published and in use."""

    def has_change_permission(self, request, obj=None):
        model = _model_of(obj)
        if model is not None and model.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        model = _model_of(obj)
        if model is not None and model.is_locked:
            return False
        return super().has_delete_permission(request, obj)


class LockedInlineMixin(LockedContentMixin):
    def has_add_permission(self, request, obj=None):
        model = _model_of(obj)
        if model is not None and model.is_locked:
            return False
        return super().has_add_permission(request, obj)


class PhaseInline(LockedInlineMixin, admin.TabularInline):
    model = Phase
    extra = 0


class LevelInline(LockedInlineMixin, admin.TabularInline):
    model = Level
    extra = 0


@admin.register(MaturityModel)
class MaturityModelAdmin(LockedContentMixin, admin.ModelAdmin):
    list_display = ["code", "version", "name_nl", "is_published", "published_at", "in_use"]
    list_filter = ["is_published"]
    readonly_fields = ["content_hash"]
    inlines = [LevelInline, PhaseInline]

    @admin.display(boolean=True, description=_("in use"))
    def in_use(self, obj):
        return obj.assessments.exists()


class DescriptorInline(LockedInlineMixin, admin.TabularInline):
    model = LevelDescriptor
    extra = 0


class AdviceInline(LockedInlineMixin, admin.TabularInline):
    model = Advice
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(LockedContentMixin, admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "main_phase", "model"]
    list_filter = ["model"]
    inlines = [DescriptorInline, AdviceInline]


class ChoiceInline(LockedInlineMixin, admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(LockedContentMixin, admin.ModelAdmin):
    list_display = ["code", "kind", "dimension", "phase", "reverse_keyed", "model"]
    list_filter = ["model", "kind", "phase"]
    search_fields = ["code", "text_nl", "text_en"]
    inlines = [ChoiceInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    actions = ["lift_login_pause"]
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    @admin.action(description=_("Lift the login pause"))
    def lift_login_pause(self, request, queryset):
        for user in queryset:
            services.login_pause_lift(user=user, actor=request.user)
        self.message_user(request, _("They can log in again, with their own password."))


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [TeamInline, MembershipInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "opens_at", "closes_at", "maturity_model"]
    list_filter = ["status"]
    search_fields = ["title", "organization__name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["assessment", "email", "team", "sent_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(TeamLink)
class TeamLinkAdmin(admin.ModelAdmin):
    list_display = ["assessment", "team", "capacity", "uses", "revoked_at"]
    exclude = ["token_hash"]
