-- The market's orders and the holds that allocate specific GPUs to them over time (DESIGN section 6).
--
-- A hold is (order, GPU, kind, [start, end)). Two constraints, enforced by PostgreSQL and not only by
-- code, say what may never happen:
--   * market_hold_firm: a GPU is never held by two reservations, or by a reservation and an
--     on-demand rental, or by two on-demand rentals, at overlapping times;
--   * market_hold_spot: a GPU runs at most one spot rental at a time.
-- Spot holds are not in the first constraint, so they never block a reservation or an on-demand
-- rental: the market gives the spot rental notice instead (its holds end at the notice's end).
-- An upper bound of null (infinity) is a pay-as-you-go hold with no end yet.
create extension if not exists btree_gist;

create sequence market_order_seq;

create table market_order (
    id               bigint primary key,
    customer         varchar(42)  not null,
    idempotency_key  varchar(100) not null,
    request_hash     varchar(64)  not null,
    pool_id          bigint       not null,
    kind             varchar(16)  not null check (kind in ('SPOT', 'ON_DEMAND', 'RESERVED')),
    status           varchar(16)  not null check (status in ('SCHEDULED', 'STARTING', 'RUNNING', 'PREEMPTING', 'PREEMPTED',
                                                             'STOPPED', 'ENDED', 'FAILED')),
    gpus             integer      not null check (gpus between 1 and 1000),
    start_at         timestamptz  not null,
    end_at           timestamptz,
    dc_per_gpu_hour  bigint       not null check (dc_per_gpu_hour >= 0),
    price_dc         bigint       not null check (price_dc >= 0),
    charged_dc       bigint       not null default 0 check (charged_dc >= 0),
    guaranteed_until timestamptz,
    notice_stops_at  timestamptz,
    workload         jsonb,
    slot_token_id    numeric(78)  not null unique,
    created_at       timestamptz  not null,
    ended_at         timestamptz,
    constraint market_order_key unique (customer, idempotency_key),
    constraint market_order_window check (end_at is null or start_at <= end_at), -- equal: stopped before it ran
    constraint market_order_reserved_ends check (kind <> 'RESERVED' or end_at is not null),
    constraint market_order_on_demand_guarantee check (kind <> 'ON_DEMAND' or guaranteed_until is not null)
);

create index market_order_customer on market_order (customer, id desc);
create index market_order_open on market_order (status) where status not in ('PREEMPTED', 'STOPPED', 'ENDED', 'FAILED');

create table market_hold (
    id        bigserial   primary key,
    order_id  bigint      not null references market_order (id),
    pool_id   bigint      not null,
    gpu_id    bigint      not null,
    gpu_uuid  varchar(64) not null,
    kind      varchar(16) not null check (kind in ('SPOT', 'ON_DEMAND', 'RESERVED')),
    during    tstzrange   not null check (not isempty(during) and lower_inc(during) and not upper_inc(during)
                                          and not lower_inf(during)),
    constraint market_hold_firm exclude using gist (gpu_id with =, during with &&) where (kind <> 'SPOT'),
    constraint market_hold_spot exclude using gist (gpu_id with =, during with &&) where (kind = 'SPOT')
);

create index market_hold_order on market_hold (order_id);
create index market_hold_pool on market_hold using gist (pool_id, during);
-- on-demand holds now and later, which reservations avoid: few among many reservations, so their own index
create index market_hold_on_demand on market_hold using gist (pool_id, during) where kind = 'ON_DEMAND';
