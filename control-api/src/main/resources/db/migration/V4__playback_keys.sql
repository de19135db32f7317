-- Keys that sign playback tokens of signed outputs (output.playback = signed). The control API signs with the newest
-- key; nodes verify with the keys the heartbeat answer lists (the newest, and the previous one until its grace period
-- after a rotation ends). A key is a secret: it leaves the control API only in heartbeat answers to nodes.
-- Times are epoch milliseconds; retired_at is null until a rotation replaces the key.
-- Plain SQL that H2 (2.x) and PostgreSQL both run.
create table playback_keys (
    id          varchar(36)  not null primary key,
    secret      varchar(128) not null,
    created_at  bigint       not null,
    retired_at  bigint
);
