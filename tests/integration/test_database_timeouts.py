"""Every service connection carries the configured statement and lock timeouts, and a
timeout is an Unavailable (503) that says the work timed out."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.domain.common.errors import Unavailable
from app.infra.postgres.engine import Timeouts, make_engine
from app.infra.postgres.uow import SqlUnitOfWork


async def test_connections_carry_the_timeouts_and_a_held_lock_costs_a_timed_out_503(
    server_url: str,
) -> None:
    bounded = make_engine(
        server_url, pool_size=1, timeouts=Timeouts(statement_ms=1500, lock_ms=100)
    )
    holder = make_engine(server_url, pool_size=1)
    try:
        async with bounded.connect() as conn:
            assert await conn.scalar(text("SHOW statement_timeout")) == "1500ms"
            assert await conn.scalar(text("SHOW lock_timeout")) == "100ms"
        async with holder.connect() as held:
            await held.execute(text("SELECT pg_advisory_lock(4242)"))
            with pytest.raises(Unavailable) as lock_wait:
                async with SqlUnitOfWork(bounded) as uow:
                    await uow.connection.execute(text("SELECT pg_advisory_xact_lock(4242)"))
            await held.execute(text("SELECT pg_advisory_unlock(4242)"))
        assert lock_wait.value.outcome == "timed_out"
        with pytest.raises(Unavailable) as slow:
            async with SqlUnitOfWork(bounded) as uow:
                await uow.connection.execute(text("SELECT pg_sleep(3)"))
        assert slow.value.outcome == "timed_out"
    finally:
        await bounded.dispose()
        await holder.dispose()
