-- gpu: the reference table of GPU models, challenges, host keys, submitted reports and certificates.
-- The seeded figures are the vendors' spec sheets (sources in docs/gpu-certification.md); the pass
-- fractions are where certification draws the line, editable by admins.

create table gpu_model (
    id                  varchar(40) primary key check (id ~ '^[a-z0-9][a-z0-9-]*$'),
    name                varchar(100) not null check (length(trim(name)) > 0),
    -- What the driver calls the card (cuDeviceGetName); a report matches if its name contains one, ignoring case.
    device_names        varchar(500) not null check (length(trim(device_names)) > 0),
    memory_mib          integer not null check (memory_mib > 0),
    sm_count            integer not null check (sm_count > 0),
    compute_capability  varchar(8) not null check (compute_capability ~ '^[0-9]+\.[0-9]+$'),
    boost_clock_mhz     integer not null check (boost_clock_mhz > 0),
    bandwidth_gbs       numeric(10, 2) not null check (bandwidth_gbs > 0),
    host_to_device_gbs  numeric(10, 2) not null check (host_to_device_gbs > 0),
    device_to_host_gbs  numeric(10, 2) not null check (device_to_host_gbs > 0),
    fp32_tflops         numeric(10, 2) not null check (fp32_tflops > 0),
    bf16_tflops         numeric(10, 2) not null check (bf16_tflops > 0),
    bandwidth_pass      numeric(4, 3) not null check (bandwidth_pass > 0 and bandwidth_pass <= 1),
    host_to_device_pass numeric(4, 3) not null check (host_to_device_pass > 0 and host_to_device_pass <= 1),
    device_to_host_pass numeric(4, 3) not null check (device_to_host_pass > 0 and device_to_host_pass <= 1),
    fp32_pass           numeric(4, 3) not null check (fp32_pass > 0 and fp32_pass <= 1),
    bf16_pass           numeric(4, 3) not null check (bf16_pass > 0 and bf16_pass <= 1),
    updated_at          timestamptz not null,
    updated_by          varchar(42)
);

-- Host link: PCIe 5.0 x16 moves 64 GB/s per direction, PCIe 4.0 x16 32 GB/s.
-- bf16: dense tensor-core TFLOP/s with FP32 accumulation (the GeForce cards run that at half their FP16-accumulate rate).
insert into gpu_model (id, name, device_names, memory_mib, sm_count, compute_capability, boost_clock_mhz,
                       bandwidth_gbs, host_to_device_gbs, device_to_host_gbs, fp32_tflops, bf16_tflops,
                       bandwidth_pass, host_to_device_pass, device_to_host_pass, fp32_pass, bf16_pass, updated_at)
values
    ('h100-sxm',  'NVIDIA H100 SXM5 80GB', 'H100 80GB HBM3|H100 SXM',       81559, 132, '9.0', 1980, 3350, 64, 64, 66.9, 989.4, 0.750, 0.600, 0.600, 0.800, 0.450, '2025-11-26T00:00:00Z'),
    ('h100-pcie', 'NVIDIA H100 PCIe 80GB', 'H100 PCIe',                     81559, 114, '9.0', 1755, 2000, 64, 64, 51.2, 756.5, 0.750, 0.600, 0.600, 0.800, 0.450, '2025-11-26T00:00:00Z'),
    ('h200',      'NVIDIA H200 141GB',     'H200',                         143771, 132, '9.0', 1980, 4800, 64, 64, 66.9, 989.4, 0.750, 0.600, 0.600, 0.800, 0.450, '2025-11-26T00:00:00Z'),
    ('a100-80gb', 'NVIDIA A100 80GB',      'A100-SXM4-80GB|A100 80GB PCIe', 81920, 108, '8.0', 1410, 1935, 32, 32, 19.5, 312.0, 0.750, 0.600, 0.600, 0.800, 0.600, '2025-11-26T00:00:00Z'),
    ('l40s',      'NVIDIA L40S',           'L40S',                          46068, 142, '8.9', 2520,  864, 32, 32, 91.6, 362.1, 0.750, 0.600, 0.600, 0.800, 0.600, '2025-11-26T00:00:00Z'),
    ('rtx-4090',  'NVIDIA GeForce RTX 4090', 'RTX 4090',                   24564, 128, '8.9', 2520, 1008, 32, 32, 82.6, 165.2, 0.750, 0.600, 0.600, 0.800, 0.600, '2025-11-26T00:00:00Z'),
    ('rtx-3090',  'NVIDIA GeForce RTX 3090', 'RTX 3090',                   24576,  82, '8.6', 1695,  936, 32, 32, 35.6,  71.0, 0.750, 0.600, 0.600, 0.800, 0.600, '2025-11-26T00:00:00Z');

-- A challenge is good for one report upload, by the operator it was issued to, until it expires.
create table gpu_challenge (
    nonce       varchar(64) primary key,
    operator    varchar(42) not null check (operator ~ '^0x[0-9a-f]{40}$'),
    seed        varchar(66) not null check (seed ~ '^0x[0-9a-f]{64}$'),
    issued_at   timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    check (expires_at > issued_at)
);
create index gpu_challenge_expires on gpu_challenge (expires_at);

-- Keys that live on an operator's GPU hosts and may sign that operator's reports.
create table gpu_host_key (
    id          uuid primary key,
    operator    varchar(42) not null check (operator ~ '^0x[0-9a-f]{40}$'),
    address     varchar(42) not null check (address ~ '^0x[0-9a-f]{40}$'),
    label       varchar(100) not null check (length(trim(label)) > 0),
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create unique index gpu_host_key_active_address on gpu_host_key (address) where revoked_at is null;
create index gpu_host_key_operator on gpu_host_key (operator);

-- Every report an operator uploaded, certified or not, with the reasons it was refused.
create table gpu_report (
    id                uuid primary key,
    operator          varchar(42) not null,
    nonce             varchar(200),
    signer            varchar(42),
    gpu_uuid          varchar(100),
    gpu_name          varchar(200),
    model_id          varchar(40),
    submitted_at      timestamptz not null,
    certified         boolean not null,
    reasons           text not null,
    body              text not null
);
create index gpu_report_operator on gpu_report (operator, submitted_at);

create extension if not exists btree_gist;

-- A certificate: its hash is the SHA-256 of its canonical content, which is kept verbatim.
create table gpu_certificate (
    hash        varchar(66) primary key check (hash ~ '^0x[0-9a-f]{64}$'),
    gpu_uuid    varchar(100) not null,
    model_id    varchar(40) not null references gpu_model (id),
    operator    varchar(42) not null check (operator ~ '^0x[0-9a-f]{40}$'),
    report_id   uuid not null unique references gpu_report (id),
    issued_at   timestamptz not null,
    expires_at  timestamptz not null,
    -- Revoked by its operator or an admin, or replaced by a newer certificate of the same GPU (superseded_by).
    revoked_at  timestamptz,
    superseded_by varchar(66),
    content     text not null,
    check (expires_at > issued_at),
    -- A GPU is never certified for two operators at the same time.
    constraint gpu_certificate_one_operator_per_gpu exclude using gist (
        gpu_uuid with =, operator with <>, tstzrange(issued_at, expires_at) with &&) where (revoked_at is null)
);
create index gpu_certificate_operator on gpu_certificate (operator, issued_at);
create index gpu_certificate_uuid on gpu_certificate (gpu_uuid, issued_at);
