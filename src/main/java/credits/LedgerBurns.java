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
     * DC per GPU that an epoch counts: metered from ?3 (the previous settled epoch's end) to ?1 (its
     * own end) and posted before ?2 (its cut-off), plus the late ones: metered before ?3 and posted
     * from ?4 (the previous cut-off) to ?2. Each part is a range on an index (occurred_at, V30;
     * posted_at with occurred_at, V47), so a settlement reads its epoch's rows, not the ledger's
     * history. The escrow test comes first so that the key is read only for burns from an escrow.
     */
    static final String PER_GPU = """
            select gpu_id, sum(amount) from (
                select gpu_id, amount from credits_posting
                where operation = 'BURN' and occurred_at >= ?3 and occurred_at < ?1 and posted_at < ?2
                and (escrow_id is null or idempotency_key not like 'epoch-escrow:%')
                union all
                select gpu_id, amount from credits_posting
                where operation = 'BURN' and posted_at >= ?4 and posted_at < ?2 and occurred_at < ?3
                and (escrow_id is null or idempotency_key not like 'epoch-escrow:%')
            ) burns
            group by gpu_id""";

    private LedgerBurns() {
    }
}
