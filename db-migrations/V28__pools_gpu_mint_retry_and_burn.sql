-- pools: a GPU NFT mint the chain refused can be asked again under a new outbox key
-- ("gpu-nft:<id>" first, then "gpu-nft:<id>-retry-<n>"); mint_attempt is that n.
-- A retired GPU's NFT is burned so that a GPU UUID never has two live NFTs: nft_burn_requested_at
-- says when the burn was handed to the chain outbox.
alter table pools_gpu
    add column mint_attempt           integer     not null default 0 check (mint_attempt >= 0),
    add column nft_burn_requested_at  timestamptz;
create index pools_gpu_uuid on pools_gpu (gpu_uuid);
