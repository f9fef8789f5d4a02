-- chain: what event sync keeps of the time slots' lineage and closes (TimeSlotNFT version 2) and
-- of their resale (SlotMarket). chain_slot_log holds every such log once per (chain id, tx hash,
-- log index): its insert, in the sync's transaction, decides whether the log is new, so the rows
-- below and the CDI events fired for the market are made exactly once, however often a range of
-- blocks is read again.

create table chain_slot_log (
    chain_id      bigint       not null,
    tx_hash       varchar(66)  not null,
    log_index     integer      not null,
    block_number  bigint       not null,
    event         varchar(12)  not null check (event in ('SPLIT', 'MERGE', 'CLOSE', 'LISTED', 'CANCELLED', 'SOLD')),
    primary key (chain_id, tx_hash, log_index)
);

-- A split gives two rows (parent -> each piece), a merge two rows (each parent -> the merged slot).
create table chain_slot_lineage (
    chain_id      bigint         not null,
    tx_hash       varchar(66)    not null,
    log_index     integer        not null,
    event         varchar(5)     not null check (event in ('SPLIT', 'MERGE')),
    parent        numeric(78, 0) not null,
    child         numeric(78, 0) not null,
    block_number  bigint         not null,
    block_time    timestamptz    not null,
    primary key (chain_id, tx_hash, log_index, parent, child),
    foreign key (chain_id, tx_hash, log_index) references chain_slot_log
);
create index chain_slot_lineage_parent on chain_slot_lineage (chain_id, parent);
create index chain_slot_lineage_child on chain_slot_lineage (chain_id, child);

create table chain_slot_close (
    chain_id      bigint         not null,
    tx_hash       varchar(66)    not null,
    log_index     integer        not null,
    token_id      numeric(78, 0) not null,
    closed_at     numeric(20, 0) not null check (closed_at between 0 and 18446744073709551615),
    block_number  bigint         not null,
    block_time    timestamptz    not null,
    primary key (chain_id, tx_hash, log_index),
    foreign key (chain_id, tx_hash, log_index) references chain_slot_log
);

-- One row per Listed log; it ends when the slot is sold, the listing cancelled or replaced.
create table chain_listing (
    chain_id        bigint         not null,
    tx_hash         varchar(66)    not null,
    log_index       integer        not null,
    token_id        numeric(78, 0) not null,
    seller          varchar(42)    not null,
    price           numeric(78, 0) not null check (price > 0),
    block_number    bigint         not null,
    block_time      timestamptz    not null,
    ended           varchar(10)    check (ended in ('SOLD', 'CANCELLED', 'RELISTED')),
    ended_tx        varchar(66),
    ended_block     bigint,
    primary key (chain_id, tx_hash, log_index),
    foreign key (chain_id, tx_hash, log_index) references chain_slot_log,
    check ((ended is null) = (ended_tx is null))
);
create unique index chain_listing_open on chain_listing (chain_id, token_id) where ended is null;

-- One row per Sold log, with the terms of the piece sold (for a price history).
create table chain_sale (
    chain_id        bigint         not null,
    tx_hash         varchar(66)    not null,
    log_index       integer        not null,
    listed_token_id numeric(78, 0) not null,
    piece_id        numeric(78, 0) not null,
    seller          varchar(42)    not null,
    buyer           varchar(42)    not null,
    price           numeric(78, 0) not null,
    pool            numeric(78, 0) not null,
    gpu_count       bigint         not null,
    start_seconds   numeric(20, 0) not null,
    end_seconds     numeric(20, 0) not null,
    slot_kind       varchar(10)    not null check (slot_kind in ('RESERVED', 'ON_DEMAND', 'SPOT')),
    block_number    bigint         not null,
    block_time      timestamptz    not null,
    primary key (chain_id, tx_hash, log_index),
    foreign key (chain_id, tx_hash, log_index) references chain_slot_log
);
create index chain_sale_pool on chain_sale (chain_id, pool, block_number);
