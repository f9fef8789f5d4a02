-- accounts: wallets that signed in, sign-in nonces, sessions and API keys.
create table accounts_user (
    address          varchar(42) primary key check (address ~ '^0x[0-9a-f]{40}$'),
    created_at       timestamptz not null,
    last_sign_in_at  timestamptz not null
);

create table accounts_siwe_nonce (
    nonce       varchar(64) primary key,
    issued_at   timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    check (expires_at > issued_at)
);
create index accounts_siwe_nonce_expires on accounts_siwe_nonce (expires_at);

create table accounts_session (
    token_hash  varchar(64) primary key,
    address     varchar(42) not null references accounts_user (address),
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    revoked_at  timestamptz
);
create index accounts_session_address on accounts_session (address);

create table accounts_api_key (
    id            uuid primary key,
    address       varchar(42) not null references accounts_user (address),
    name          varchar(100) not null check (length(trim(name)) > 0),
    key_hash      varchar(64) not null unique,
    key_prefix    varchar(16) not null,
    created_at    timestamptz not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index accounts_api_key_address on accounts_api_key (address);
