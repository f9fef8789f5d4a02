-- credits: buying Data Credits with tokens. The oracle's token prices (every one an admin set, with
-- the outbox key of the CreditsBurner.setPrice it was pushed with), the CreditsBought logs event
-- sync reported (one row per log: the chain's coordinates are the key, so a log read again is
-- recognised), and the embedded chain's faucet grants (one per wallet).
create table credits_price (
    id          bigserial    primary key,
    price_e8    bigint       not null check (price_e8 > 0),
    observed_at timestamptz  not null,
    set_by      varchar(42)  not null,
    effect_key  varchar(200) not null unique,
    set_at      timestamptz  not null
);
create index credits_price_newest on credits_price (id desc);

create table credits_burn (
    chain_id     bigint        not null,
    tx_hash      varchar(66)   not null,
    log_index    integer       not null check (log_index >= 0),
    block_number bigint        not null,
    buyer        varchar(42)   not null,
    account      varchar(66)   not null,
    wallet       varchar(42),
    token_amount numeric(78)   not null check (token_amount > 0),
    price_e8     numeric(78)   not null,
    dc           numeric(78)   not null check (dc >= 0),
    status       varchar(12)   not null check (status in ('MINTED', 'UNCLAIMABLE')),
    problem      varchar(500),
    recorded_at  timestamptz   not null,
    primary key (chain_id, tx_hash, log_index),
    check ((status = 'MINTED') = (wallet is not null))
);
create index credits_burn_wallet on credits_burn (wallet, recorded_at desc);

create table credits_faucet (
    wallet      varchar(42)   primary key,
    wei         numeric(78)   not null check (wei >= 0),
    tokens      numeric(78)   not null check (tokens >= 0),
    ether_key   varchar(200)  not null,
    tokens_key  varchar(200),
    granted_at  timestamptz   not null
);
