"""The Django admin for the registry.

Every change list fetches its rows with one query (related objects joined, counts
annotated, many-to-many prefetched once), so its query count does not grow with
the number of rows; tests/stakeholders/test_admin.py pins it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_update_with_history

from stakeholders import services, signals
from stakeholders.admin_spreadsheets import SpreadsheetAdmin

from .models import (
    IN_USE_ACCOUNT_STATUSES,
    Department,
    ExpertiseTag,
    ImportBatch,
    Person,
    Seat,
    SocialAccount,
    StakeholderGroup,
)


def count_of(queryset, field: str) -> Coalesce:
    """The number of rows of `queryset` whose `field` points at the outer row.

    A correlated subquery rather than Count() over a join: two of them do not
    multiply each other's rows, and the change list's COUNT(*) can drop them.
    """
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- Shared by the admin of both apps ------------------------------------------------


class AnnouncesChange:
    """A ModelAdmin mixin: an edit in the admin changes what the assessment reads like
    any other write, so it says so (`announce`; governance's admin overrides it). Saves
    announce after the related objects: Django saves both in one transaction, on the
    change form and in the change list alike, so that is once per transaction."""

    def announce(self) -> None:
        signals.registry_changed_announce()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.announce()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.announce()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.announce()


class RowAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select whose selected option its inline row can hand over.

    Django's widget looks its selected option up with one query per widget, so an
    inline of n rows costs n queries; the row has already loaded the related object
    (select_related), so RowAutocompleteInline passes its label in instead.
    """

    selected: tuple[str, str] | None = None  # (value, label)

    def optgroups(self, name, value, attr=None):
        if self.selected is None or [str(v) for v in value] != [self.selected[0]]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        options.append(self.create_option(name, *self.selected, True, len(options)))
        return [(None, options, 0)]


class RowAutocompleteInline:
    """An inline whose autocomplete fields cost no query per row (with select_related
    on those fields in get_queryset)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = self.get_autocomplete_fields(request)

        class RowFormSet(formset):
            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                if form.instance.pk is None:
                    return form
                for name in names:
                    field = form.fields.get(name)
                    widget = getattr(field.widget, "widget", None) if field else None
                    related = getattr(form.instance, name, None)
                    if isinstance(widget, RowAutocompleteSelect) and related is not None:
                        widget.selected = (str(related.pk), field.label_from_instance(related))
                return form

        return RowFormSet


# --- Inlines ----------------------------------------------------------------------


class SeatInline(RowAutocompleteInline, admin.TabularInline):
    model = Seat
    fields = ("person", "role", "status", "nominated_at", "term_start", "term_end")
    autocomplete_fields = ("person",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # Each row prints str(seat), which reads the person and the constituency.
        return super().get_queryset(request).select_related("person", "department", "group")


class DepartmentSeatInline(SeatInline):
    fk_name = "department"
    verbose_name = "seat"
    verbose_name_plural = "seats for this department"


class GroupSeatInline(SeatInline):
    fk_name = "group"
    verbose_name = "seat"
    verbose_name_plural = "seats for this group"


class SocialAccountInline(admin.TabularInline):
    model = SocialAccount
    fk_name = "owner"
    fields = ("platform", "handle", "status", "purpose", "followers", "last_post_at")
    extra = 0
    show_change_link = True
    verbose_name_plural = "social accounts owned"


# --- Department -------------------------------------------------------------------


class LevelFilter(admin.SimpleListFilter):
    title = "level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("top", "Top level"), ("sub", "Sub-department")]

    def queryset(self, request, queryset):
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub":
            return queryset.filter(parent__isnull=False)
        return queryset


class DepartmentAdminForm(forms.ModelForm):
    # No Meta: the admin builds the form for Department from its fieldsets.

    def clean_parent(self) -> Department | None:
        """Refuse a move under the department itself or one of its sub-departments,
        as the web form does (the database only refuses a department as its own parent)."""
        parent = self.cleaned_data.get("parent")
        if parent is None or self.instance.pk is None:
            return parent
        if problem := services.department_parent_refusal(self.instance, parent):
            raise ValidationError(problem)
        return parent


class KeyFixedOnceCreated:
    """A ModelAdmin mixin: the key is chosen when adding, then read-only, because
    addresses, bundles and imports know the object by it."""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "key") if obj is not None else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)


@admin.register(Department)
class DepartmentAdmin(KeyFixedOnceCreated, SpreadsheetAdmin, AnnouncesChange, SimpleHistoryAdmin):
    spreadsheet_kind = "departments"
    form = DepartmentAdminForm
    list_display = (
        "name",
        "key",
        "parent",
        "function",
        "kind",
        "headcount",
        "customer_facing",
        "head",
        "active",
        "open_seats",
        "accounts",
    )
    list_filter = ("active", "function", "kind", "customer_facing", LevelFilter)
    search_fields = ("name", "key", "head__username", "head__email")
    autocomplete_fields = ("parent", "head")
    list_select_related = ("parent", "head")
    inlines = (DepartmentSeatInline, SocialAccountInline)
    actions = ("archive", "restore")
    fieldsets = (
        (None, {"fields": ("name", "key", "parent", "kind", "function", "head", "active")}),
        ("Size and stake", {"fields": ("headcount", "customer_facing", "influence", "interest")}),
    )
    prepopulated_fields = {"key": ("name",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_seat_count=count_of(Seat.objects.open(), "department"),
                account_count=count_of(
                    SocialAccount.objects.filter(status__in=IN_USE_ACCOUNT_STATUSES), "owner"
                ),
            )
        )

    @admin.display(description="open seats", ordering="open_seat_count")
    def open_seats(self, department: Department) -> int:
        return department.open_seat_count

    @admin.display(description="accounts in use", ordering="account_count")
    def accounts(self, department: Department) -> int:
        return department.account_count

    def _set_active(self, request, queryset, *, active: bool) -> int:
        departments = [d for d in queryset if d.active != active]
        for department in departments:
            department.active = active
        # One UPDATE plus one history row per department, attributed to the admin.
        bulk_update_with_history(departments, Department, ["active"], default_user=request.user)
        if departments:
            signals.registry_changed_announce()
        return len(departments)

    @admin.action(description="Archive selected departments", permissions=["change"])
    def archive(self, request, queryset):
        count = self._set_active(request, queryset, active=False)
        self.message_user(
            request,
            ngettext("Archived %d department.", "Archived %d departments.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description="Restore selected departments", permissions=["change"])
    def restore(self, request, queryset):
        count = self._set_active(request, queryset, active=True)
        self.message_user(
            request,
            ngettext("Restored %d department.", "Restored %d departments.", count) % count,
            messages.SUCCESS,
        )


# --- Expertise, people, groups ----------------------------------------------------


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(AnnouncesChange, admin.ModelAdmin):
    list_display = ("name", "people_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_total=Count("people"))

    @admin.display(description="people", ordering="people_total")
    def people_count(self, tag: ExpertiseTag) -> int:
        return tag.people_total


@admin.register(Person)
class PersonAdmin(SpreadsheetAdmin, AnnouncesChange, SimpleHistoryAdmin):
    spreadsheet_kind = "people"
    list_display = ("name", "email", "title", "seniority", "department", "tags", "user", "active")
    list_filter = ("active", "seniority", "department__function", "expertise")
    search_fields = ("name", "email", "title", "department__name", "department__key")
    autocomplete_fields = ("department", "expertise", "user")
    list_select_related = ("department", "user")
    fieldsets = (
        (None, {"fields": ("name", "email", "title", "seniority", "department", "active")}),
        ("Expertise and sign-in", {"fields": ("expertise", "user")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("expertise")

    @admin.display(description="expertise")
    def tags(self, person: Person) -> str:
        return ", ".join(tag.name for tag in person.expertise.all())


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(KeyFixedOnceCreated, AnnouncesChange, SimpleHistoryAdmin):
    list_display = ("name", "key", "kind", "open_seats")
    list_filter = ("kind",)
    search_fields = ("name", "key")
    prepopulated_fields = {"key": ("name",)}
    inlines = (GroupSeatInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_seat_count=count_of(Seat.objects.open(), "group"))
        )

    @admin.display(description="open seats", ordering="open_seat_count")
    def open_seats(self, group: StakeholderGroup) -> int:
        return group.open_seat_count


# --- Seats ------------------------------------------------------------------------


class ConstituencyFilter(admin.SimpleListFilter):
    title = "constituency"
    parameter_name = "constituency"

    def lookups(self, request, model_admin):
        return [("department", "A department"), ("group", "A stakeholder group")]

    def queryset(self, request, queryset):
        if self.value() == "department":
            return queryset.filter(department__isnull=False)
        if self.value() == "group":
            return queryset.filter(group__isnull=False)
        return queryset


@admin.register(Seat)
class SeatAdmin(AnnouncesChange, SimpleHistoryAdmin):
    list_display = (
        "person",
        "constituency",
        "role",
        "status",
        "nominated_at",
        "decided_at",
        "term_start",
        "term_end",
    )
    list_filter = ("status", "role", ConstituencyFilter, "department__function", "group__kind")
    search_fields = (
        "person__name",
        "person__email",
        "department__name",
        "department__key",
        "group__name",
        "group__key",
    )
    autocomplete_fields = ("person", "department", "group", "nominated_by", "decided_by")
    list_select_related = ("person", "department", "group")
    date_hierarchy = "nominated_at"
    fieldsets = (
        (None, {"fields": ("person", "department", "group", "role", "status")}),
        ("Nomination", {"fields": ("nominated_by", "nominated_at", "nomination_note")}),
        ("Decision", {"fields": ("decided_by", "decided_at", "decision_note")}),
        ("Term", {"fields": ("term_start", "term_end")}),
    )
    # The status changes only through the seat services, as on the web (the actions
    # below): the form cannot approve, decline or end a seat behind the workflow's back.
    readonly_fields = ("status", "decided_by", "decided_at")
    actions = ("approve", "decline", "withdraw", "end")

    def _transition(self, request, queryset, change, done: str) -> None:
        changed = 0
        for seat in queryset.select_related("person", "department", "group"):
            try:
                change(actor=request.user, seat=seat)
            except ValidationError as error:
                self.message_user(request, f"{seat}: {' '.join(error.messages)}", messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                ngettext(f"{done} %d seat.", f"{done} %d seats.", changed) % changed,
                messages.SUCCESS,
            )

    @admin.action(description="Approve selected nominations", permissions=["change"])
    def approve(self, request, queryset):
        self._transition(request, queryset, services.seat_approve, "Approved")

    @admin.action(description="Decline selected nominations", permissions=["change"])
    def decline(self, request, queryset):
        self._transition(request, queryset, services.seat_decline, "Declined")

    @admin.action(description="Withdraw selected nominations", permissions=["change"])
    def withdraw(self, request, queryset):
        self._transition(request, queryset, services.seat_withdraw, "Withdrew")

    @admin.action(description="End selected seats today", permissions=["change"])
    def end(self, request, queryset):
        self._transition(request, queryset, services.seat_end, "Ended")

    @admin.display(description="constituency")
    def constituency(self, seat: Seat) -> str:
        if seat.department_id:
            return f"{seat.department} (department)"
        return f"{seat.group} (group)"


# --- Social accounts --------------------------------------------------------------


@admin.register(SocialAccount)
class SocialAccountAdmin(SpreadsheetAdmin, AnnouncesChange, SimpleHistoryAdmin):
    spreadsheet_kind = "accounts"
    list_display = (
        "handle",
        "platform",
        "owner",
        "status",
        "purpose",
        "followers",
        "last_post_at",
        "manager_names",
    )
    list_display_links = ("handle",)
    list_filter = (
        "platform",
        "status",
        "purpose",
        ("owner", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("handle", "url", "owner__name", "owner__key", "managers__email")
    autocomplete_fields = ("owner", "managers")
    list_select_related = ("owner",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("platform", "handle", "url", "status", "purpose")}),
        ("Ownership", {"fields": ("owner", "managers")}),
        ("Activity", {"fields": ("followers", "last_post_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("managers")

    @admin.display(description="managers")
    def manager_names(self, account: SocialAccount) -> str:
        return ", ".join(
            person.name if person.active else f"{person.name} (left)"
            for person in account.managers.all()
        )


# --- Spreadsheet imports ------------------------------------------------------------


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Uploads are checked and applied on the import pages; here they are a record."""

    list_display = (
        "created_at",
        "kind",
        "filename",
        "status",
        "row_count",
        "uploaded_by",
        "applied_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("filename", "uploaded_by__username")
    list_select_related = ("uploaded_by",)
    date_hierarchy = "created_at"
    # The validated rows can be tens of thousands: too long to show.
    exclude = ("plan",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
