-- chain: event values kept as the chain states them, so that event sync never stops on one it
-- cannot represent (an ERC-4907 UpdateUser with expires = type(uint64).max is "lent for good";
-- 2^64-1 seconds is not a timestamptz). Times are uint64 seconds, GPU counts uint32.
alter table chain_token add column user_expires_seconds numeric(20, 0)
    check (user_expires_seconds between 0 and 18446744073709551615);
alter table chain_token add column slot_start_seconds numeric(20, 0)
    check (slot_start_seconds between 0 and 18446744073709551615);
alter table chain_token add column slot_end_seconds numeric(20, 0)
    check (slot_end_seconds between 0 and 18446744073709551615);
update chain_token set user_expires_seconds = extract(epoch from user_expires)::numeric(20, 0) where user_expires is not null;
update chain_token set slot_start_seconds = extract(epoch from slot_start)::numeric(20, 0) where slot_start is not null;
update chain_token set slot_end_seconds = extract(epoch from slot_end)::numeric(20, 0) where slot_end is not null;
alter table chain_token drop column user_expires;
alter table chain_token drop column slot_start;
alter table chain_token drop column slot_end;
alter table chain_token alter column slot_gpu_count type bigint;

-- The GPU NFTs' on-chain metadata (GpuNFT.metadata), mirrored by event sync at a block it has
-- processed, so that /api/chain/metadata answers from the database while the chain is down.
create table chain_gpu_metadata (
    token_id               numeric(78, 0) primary key check (token_id >= 0),
    model                  text           not null,
    serial_number          text           not null,
    purchase_date          numeric(20, 0) not null,
    in_service_date        numeric(20, 0) not null,
    hosting_agreement_url  text           not null,
    ownership_contract_url text           not null,
    certificate_hash       varchar(66)    not null,
    as_of_block            bigint         not null
);
