-- chain: when the node refuses an outbox transaction for good (insufficient funds, intrinsic gas
-- too low, invalid ...), the row becomes FAILED and its nonce gets a no-op (a 0-value transfer to
-- the signer itself), so that later transactions are not held up behind the gap and the refused
-- bytes can never be mined. A filler is sent until it is mined or its nonce is otherwise used.
create table chain_nonce_fill (
    signer      varchar(42)   not null,
    nonce       bigint        not null check (nonce >= 0),
    outbox_id   bigint        not null references chain_outbox (id),
    raw_tx      text          not null,
    tx_hash     varchar(66)   not null unique,
    attempts    integer       not null default 0,
    last_error  varchar(1000),
    created_at  timestamptz   not null,
    sent_at     timestamptz,
    done_at     timestamptz,
    primary key (signer, nonce)
);
create index chain_nonce_fill_open on chain_nonce_fill (nonce) where done_at is null;
