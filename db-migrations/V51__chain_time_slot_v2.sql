-- chain: TimeSlotNFT version 2 (a slot's kind on chain: RESERVED, ON_DEMAND, SPOT; pay-as-you-go
-- slots open-ended until closed). Version 1 cannot be upgraded in place (no proxy), so the app
-- deploys version 2 at a new address and stops following version 1 (docs/decisions.md, "Time
-- slots, version 2"):
--  * the recorded version-1 address is forgotten, so the leader deploys version 2 on its next start
--    (an address configured in bc.chain.contracts.time-slot-nft is checked at start instead: a
--    version-1 contract there keeps the chain down with a message saying what to do);
--  * the mirror's version-1 slots are kept aside in chain_retired_slot, so that their ids (the
--    same ranges as version 2's) cannot be taken for version-2 slots. The NFTs themselves stay in
--    their holders' wallets on the old contract; the marketplace no longer honours them (none were
--    sold: nothing minted slots before the market module).

alter table chain_token add column slot_kind varchar(10) check (slot_kind in ('RESERVED', 'ON_DEMAND', 'SPOT'));

create table chain_retired_slot (
    contract        varchar(42)    not null,
    token_id        numeric(78, 0) not null,
    owner           varchar(42)    not null,
    burned          boolean        not null,
    slot_pool       numeric(78, 0),
    slot_gpu_count  bigint,
    slot_start_seconds numeric(20, 0),
    slot_end_seconds   numeric(20, 0),
    last_tx         varchar(66)    not null,
    retired_at      timestamptz    not null default now(),
    primary key (contract, token_id)
);

insert into chain_retired_slot (contract, token_id, owner, burned, slot_pool, slot_gpu_count, slot_start_seconds, slot_end_seconds, last_tx)
select contract, token_id, owner, burned, slot_pool, slot_gpu_count, slot_start_seconds, slot_end_seconds, last_tx
from chain_token where kind = 'TIME_SLOT';
delete from chain_transfer where kind = 'TIME_SLOT';
delete from chain_token where kind = 'TIME_SLOT';
delete from chain_contract where name = 'TimeSlotNFT';
