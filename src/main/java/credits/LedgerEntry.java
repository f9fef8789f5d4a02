package credits;

import java.time.Instant;

/**
 * One posting as a wallet sees it: how it changed the wallet's spendable balance and its escrow
 * (signed, in DC), and what it was for.
 *
 * @param occurredAt the metered minute of a burn; the posting time otherwise
 * @param escrowId   the reservation's escrow, for escrow, burn-from-escrow and refund postings
 * @param poolId     the pool a burn is attributed to (burns only)
 * @param gpuId      the GPU a burn is attributed to (burns only)
 */
public record LedgerEntry(long id, Operation operation, Instant postedAt, Instant occurredAt, long balanceChangeDc,
                          long escrowChangeDc, String reason, String reference, String escrowId, Long poolId, Long gpuId) {

    /** What a posting does. */
    public enum Operation {
        /** DCs issued to a wallet, for tokens burned on chain or a card payment. */
        MINT,
        /** DCs taken back from a wallet (a card refund or dispute). */
        TAKE_BACK,
        /** DCs moved from a wallet's balance into a reservation's escrow. */
        ESCROW,
        /** DCs consumed on a GPU, from the balance or from an escrow. */
        BURN,
        /** DCs given back from an escrow to the wallet that paid. */
        REFUND,
        /** DCs moved from one escrow to another: a time slot split or merged on chain. */
        MOVE
    }
}
