-- Passkey management (issue 11): several passkeys per account, each with a short stable id and a
-- name its owner gives it; a recovery code per passkey account; an optional e-mail address for
-- receipts on any account.

-- A passkey's id in the API (/api/me/passkeys/{id}): the credential id is up to 1,400 characters.
alter table accounts_passkey add column id uuid not null default gen_random_uuid();
alter table accounts_passkey add constraint accounts_passkey_id unique (id);

-- Every account made so far has exactly one passkey, its first.
alter table accounts_passkey add column name varchar(64) not null default 'Passkey 1';
alter table accounts_passkey alter column name drop default;
alter table accounts_passkey add constraint accounts_passkey_name
    check (length(name) between 1 and 64 and name = btrim(name) and name !~ '[[:cntrl:]]');

-- The recovery code of a passkey account: 128 random bits shown once, kept only as SHA-256 over a
-- per-code salt and the code's bits (accounts.RecoveryCode says why no slow KDF). Using it deletes
-- the row; making a new one replaces it.
create table accounts_recovery_code (
    address    varchar(42) primary key references accounts_user (address),
    salt       bytea       not null check (length(salt) = 16),
    code_hash  bytea       not null check (length(code_hash) = 32),
    created_at timestamptz not null
);

-- Where receipts would go (optional, never required; no mail is sent yet).
alter table accounts_user add column email varchar(254)
    check (email is null or (length(email) between 3 and 254 and email ~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+$'));
