-- credits: settlement finds late burns (metered in an epoch already settled, posted after its
-- cut-off) by the time they were posted (credits.LedgerBurns); a partial index keeps that a range
-- read of the few recent burns rather than a scan of the ledger's history.
create index credits_posting_burns_posted on credits_posting (posted_at) where operation = 'BURN';
