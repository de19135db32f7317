-- A credential for each purpose: every node holds its own bearer credential, bound to its node id, that it receives
-- once by enrolling with the cluster's join token. Only the credential's SHA-256 is stored (hex), so a copy of this
-- table lets nobody heartbeat as a node. A revoked node keeps its row with revoked_at set and no hash: it cannot
-- enrol again until an admin clears the revocation.
-- Plain SQL that H2 (2.x) and PostgreSQL both run; times are epoch milliseconds.
create table node_credentials (
    node_id       varchar(128) not null primary key,
    secret_sha256 varchar(64),
    issued_at     bigint       not null,
    revoked_at    bigint,
    constraint node_credentials_secret_unique unique (secret_sha256)
);

-- Keys only the control API holds, made at first start (random, 256 bits, base64url). 'forward' signs the token an
-- edge shows a compositor for one composition input.
create table cluster_keys (
    name       varchar(64)  not null primary key,
    key_value  varchar(128) not null,
    created_at bigint       not null
);
