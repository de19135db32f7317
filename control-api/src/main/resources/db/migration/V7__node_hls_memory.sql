-- The HLS memory a node reports in its heartbeat (what its HLS windows hold, and its budget, media.hlsMemoryBytes)
-- is written with the rest of the node, so the replica that places streams books each node's HLS share against the
-- budget even when the heartbeat went to another replica. 0 means "not reported": placement then judges the node by
-- capacity alone, as before. V7: V6 is kept for the webhooks table.
-- Plain SQL that H2 (2.x) and PostgreSQL both run.
alter table nodes add column hls_memory_bytes bigint default 0 not null;
alter table nodes add column hls_memory_budget_bytes bigint default 0 not null;
