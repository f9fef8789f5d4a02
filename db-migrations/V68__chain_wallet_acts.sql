-- Acts the platform signs for managed wallets (issue 11): an outbox row with a sender is signed with
-- that wallet's key (accounts' custody), not the platform signer's, with the wallet's own nonces
-- (chain_signer), after a gas top-up from the platform signer where its balance is short. act and
-- description say what the account asked for; the rows with a sender are the account's audit log.
alter table chain_outbox add column sender varchar(42);
alter table chain_outbox add column act varchar(16);
alter table chain_outbox add column description varchar(300);
alter table chain_outbox add constraint chain_outbox_wallet_act check ((sender is null) = (act is null));
create index chain_outbox_sender on chain_outbox (sender, created_at) where sender is not null;
