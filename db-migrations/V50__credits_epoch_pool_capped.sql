-- credits: what the self-dealing guard cut from each pool's share in a settled epoch (0 without the
-- guard, or when the pool stayed under its cap), for the epoch page's "capped" column. The same
-- figure is the pool's "capped" in the epoch's published result (credits.Settlement).
alter table credits_epoch_pool add column capped numeric(78, 0) not null default 0 check (capped >= 0);
