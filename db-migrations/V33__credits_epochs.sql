-- credits: the epochs the settlement job closes, settles and publishes (credits.EpochSettlement),
-- what each settlement read and computed, and the cumulative entitlements behind each Merkle root.

create table credits_epoch (
    epoch          bigint         primary key check (epoch >= 0),
    start_at       timestamptz    not null,
    end_at         timestamptz    not null check (end_at > start_at),
    status         varchar(10)    not null check (status in ('OPEN', 'CLOSED', 'SETTLED', 'PUBLISHED')),
    emission       numeric(78, 0) not null check (emission >= 0),
    -- Burns posted before this instant (and metered before end_at) are counted in this epoch or an
    -- earlier one; later posts roll into the next epoch (docs/decisions.md, "Epochs and settlement").
    posted_before  timestamptz,
    total_dc       bigint         check (total_dc >= 0),
    minted         numeric(78, 0) check (minted >= 0),
    inputs         text,
    result         text,
    inputs_digest  varchar(64)    check (inputs_digest ~ '^[0-9a-f]{64}$'),
    merkle_root    varchar(66)    check (merkle_root ~ '^0x[0-9a-f]{64}$'),
    root_effect    varchar(200),
    closed_at      timestamptz,
    settled_at     timestamptz,
    published_at   timestamptz,
    check ((status in ('OPEN', 'CLOSED')) = (inputs is null)),
    check ((status in ('OPEN', 'CLOSED')) = (result is null))
);
create index credits_epoch_status on credits_epoch (status, epoch) where status <> 'PUBLISHED';

-- Every holder's entitlement: what epoch `epoch` pays it (`amount`, possibly 0) and its total from
-- the first settled epoch through this one (`cumulative`), one row per holder that has ever earned.
create table credits_entitlement (
    epoch       bigint         not null references credits_epoch (epoch),
    account     varchar(42)    not null check (account ~ '^0x[0-9a-f]{40}$'),
    amount      numeric(78, 0) not null check (amount >= 0),
    cumulative  numeric(78, 0) not null check (cumulative > 0 and cumulative >= amount),
    primary key (epoch, account)
);
create index credits_entitlement_account on credits_entitlement (account, epoch);

-- What each GPU NFT earned in each epoch, with its holder at the epoch's end (the public page of a
-- GPU NFT, projected yields); operators' earnings per pool beside it.
create table credits_epoch_gpu (
    epoch           bigint         not null references credits_epoch (epoch),
    gpu_token       numeric(78, 0) not null,
    pool_id         bigint         not null,
    holder          varchar(42)    not null,
    online_seconds  bigint         not null,
    dc_consumed     bigint         not null,
    reward          numeric(78, 0) not null,
    primary key (epoch, gpu_token)
);
create index credits_epoch_gpu_token on credits_epoch_gpu (gpu_token, epoch);
create index credits_epoch_gpu_holder on credits_epoch_gpu (holder, epoch);

create table credits_epoch_pool (
    epoch            bigint         not null references credits_epoch (epoch),
    pool_id          bigint         not null,
    operator_token   numeric(78, 0) not null,
    operator_holder  varchar(42)    not null,
    dc_consumed      bigint         not null,
    allocation       numeric(78, 0) not null,
    operator_reward  numeric(78, 0) not null,
    primary key (epoch, pool_id)
);
create index credits_epoch_pool_holder on credits_epoch_pool (operator_holder, epoch);
