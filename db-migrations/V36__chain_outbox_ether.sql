-- chain: an outbox effect may be a plain ether transfer from the platform signer to an address
-- (ChainEffect.SendEther: the embedded chain's faucet), which calls no contract.
alter table chain_outbox alter column contract drop not null;
