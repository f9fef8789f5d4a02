-- Failover (market.Failover) hands the rest of a reservation's hold on an offline GPU to another GPU
-- of the pool; the escrow follows it (credits.Credits.moveEscrowGpu): from from_at on, the share of
-- the escrow at position `position` of its gpu_ids is served by gpu_id, so epoch settlement burns
-- that share's minutes after from_at on gpu_id (credits.EscrowDues) and the GPU that served them is
-- the one credited with the consumption.
create table credits_escrow_gpu_move (
    escrow_id varchar(100) not null references credits_escrow (escrow_id),
    position  integer      not null check (position >= 0),
    from_at   timestamptz  not null,
    gpu_id    bigint       not null,
    primary key (escrow_id, position, from_at)
);
