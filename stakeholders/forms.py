"""Forms of the registry (crispy, Bootstrap 5). Forms parse and validate; services write."""

# --- Nominations and decisions ---------------------------------------------------

# --- Social accounts --------------------------------------------------------------
