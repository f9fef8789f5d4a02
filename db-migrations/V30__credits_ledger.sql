-- credits: the Data Credit ledger. Double entry, append-only (see docs/decisions.md, "Credits ledger").
--
-- Every posting moves `amount` DC out of its debit account into its credit account. An account is
-- one of:
--   WALLET  a customer's spendable balance (owner = the wallet)
--   ESCROW  what a reservation holds back (owner = the wallet that paid, escrow_id)
--   BURNED  DCs consumed on a GPU (pool_id, gpu_id), where settlement reads them
--   MINTED  a source of DCs (source = BURN for tokens burned on chain, CARD for card payments)
-- Sign convention: a holding account (WALLET, ESCROW, BURNED) holds what came in minus what went
-- out; a source account (MINTED) counts what it issued minus what came back to it. So every
-- balance is non-negative, and at all times
--   sum(MINTED) = sum(WALLET) + sum(ESCROW) + sum(BURNED).
-- Balances are kept here in the same transaction as the posting; PostgreSQL refuses a negative one.

create table credits_account (
    id         bigserial    primary key,
    code       varchar(160) not null unique, -- wallet:<address> | escrow:<id> | burned:<pool>:<gpu> | minted:<source>
    kind       varchar(8)   not null check (kind in ('WALLET', 'ESCROW', 'BURNED', 'MINTED')),
    owner      varchar(42),
    escrow_id  varchar(100),
    pool_id    bigint,
    gpu_id     bigint,
    source     varchar(8)   check (source in ('BURN', 'CARD')),
    balance    bigint       not null default 0,
    created_at timestamptz  not null,
    constraint credits_account_balance_non_negative check (balance >= 0),
    constraint credits_account_shape check (
        (kind = 'WALLET' and owner is not null)
        or (kind = 'ESCROW' and owner is not null and escrow_id is not null)
        or (kind = 'BURNED' and pool_id is not null and gpu_id is not null)
        or (kind = 'MINTED' and source is not null))
);
create index credits_account_owner on credits_account (owner) where owner is not null;

create table credits_posting (
    id              bigserial    primary key,
    idempotency_key varchar(200) not null unique,
    operation       varchar(10)  not null check (operation in ('MINT', 'TAKE_BACK', 'ESCROW', 'BURN', 'REFUND')),
    debit_account   bigint       not null references credits_account (id),
    credit_account  bigint       not null references credits_account (id),
    amount          bigint       not null check (amount >= 0),
    requested       bigint       not null check (requested >= amount), -- what was asked; a take-back may take less
    reason          varchar(200) not null,
    reference       varchar(200),
    escrow_id       varchar(100),
    pool_id         bigint,
    gpu_id          bigint,
    occurred_at     timestamptz  not null, -- the metered minute of a burn; the posting time otherwise
    posted_at       timestamptz  not null,
    check (debit_account <> credit_account),
    check ((operation = 'BURN') = (pool_id is not null and gpu_id is not null))
);
create index credits_posting_debit on credits_posting (debit_account, id);
create index credits_posting_credit on credits_posting (credit_account, id);
-- settlement sums burns per GPU per epoch
create index credits_posting_burns on credits_posting (occurred_at, pool_id, gpu_id) where operation = 'BURN';

-- Append-only: a posting is never changed or removed; a correction is a new posting.
create function credits_posting_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'credits_posting is append-only: % refused', tg_op using errcode = 'restrict_violation';
end
$$;
create trigger credits_posting_append_only before update or delete on credits_posting
    for each row execute function credits_posting_append_only();

-- A reservation's escrow: its terms and what became of the DCs it holds.
create table credits_escrow (
    escrow_id   varchar(100) primary key,
    account_id  bigint       not null unique references credits_account (id),
    owner       varchar(42)  not null,
    pool_id     bigint       not null,
    gpu_ids     bigint[]     not null,
    start_at    timestamptz  not null,
    end_at      timestamptz  not null,
    escrowed_dc bigint       not null default 0,
    burned_dc   bigint       not null default 0,
    refunded_dc bigint       not null default 0,
    created_at  timestamptz  not null,
    check (start_at < end_at),
    check (burned_dc >= 0 and refunded_dc >= 0 and escrowed_dc >= burned_dc + refunded_dc)
);
