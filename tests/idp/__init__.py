"""A real OpenID Connect provider for the single sign-on tests: django-oidc-provider in
its own Django process, on its own SQLite file (see `fixtures.py`)."""

# The client the provider registers for Roundtable (serve.py) and the tests configure.
CLIENT_ID = "roundtable"
CLIENT_SECRET = "roundtable-test-secret"
