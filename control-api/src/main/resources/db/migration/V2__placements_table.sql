-- Where each stream and composition runs moves to a narrow table of its own (issue 4 line 11).
-- Placing 10,000 streams rewrote 10,000 wide rows (the spec JSON rides along in every row version H2 writes, and its
-- undo log copies the old one) plus an entry of a by-node index nothing reads: the control API answers "what runs on
-- node X" from its in-memory AssignmentIndex. A placement row is a few dozen bytes, so recording a placement round
-- costs a fraction of what it did, and a user's spec change and the placer's move no longer write the same row.
-- `version` counts placement writes; the version shown for a stream is its row's plus its placement's.
-- Plain SQL that H2 (2.x) and PostgreSQL both run.
create table placements (
    id             varchar(36)    not null primary key,
    assigned_node  varchar(128),
    state          varchar(16)    not null,
    pending_reason varchar(1000),
    version        bigint         not null
);
insert into placements (id, assigned_node, state, pending_reason, version)
    select id, assigned_node, state, pending_reason, 0 from streams;
insert into placements (id, assigned_node, state, pending_reason, version)
    select id, assigned_node, state, pending_reason, 0 from compositions;

drop index streams_assigned_node;
drop index compositions_assigned_node;
alter table streams drop column assigned_node;
alter table streams drop column state;
alter table streams drop column pending_reason;
alter table compositions drop column assigned_node;
alter table compositions drop column state;
alter table compositions drop column pending_reason;
