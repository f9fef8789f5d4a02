-- pools: a longer notice period or a stricter member policy binds the members of a pool, so it is
-- announced and applies from a future epoch (like a reward-share change); until then the terms in
-- force hold. One epoch for both: a later announcement moves it later, which only helps members.
alter table pools_pool
    add column pending_notice_period_seconds  bigint  check (pending_notice_period_seconds >= 0),
    add column pending_min_uptime_bps         integer check (pending_min_uptime_bps between 0 and 10000),
    add column pending_uptime_window_seconds  bigint  check (pending_uptime_window_seconds > 0),
    add column pending_max_failures           integer check (pending_max_failures >= 0),
    add column pending_warning_grace_seconds  bigint  check (pending_warning_grace_seconds >= 0),
    add column pending_terms_from_epoch       bigint,
    add constraint pools_pool_pending_policy_whole check (
        (pending_min_uptime_bps is null) = (pending_uptime_window_seconds is null)
        and (pending_min_uptime_bps is null) = (pending_max_failures is null)
        and (pending_min_uptime_bps is null) = (pending_warning_grace_seconds is null)),
    add constraint pools_pool_pending_terms_epoch check (
        (pending_terms_from_epoch is null) = (pending_notice_period_seconds is null and pending_min_uptime_bps is null));
