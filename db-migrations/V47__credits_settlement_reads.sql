-- credits: what settling a large epoch costs (docs/benchmarks.md, "Epoch settlement against the ledger").
--
-- Late burns (metered in an epoch already settled, posted after its cut-off) are found by the time
-- they were posted. With the metering time in the index beside the posting time, the range read of
-- an epoch's postings decides which are late inside the index and visits the table only for those,
-- instead of fetching every posting of the epoch to look at its metering time.
drop index credits_posting_burns_posted;
create index credits_posting_burns_posted on credits_posting (posted_at, occurred_at) where operation = 'BURN';

-- The per-GPU rows of a settled epoch are written only by its settlement, in the transaction that
-- marks the epoch settled; checking the epoch's row once per GPU row (100,000 checks in a large
-- epoch) cost a third of writing them and guarded against nothing.
alter table credits_epoch_gpu drop constraint credits_epoch_gpu_epoch_fkey;
