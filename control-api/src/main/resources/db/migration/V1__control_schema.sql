-- Plain SQL that H2 (2.x) and PostgreSQL both run, so one migration serves both databases.
-- Times are epoch milliseconds (bigint): no time-zone handling differs between the two.

create table nodes (
    id            varchar(128)     not null primary key,
    role          varchar(16)      not null,
    rtmp_url      varchar(2048)    not null,
    http_url      varchar(2048)    not null,
    capacity      double precision not null,
    cpu           double precision not null,
    memory_bytes  bigint           not null,
    up            boolean          not null,
    last_seen     bigint           not null,
    registered_at bigint           not null
);

create table streams (
    id             varchar(36)    not null primary key,
    name           varchar(64)    not null,
    spec_json      varchar(200000) not null,
    key_hash       varchar(64),
    assigned_node  varchar(128),
    state          varchar(16)    not null,
    pending_reason varchar(1000),
    version        bigint         not null,
    created_at     bigint         not null,
    constraint streams_name_unique unique (name),
    constraint streams_key_hash_unique unique (key_hash)
);
create index streams_assigned_node on streams (assigned_node);

create table compositions (
    id             varchar(36)    not null primary key,
    name           varchar(64)    not null,
    spec_json      varchar(200000) not null,
    assigned_node  varchar(128),
    state          varchar(16)    not null,
    pending_reason varchar(1000),
    version        bigint         not null,
    created_at     bigint         not null,
    constraint compositions_name_unique unique (name)
);
create index compositions_assigned_node on compositions (assigned_node);

-- One row per lease; the holder renews it with a conditional UPDATE (issue 4 line 9).
create table leader_lease (
    name       varchar(64)  not null primary key,
    holder     varchar(128),
    expires_at bigint       not null
);
insert into leader_lease (name, holder, expires_at) values ('control', null, 0);
