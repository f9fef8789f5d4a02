-- chain: the history of NFT transfers with their blocks' times (who held a token at an instant:
-- settlement pays the holders at an epoch's end), how far in time event sync has read, and the
-- EpochRewards claims it has seen.

create table chain_transfer (
    kind          varchar(12)    not null check (kind in ('OPERATOR', 'GPU', 'TIME_SLOT')),
    token_id      numeric(78, 0) not null check (token_id >= 0),
    block_number  bigint         not null,
    log_index     integer        not null,
    block_time    timestamptz    not null,
    from_address  varchar(42)    not null,
    to_address    varchar(42)    not null,
    tx_hash       varchar(66)    not null,
    primary key (kind, token_id, block_number, log_index)
);
create index chain_transfer_at on chain_transfer (kind, token_id, block_time);

-- Tokens synced before this history was kept: their current holder since the beginning of time.
insert into chain_transfer (kind, token_id, block_number, log_index, block_time, from_address, to_address, tx_hash)
select kind, token_id, last_block, last_log_index, timestamptz '1970-01-01 00:00:00+00',
       '0x0000000000000000000000000000000000000000', case when burned then '0x0000000000000000000000000000000000000000' else owner end, last_tx
from chain_token;

-- Every transfer with a block time before synced_through has been read (see chain.EventSync).
alter table chain_sync add column synced_through timestamptz;

create table chain_claim (
    tx_hash       varchar(66)    not null,
    log_index     integer        not null,
    account       varchar(42)    not null,
    epoch         numeric(78, 0) not null,
    amount        numeric(78, 0) not null,
    cumulative    numeric(78, 0) not null,
    block_number  bigint         not null,
    block_time    timestamptz    not null,
    primary key (tx_hash, log_index)
);
create index chain_claim_account on chain_claim (account, block_number);
