-- Passkey accounts (issue 11): an account made with a passkey has a managed wallet, whose key the
-- platform holds, encrypted (accounts.Custody: Tink envelope encryption under the master keyset);
-- its address is the account's address everywhere. Wallet accounts have kind WALLET.
alter table accounts_user add column kind varchar(8) not null default 'WALLET' check (kind in ('WALLET', 'PASSKEY'));

-- A passkey (WebAuthn credential) of an account: what the extension needs to check its assertions.
create table accounts_passkey (
    credential_id varchar(1400) primary key,
    address       varchar(42)   not null references accounts_user (address),
    aaguid        uuid          not null,
    public_key    bytea         not null,
    algorithm     bigint        not null,
    counter       bigint        not null,
    created_at    timestamptz   not null,
    last_used_at  timestamptz
);
create index accounts_passkey_address on accounts_passkey (address);

-- A managed wallet's private key, encrypted: the ciphertext names its data key, wrapped by the master
-- keyset, and is bound to the address (associated data), so it decrypts for this row only.
create table accounts_managed_key (
    address    varchar(42) primary key,
    ciphertext bytea       not null,
    created_at timestamptz not null
);

-- One row that the master keyset encrypted when custody first started: a start with another master
-- key fails to decrypt it and refuses to go on.
create table accounts_custody_canary (
    id         integer     primary key check (id = 1),
    ciphertext bytea       not null,
    created_at timestamptz not null
);
