"""Spreadsheets in the admin: "Export selected as CSV / XLSX" actions, and a link from
the change list to the import pages (upload → preview → confirm, for COE leads: a
superuser is one), so that the admin and the web share one import."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from stakeholders import spreadsheets
from stakeholders.views.exports import attachment

DATASETS: dict[str, Callable] = {
    "departments": spreadsheets.departments_dataset,
    "people": spreadsheets.people_dataset,
    "accounts": spreadsheets.accounts_dataset,
}


def _export_action(kind: str, fmt: str):
    def export(modeladmin, request, queryset):
        return attachment(DATASETS[kind](queryset), fmt, kind)

    export.__name__ = f"export_{fmt}"
    return export


class SpreadsheetAdmin:
    """A ModelAdmin mixin; `spreadsheet_kind` is the import kind of the model."""

    spreadsheet_kind: str = ""
    change_list_template = "admin/stakeholders/spreadsheet_change_list.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_view_permission(request):
            for fmt in ("csv", "xlsx"):
                name = f"export_{fmt}"
                description = f"Export selected as {fmt.upper()}"
                actions[name] = (_export_action(self.spreadsheet_kind, fmt), name, description)
        return actions

    def changelist_view(self, request, extra_context=None):
        import_url = reverse("stakeholders:import-start") + f"?kind={self.spreadsheet_kind}"
        extra_context = {**(extra_context or {}), "spreadsheet_import_url": import_url}
        return super().changelist_view(request, extra_context=extra_context)
