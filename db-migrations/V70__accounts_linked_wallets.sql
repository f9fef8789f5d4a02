-- A passkey account's linked external wallet (issue 11): it signs in to the passkey account with
-- SIWE, and the managed wallet's NFTs and tokens may be withdrawn to it once bc.custody.withdrawal-delay
-- has passed since linked_at. One per account; a wallet links to one account, and never one that is
-- an account of its own (accounts_user), so a sign-in with it is never ambiguous.
create table accounts_linked_wallet (
    wallet    varchar(42) primary key,
    account   varchar(42) not null unique references accounts_user (address),
    linked_at timestamptz not null
);
