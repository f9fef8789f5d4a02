-- Metering (DESIGN sections 6 and 7): each order's watermark and what it was charged and refunded.
--
-- metered_until: every minute before it (minutes counted from the order's start, truncated to the
-- minute) is settled for all of the order's GPUs: charged (pay-as-you-go, a minute the agent reported
-- the workload running in) or refunded from escrow (reservations, a minute its GPU was down). Null:
-- nothing metered yet. The job locks the order row (FOR UPDATE SKIP LOCKED) while it moves the
-- watermark, and every posting has a key of (order, GPU, minute), so a minute is settled once.
alter table market_order add column metered_until timestamptz;
alter table market_order add column charged_minutes bigint not null default 0 check (charged_minutes >= 0);
alter table market_order add column refunded_dc bigint not null default 0 check (refunded_dc >= 0);
alter table market_order add column refunded_minutes bigint not null default 0 check (refunded_minutes >= 0);
-- Orders placed before metering existed were never charged per minute: metering starts now for them
-- (their earlier minutes are not charged or refunded after the fact).
update market_order set metered_until = date_trunc('minute', now()) where start_at < now();
-- Why an order ended when the market ended it (a rental whose payer's DCs ran out), else null.
alter table market_order add column end_reason varchar(200);

-- The orders with minutes left to meter (a closed order's last minute may still be open to meter).
create index market_order_metering on market_order (id)
    where metered_until is null or metered_until < coalesce(end_at, ended_at, 'infinity');
