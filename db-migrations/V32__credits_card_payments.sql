-- credits: Data Credits bought by card through Stripe Checkout (credits.CardPayments).
-- The DCs themselves live in the ledger (credits_posting); these tables record what Stripe told us,
-- so that each event and each checkout session is applied once, and a refund or a dispute finds
-- the wallet it takes back from.

-- Checkout sessions: created by POST /api/credits/checkout, paid when Stripe says so.
create table credits_card_session (
    session_id      varchar(255) primary key,
    wallet          varchar(42)  not null,
    amount_cents    bigint       not null check (amount_cents > 0),
    status          varchar(16)  not null check (status in ('OPEN', 'PAID')),
    -- what Stripe charged (amount_total) and the payment intent that refunds and disputes name
    paid_cents      bigint       check (paid_cents >= 0),
    payment_intent  varchar(255) unique,
    -- cumulative refunds applied (charge.refunded carries the charge's running total)
    refunded_cents  bigint       not null default 0 check (refunded_cents >= 0),
    created_at      timestamptz  not null,
    paid_at         timestamptz
);
create index credits_card_session_wallet on credits_card_session (wallet, created_at desc);

-- Every event applied (or acknowledged and ignored), by Stripe's event id: a redelivery is a no-op.
create table credits_card_event (
    event_id     varchar(255) primary key,
    type         varchar(255) not null,
    api_version  varchar(64),
    outcome      varchar(500) not null,
    received_at  timestamptz  not null
);

-- Refunds and disputes: what was taken back from the wallet and what it could not take (the debt).
-- A wallet's debt is the sum of owed_dc - settled_dc; while it is above zero the wallet buys nothing.
create table credits_card_reversal (
    id           bigserial    primary key,
    session_id   varchar(255) not null references credits_card_session (session_id),
    wallet       varchar(42)  not null,
    kind         varchar(16)  not null check (kind in ('REFUND', 'DISPUTE')),
    -- the refund's running total in cents ("refund:1500") or the dispute's id: one row each
    reference    varchar(255) not null unique,
    taken_dc     bigint       not null check (taken_dc >= 0),
    owed_dc      bigint       not null check (owed_dc >= 0),
    settled_dc   bigint       not null default 0 check (settled_dc >= 0 and settled_dc <= owed_dc),
    -- a dispute won: its DCs are given back (the debt it left is settled first)
    reinstated   boolean      not null default false,
    created_at   timestamptz  not null
);
create index credits_card_reversal_open_debt on credits_card_reversal (wallet) where settled_dc < owed_dc;
