-- pools: operators (each backed by an operator NFT), pools, their GPUs (each minted as a GPU NFT),
-- members of distributed pools with an audit log, and uptime from heartbeats.

create sequence pools_operator_id_seq;
create table pools_operator (
    id            bigint primary key,                   -- the operator NFT's token id
    name          varchar(80)  not null check (length(trim(name)) > 0),
    requested_by  varchar(42)  not null check (requested_by ~ '^0x[0-9a-f]{40}$'),
    created_at    timestamptz  not null
);
create index pools_operator_requested_by on pools_operator (requested_by);

create sequence pools_pool_id_seq;
create table pools_pool (
    id                     bigint primary key,          -- also the pool id on time-slot NFTs
    operator_id            bigint       not null references pools_operator (id),
    name                   varchar(80)  not null check (length(trim(name)) > 0),
    mode                   varchar(16)  not null check (mode in ('SELF', 'SINGLE_SOURCE', 'DISTRIBUTED')),
    model_id               varchar(40)  not null,
    region                 varchar(60)  not null check (length(trim(region)) > 0),
    spot_dc_per_hour       bigint       not null check (spot_dc_per_hour >= 0),
    on_demand_dc_per_hour  bigint       not null check (on_demand_dc_per_hour >= 0),
    operator_bps           integer      not null check (operator_bps between 0 and 10000),
    pool_bps               integer      not null check (pool_bps between 0 and 10000),
    used_gpu_bps           integer      not null check (used_gpu_bps between 0 and 10000),
    pending_operator_bps   integer      check (pending_operator_bps between 0 and 10000),
    pending_pool_bps       integer      check (pending_pool_bps between 0 and 10000),
    pending_used_gpu_bps   integer      check (pending_used_gpu_bps between 0 and 10000),
    pending_from_epoch     bigint,
    notice_period_seconds  bigint       not null check (notice_period_seconds >= 0),
    min_uptime_bps         integer      not null check (min_uptime_bps between 0 and 10000),
    uptime_window_seconds  bigint       not null check (uptime_window_seconds > 0),
    max_failures           integer      not null check (max_failures >= 0),
    warning_grace_seconds  bigint       not null check (warning_grace_seconds >= 0),
    created_at             timestamptz  not null,
    updated_at             timestamptz  not null,
    check (operator_bps + pool_bps + used_gpu_bps = 10000),
    check ((pending_from_epoch is null) = (pending_operator_bps is null)
       and (pending_from_epoch is null) = (pending_pool_bps is null)
       and (pending_from_epoch is null) = (pending_used_gpu_bps is null)),
    check (pending_from_epoch is null or pending_operator_bps + pending_pool_bps + pending_used_gpu_bps = 10000)
);
create index pools_pool_operator on pools_pool (operator_id);

-- Reserved prices by term length; longer terms may be cheaper.
create table pools_reserved_price (
    pool_id       bigint  not null references pools_pool (id) on delete cascade,
    term_days     integer not null check (term_days > 0),
    dc_per_hour   bigint  not null check (dc_per_hour >= 0),
    primary key (pool_id, term_days)
);

create table pools_member (
    pool_id       bigint       not null references pools_pool (id),
    operator_id   bigint       not null references pools_operator (id),
    status        varchar(12)  not null check (status in ('REQUESTED', 'ACTIVE', 'WARNED', 'LEAVING', 'REFUSED', 'REMOVED', 'LEFT')),
    message       varchar(500),
    requested_at  timestamptz  not null,
    decided_at    timestamptz,
    warned_at     timestamptz,
    leaves_at     timestamptz,
    primary key (pool_id, operator_id)
);

create sequence pools_gpu_id_seq;
create table pools_gpu (
    id                      bigint primary key,          -- the GPU NFT's token id
    pool_id                 bigint       not null references pools_pool (id),
    operator_id             bigint       not null references pools_operator (id),
    host_name               varchar(253) not null check (length(trim(host_name)) > 0),
    serial_number           varchar(100) not null check (length(trim(serial_number)) > 0),
    gpu_uuid                varchar(64)  not null,
    status                  varchar(12)  not null check (status in ('REGISTERED', 'CERTIFIED', 'MINTING', 'MINTED', 'ACTIVE', 'OFFLINE', 'LEAVING', 'RETIRED')),
    certificate_hash        varchar(66),
    mint_to                 varchar(42),
    purchase_date           date,
    in_service_date         date,
    hosting_agreement_url   varchar(500),
    ownership_contract_url  varchar(500),
    last_heartbeat_at       timestamptz,
    leaves_at               timestamptz,
    registered_at           timestamptz  not null,
    updated_at              timestamptz  not null
);
-- A physical GPU is in at most one pool at a time.
create unique index pools_gpu_uuid_in_service on pools_gpu (gpu_uuid) where status <> 'RETIRED';
create index pools_gpu_pool on pools_gpu (pool_id);
create index pools_gpu_operator on pools_gpu (operator_id);

-- Every status change of a GPU: its history on the pages, and its failures (going offline).
create table pools_gpu_event (
    id           bigserial primary key,
    gpu_id       bigint       not null references pools_gpu (id),
    from_status  varchar(12),
    to_status    varchar(12)  not null,
    reason       varchar(500),
    at           timestamptz  not null
);
create index pools_gpu_event_gpu on pools_gpu_event (gpu_id, at);

-- Every change of membership, by whom (a wallet, or 'policy') and why.
create table pools_membership_audit (
    id           bigserial primary key,
    pool_id      bigint       not null references pools_pool (id),
    operator_id  bigint       not null references pools_operator (id),
    action       varchar(20)  not null,
    reason       varchar(500),
    actor        varchar(42)  not null,
    at           timestamptz  not null
);
create index pools_membership_audit_pool on pools_membership_audit (pool_id, at);

-- Uptime: one row per GPU per hour; bit i of mask is set when a heartbeat arrived in the i-th
-- interval of that hour (3600 / length(mask) seconds each). Setting a bit twice changes nothing,
-- so heartbeats may arrive at any instance, in any order, more than once.
create table pools_uptime (
    gpu_id  bigint       not null references pools_gpu (id),
    hour    bigint       not null,                        -- seconds since 1970 / 3600
    mask    bit varying  not null,
    primary key (gpu_id, hour)
);
