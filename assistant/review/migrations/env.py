"""Alembic environment: run on the connection the store opened (store.py), never from alembic.ini."""
from alembic import context

from assistant.review.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
