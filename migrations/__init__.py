"""Alembic migrations. A package so revisions can import their frozen helpers
(`migrations.helpers`); alembic.ini puts the repository root on sys.path for them."""
