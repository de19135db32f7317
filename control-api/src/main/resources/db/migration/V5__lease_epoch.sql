-- The lease carries a fencing epoch: it rises each time leadership changes hands (or a lapsed lease is taken again),
-- and every placement write checks, in its own transaction, that the writer still holds the lease with the epoch it
-- won. A replica that lost the lease while paused (GC, network) then cannot write with its stale epoch.
-- expires_at stays epoch milliseconds but is now computed from the database's clock, never a replica's.
-- Plain SQL that H2 (2.x) and PostgreSQL both run.
alter table leader_lease add column epoch bigint default 0 not null;
