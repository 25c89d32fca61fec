"""Writes of the registry. Keyword-only, typed, one transaction each; every change
asks for a recompute of the assessment with governance.services.snapshot_request().

Sections: people, seats (nominate → approve | decline | withdraw; approved → ended),
social accounts, departments.
"""

# --- People ---------------------------------------------------------------------

# --- Seats ----------------------------------------------------------------------

# --- Social accounts --------------------------------------------------------------

# --- Departments -------------------------------------------------------------------
