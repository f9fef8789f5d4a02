-- chain: the contracts in use, the transaction outbox, the signer's nonces, and the mirror of
-- NFT ownership that event sync keeps up to date.

create table chain_contract (
    chain_id     bigint      not null,
    name         varchar(40) not null,
    address      varchar(42) not null check (address ~ '^0x[0-9a-f]{40}$'),
    deployed_tx  varchar(66),
    deployed_block bigint,
    recorded_at  timestamptz not null,
    primary key (chain_id, name)
);

-- One row per effect that other modules asked for. A row's transaction is signed (with a nonce
-- of its own) and stored before it is sent, so a crash can only lead to the same signed
-- transaction being sent again, never to a second one.
create table chain_outbox (
    id            bigserial primary key,
    effect_key    varchar(200) not null unique,
    kind          varchar(40)  not null,
    contract      varchar(40)  not null,
    payload       jsonb        not null,
    status        varchar(12)  not null check (status in ('PENDING', 'SENT', 'CONFIRMED', 'FAILED')),
    signer        varchar(42),
    nonce         bigint,
    tx_hash       varchar(66) unique,
    raw_tx        text,
    attempts      integer      not null default 0,
    last_error    varchar(1000),
    created_at    timestamptz  not null,
    signed_at     timestamptz,
    sent_at       timestamptz,
    block_number  bigint,
    confirmed_at  timestamptz,
    check ((status = 'PENDING') = (nonce is null)),
    check ((nonce is null) = (raw_tx is null) and (nonce is null) = (signer is null))
);
create unique index chain_outbox_signer_nonce on chain_outbox (signer, nonce);
create index chain_outbox_open on chain_outbox (status, id) where status in ('PENDING', 'SENT');

create table chain_signer (
    chain_id    bigint      not null,
    address     varchar(42) not null,
    next_nonce  bigint      not null check (next_nonce >= 0),
    primary key (chain_id, address)
);

create table chain_sync (
    chain_id    bigint primary key,
    last_block  bigint not null
);

create table chain_token (
    kind            varchar(12)    not null check (kind in ('OPERATOR', 'GPU', 'TIME_SLOT')),
    token_id        numeric(78, 0) not null check (token_id >= 0),
    contract        varchar(42)    not null,
    owner           varchar(42)    not null,
    burned          boolean        not null default false,
    minted_tx       varchar(66),
    last_tx         varchar(66)    not null,
    last_block      bigint         not null,
    last_log_index  integer        not null,
    user_address    varchar(42),
    user_expires    timestamptz,
    slot_pool       numeric(78, 0),
    slot_gpu_count  integer,
    slot_start      timestamptz,
    slot_end        timestamptz,
    primary key (kind, token_id)
);
create index chain_token_owner on chain_token (owner) where not burned;
