-- pools: what node agents report about the workloads of leases (pools.WorkloadReports).
-- A report is accepted only for a lease that the lease feed gives to one of the caller's GPUs at
-- that moment, so every row names a real GPU; the lease id is the lease source's (the market's).

-- The latest report per lease and GPU. Replicas write their buffered reports with an upsert that
-- keeps the later one, so the order in which they flush does not matter.
create table pools_workload (
    lease_id    text         not null check (length(lease_id) between 1 and 100),
    gpu_id      bigint       not null references pools_gpu (id),
    state       text         not null check (state in ('STARTING', 'RUNNING', 'FAILED', 'STOPPED')),
    reason      text         check (length(reason) <= 200),
    endpoint    text         check (length(endpoint) <= 262),
    reported_at timestamptz  not null,
    primary key (lease_id, gpu_id)
);

-- The minutes in which the agent reported a lease's workload RUNNING on a GPU, one row per lease,
-- GPU and hour: bit i (from 0) of mask is minute i of the hour. The market charges exactly these
-- minutes. Written by OR-ing masks, which is idempotent, so any replica may receive any report.
create table pools_workload_minutes (
    lease_id text     not null check (length(lease_id) between 1 and 100),
    gpu_id   bigint   not null references pools_gpu (id),
    hour     bigint   not null,                        -- seconds since 1970 / 3600
    mask     bit(60)  not null,
    primary key (lease_id, gpu_id, hour)
);
