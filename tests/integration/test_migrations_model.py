"""The migrations build exactly the schema that ``tables.py`` declares.

Alembic's autogenerate comparison (the one ``alembic revision --autogenerate`` uses) over a
database migrated from empty: anything it finds is a migration someone forgot to write, or
a model edited without one.
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, Text
from sqlalchemy.engine import Connection

from app.infra.postgres.tables import metadata
from tests.integration.scratch import scratch_database, upgrade

pytestmark = pytest.mark.db


def _differences(connection: Connection, model: MetaData) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, model))


def _model_with_an_unmigrated_column() -> MetaData:
    model = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(model)
    model.tables["projects"].append_column(Column("nickname", Text(), nullable=True))
    return model


async def test_an_empty_database_migrated_to_head_is_what_tables_py_declares(
    server_url: str,
) -> None:
    async with scratch_database(server_url) as engine:
        await upgrade(engine, "head")
        async with engine.connect() as conn:
            differences = await conn.run_sync(_differences, metadata)
            # The comparison is not blind: a column the migrations lack is reported.
            drifted = await conn.run_sync(_differences, _model_with_an_unmigrated_column())
    assert differences == []
    assert [(d[0], d[2], d[3].name) for d in drifted] == [("add_column", "projects", "nickname")]
