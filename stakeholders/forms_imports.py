"""The upload form of spreadsheet imports (kept apart from forms.py, which other pages share)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from stakeholders.models import ImportKind


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        help_text="Import departments first, then people, then social accounts: "
        "people and accounts refer to departments and people already registered.",
    )
    file = forms.FileField(
        label="Spreadsheet",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = settings.UPLOAD_MAX_BYTES
        self.fields[
            "file"
        ].help_text = (
            f"CSV (UTF-8) or Excel workbook (.xlsx), up to {filesizeformat(self.max_bytes)}."
        )
