package credits;

/**
 * The ledger's burns as settlement reads them, by SQL on {@code credits_posting} (the ledger's
 * table, inside this module): a burn is a posting of operation {@code BURN}, with its pool and GPU. The burns that settlement itself
 * posts from reservation escrows (keys {@value #ESCROW_KEY_PREFIX}…) are counted where they are
 * posted, not again by this query.
 */
final class LedgerBurns {

    static final String ESCROW_KEY_PREFIX = "epoch-escrow:";

    /**
     * DC per GPU metered before ?1 and posted before ?2, less those metered before ?3 and posted
     * before ?4 (what the previous settled epoch counted).
     */
    static final String PER_GPU = """
            select gpu_id, sum(amount) from credits_posting
            where operation = 'BURN' and occurred_at < ?1 and posted_at < ?2
              and (occurred_at >= ?3 or posted_at >= ?4)
              and idempotency_key not like 'epoch-escrow:%'
            group by gpu_id""";

    private LedgerBurns() {
    }
}
