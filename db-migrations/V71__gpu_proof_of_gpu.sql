-- Proof of GPU (issue 12; docs/gpu-certification.md, "Proof of GPU"): sessions of rounds the server
-- times with its own clock, for certification (pings, a compute round, a memory round) and for the
-- node agent's spot checks (one compute round from an instant announced to all of an operator's GPUs).
create table gpu_proof_session (
    id          uuid primary key,
    kind        varchar(10) not null check (kind in ('CERTIFY', 'SPOT')),
    operator    varchar(42) not null check (operator ~ '^0x[0-9a-f]{40}$'),
    opened_at   timestamptz not null,
    -- The step the server waits for, and when it handed that step out (its own clock).
    step        int not null default 0,
    step_sent_at timestamptz,
    -- Spot checks: the instant the round starts, the same for every GPU of the operator.
    starts_at   timestamptz,
    allowance_ms int check (allowance_ms >= 0),
    state       varchar(10) not null check (state in ('OPEN', 'PASSED', 'FAILED')),
    reason      text,
    finished_at timestamptz,
    -- The rounds' seeds, what the server named and what the host committed to (JSON, gpu.ProofState).
    rounds      text not null,
    check (state = 'OPEN' or finished_at is not null)
);
create index gpu_proof_session_operator on gpu_proof_session (operator, opened_at);

create table gpu_proof_gpu (
    session_id  uuid not null references gpu_proof_session (id) on delete cascade,
    position    int not null check (position >= 0),
    gpu_uuid    varchar(100) not null,
    model_id    varchar(40) not null references gpu_model (id),
    state       varchar(10) not null check (state in ('OPEN', 'PASSED', 'FAILED')),
    reason      text,
    -- The rounds' times as the server measured them, and their deadlines.
    compute_ms  int,
    compute_deadline_ms int,
    memory_ms   int,
    memory_deadline_ms int,
    -- A passed certification session certifies each of its GPUs once, by its report's upload.
    certificate varchar(66),
    primary key (session_id, position),
    unique (session_id, gpu_uuid)
);
create index gpu_proof_gpu_uuid on gpu_proof_gpu (gpu_uuid);

-- Spot checks: one instant per operator; every GPU certified for it must answer from that instant.
create table gpu_spot_check (
    id          uuid primary key,
    operator    varchar(42) not null check (operator ~ '^0x[0-9a-f]{40}$'),
    starts_at   timestamptz not null,
    created_at  timestamptz not null,
    closed_at   timestamptz
);
create index gpu_spot_check_open on gpu_spot_check (operator, starts_at) where closed_at is null;

-- Each GPU's result of a spot check: what the operator page shows and settlement reads
-- (a failed or missed check removes the GPU's online seconds of that hour).
create table gpu_spot_result (
    check_id    uuid not null references gpu_spot_check (id) on delete cascade,
    gpu_uuid    varchar(100) not null,
    operator    varchar(42) not null,
    starts_at   timestamptz not null,
    session_id  uuid references gpu_proof_session (id) on delete set null,
    passed      boolean,
    reason      text,
    elapsed_ms  int,
    deadline_ms int,
    decided_at  timestamptz,
    primary key (check_id, gpu_uuid)
);
create index gpu_spot_result_uuid on gpu_spot_result (gpu_uuid, starts_at);
create index gpu_spot_result_failed on gpu_spot_result (starts_at) where passed = false;

-- Certificates say which protocol issued them: bc-gpu-report/1 (the one-shot report, before proof of
-- GPU), bc-proof/1 (a passed session and its report) or demo.
alter table gpu_certificate add column protocol varchar(20) not null default 'bc-gpu-report/1';
update gpu_certificate set protocol = 'demo' where demo;
alter table gpu_certificate add column session_id uuid references gpu_proof_session (id);

-- Calibrated references: what the proof rounds' kernels measured on a real card of the model
-- (bench/gpu-device.sh). Deadlines follow from them; where a model has none, from its spec figures
-- times their pass fractions (the slowest card that certifies).
alter table gpu_model add column proof_bf16_tflops numeric(14, 6) check (proof_bf16_tflops > 0);
alter table gpu_model add column proof_bandwidth_gbs numeric(10, 2) check (proof_bandwidth_gbs > 0);
alter table gpu_model add column proof_sha256_mhs numeric(12, 2) check (proof_sha256_mhs > 0);
alter table gpu_model add column proof_measured_on text check (length(proof_measured_on) <= 200);
alter table gpu_model add constraint gpu_model_proof_all_or_none check (
    (proof_bf16_tflops is null) = (proof_bandwidth_gbs is null) and (proof_bf16_tflops is null) = (proof_sha256_mhs is null));
