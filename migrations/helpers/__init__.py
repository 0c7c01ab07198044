"""Helpers the revisions share, frozen by version: a revision imports a versioned module here
(never the application, which keeps changing), and a helper module, once a revision uses it,
is never edited; a change is a new module (rls_v2.py) for the revisions that follow."""
