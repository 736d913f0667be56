"""Alembic environment: runs migrations online against the configured URL."""
from alembic import context
from sqlalchemy import create_engine, pool

from db.models import Base

config = context.config


def run_migrations_online() -> None:
    """Migrate in one transaction; SQLite gets batch mode so ALTERs work there too."""
    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
