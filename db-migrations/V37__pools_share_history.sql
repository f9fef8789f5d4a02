-- pools: the reward shares in force from each epoch on. A pool's row holds the current shares (and
-- a pending change); settlement of an epoch that has already ended reads the shares that were in
-- force during it from here, so a change that applies at the next epoch's start is never used for
-- the epoch before it, however late that epoch is settled.
create table pools_pool_shares (
    pool_id      bigint  not null references pools_pool (id),
    from_epoch   bigint  not null check (from_epoch >= 0),
    operator_bps integer not null check (operator_bps between 0 and 10000),
    pool_bps     integer not null check (pool_bps between 0 and 10000),
    used_gpu_bps integer not null check (used_gpu_bps between 0 and 10000),
    primary key (pool_id, from_epoch),
    check (operator_bps + pool_bps + used_gpu_bps = 10000)
);

-- What was in force before this history was kept: the current shares, from the first epoch.
insert into pools_pool_shares (pool_id, from_epoch, operator_bps, pool_bps, used_gpu_bps)
select id, 0, operator_bps, pool_bps, used_gpu_bps from pools_pool;
