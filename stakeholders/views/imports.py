"""Spreadsheet imports for COE leads: upload → preview → confirm.

The upload is read and checked once (stakeholders.spreadsheets.batch_create) and
stored as an ImportBatch; the preview page reads the batch, and confirming writes
the stored rows (batch_apply) without reading the file again.

Progress: the form posts with htmx, which reports upload progress (a progress bar),
then shows "checking" while the server reads the file. Reading and checking a file
at the size limit takes seconds (bench/import_rows.py), so it happens within the
request rather than in a worker: a worker would need the file stored first, and
on the embedded default Celery runs tasks inline, so a polled progress bar would
never move there anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from coe.pagination import page_of
from stakeholders import access, spreadsheets
from stakeholders.forms_imports import ImportUploadForm
from stakeholders.models import ImportBatch, ImportKind
from stakeholders.views.exports import attachment

PREVIEW_PAGE_SIZE = 100
RECENT_BATCHES = 10
ACTIONS = ("create", "update", "unchanged")


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    access.require_lead(request.user)
    initial = {"kind": request.GET.get("kind") or ImportKind.DEPARTMENTS}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = spreadsheets.batch_create(
                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], user=request.user
            )
        except spreadsheets.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            url = reverse("stakeholders:import-detail", args=[batch.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return render(request, "stakeholders/imports/_upload_form.html", {"form": form})
    recent = ImportBatch.objects.select_related("uploaded_by").defer("plan", "problems")
    context = {
        "form": form,
        "recent": recent[:RECENT_BATCHES],
        "sheets": spreadsheets.SHEETS.values(),
    }
    return render(request, "stakeholders/imports/start.html", context)


@require_GET
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    access.require_lead(request.user)
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=batch_id)
    counts = {action: batch.counts.get(action, 0) for action in ACTIONS}
    show = request.GET.get("show")
    if show not in ACTIONS:
        show = next((a for a in ACTIONS if counts[a]), "create")
    rows = [row for row in batch.plan if row["action"] == show]
    page = page_of(rows, PREVIEW_PAGE_SIZE, request.GET.get("page"))
    context = {
        "batch": batch,
        "counts": counts,
        "show": show,
        "page": page,
        "table": preview_table(batch.kind, page.object_list),
        "problems_hidden": batch.counts.get("problems", 0) - len(batch.problems),
    }
    return render(request, "stakeholders/imports/detail.html", context)


@dataclass(frozen=True)
class PreviewCell:
    value: str
    changed: bool = False
    old: str = ""  # the value it replaces, when changed


@dataclass(frozen=True)
class PreviewTable:
    columns: list[str]  # the file's columns, in the sheet's order
    rows: list[tuple[dict, list[PreviewCell]]]  # (plan row, one cell per column)


def preview_table(kind: str, rows: list[dict]) -> PreviewTable:
    """The planned rows as a table: the columns the file sets, one line per record,
    each cell with the value and, for an update, whether it changes and from what."""
    order = spreadsheets.SHEETS[kind].names
    present = {name for row in rows for name in row["values"]}
    columns = [name for name in order if name in present] + sorted(present - set(order))
    lines = []
    for row in rows:
        changes = {name: old for name, old, _ in row.get("changes", ())}
        cells = [
            PreviewCell(
                value=spreadsheets.display_value(row["values"].get(name)),
                changed=name in changes,
                old=changes.get(name, ""),
            )
            for name in columns
        ]
        lines.append((row, cells))
    return PreviewTable(columns=columns, rows=lines)


@require_POST
def import_confirm(request: HttpRequest, batch_id: int) -> HttpResponse:
    access.require_lead(request.user)
    batch = get_object_or_404(ImportBatch.objects.only("pk"), pk=batch_id)
    try:
        result = spreadsheets.batch_apply(batch_id=batch.pk, user=request.user)
    except spreadsheets.BatchNotReady as error:
        messages.error(request, f"Nothing was imported. {error}")
    else:
        if result.ok:
            counts = result.counts
            messages.success(
                request,
                f"Imported: {counts['create']} created, {counts['update']} updated, "
                f"{counts['unchanged']} unchanged.",
            )
        else:
            messages.error(
                request,
                "Nothing was imported: the registry changed since the preview and some rows "
                "no longer fit (listed below). Fix the file and upload it again.",
            )
    return redirect("stakeholders:import-detail", batch_id=batch.pk)


@require_GET
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty file with the header row of a kind of import."""
    access.require_lead(request.user)
    return attachment(spreadsheets.template_dataset(kind), fmt, f"{kind}-template")
