package credits;

import accounts.WalletAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import platform.DomainException;
import platform.PlatformConfig;

/**
 * Data Credits as the market and the pages use them: balances, history, the per-minute charge,
 * and the market's escrow, burn and refund postings. Postings run in the caller's transaction
 * (so an order and its charge commit together) and are idempotent by key; see {@link Ledger}.
 */
@ApplicationScoped
public class Credits {

    /** The most postings one history page lists. */
    public static final int MAX_HISTORY = 500;

    private final Ledger ledger;
    private final PlatformConfig platform;

    Credits(Ledger ledger, PlatformConfig platform) {
        this.ledger = ledger;
        this.platform = platform;
    }

    public Balance balance(WalletAddress wallet) {
        return ledger.balance(wallet);
    }

    /** The wallet's postings, newest first. */
    public List<LedgerEntry> history(WalletAddress wallet, int limit) {
        return history(wallet, limit, null);
    }

    /** The wallet's postings with ids below {@code before} (the last id of the previous page), newest first. */
    public List<LedgerEntry> history(WalletAddress wallet, int limit, Long before) {
        if (limit < 1 || limit > MAX_HISTORY) {
            throw DomainException.invalid("limit: from 1 to " + MAX_HISTORY + ", not " + limit);
        }
        return ledger.history(wallet, limit, before);
    }

    /** The ledger's totals, and whether minted = held + in escrow + burned. */
    public Invariant invariant() {
        return ledger.invariant();
    }

    /**
     * What minute {@code minute} (counting from 1) of a rental at {@code dcPerHour} DC per GPU-hour
     * costs per GPU: {@code floor(P*k/60) - floor(P*(k-1)/60)} (DESIGN section 7), so that any 60
     * consecutive minutes cost exactly P.
     */
    public static DataCredits minuteCharge(long dcPerHour, long minute) {
        if (dcPerHour < 0) {
            throw DomainException.invalid("a price per hour must not be negative, not " + dcPerHour);
        }
        if (minute < 1) {
            throw DomainException.invalid("minutes count from 1, not " + minute);
        }
        return DataCredits.of(cumulative(dcPerHour, minute) - cumulative(dcPerHour, minute - 1));
    }

    /** floor(P*k/60) without overflowing for any price a long holds: (P/60)*k + floor((P%60)*k/60). */
    private static long cumulative(long dcPerHour, long minutes) {
        return Math.addExact(Math.multiplyExact(dcPerHour / 60, minutes), Math.multiplyExact(dcPerHour % 60, minutes) / 60);
    }

    /**
     * Demo mode only ({@code bc.demo.enabled}): gives {@code dc} to a demo customer's wallet from the
     * DEMO source, once per key. Refused (403) when demo mode is off, so no DC is ever minted for
     * nothing on a real network.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted grantDemoCredits(String key, WalletAddress to, DataCredits dc) {
        if (!platform.demo().enabled()) {
            throw DomainException.forbidden("Demo credits exist only in demo mode (BC_DEMO=true)");
        }
        return ledger.mint(key, MintSource.DEMO, to, dc, "demo mode: credits for a demo customer", null);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Posted escrow(String key, WalletAddress from, String escrowId, DataCredits dc, EscrowTerms terms, String reason) {
        return ledger.escrow(key, from, escrowId, dc, terms, reason);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Posted burnFromBalance(String key, WalletAddress from, long poolId, long gpuId, Instant occurredAt, DataCredits dc,
                                  String reason) {
        return ledger.burnFromBalance(key, from, poolId, gpuId, occurredAt, dc, reason);
    }

    /**
     * Burns what the wallet has, at most {@code upTo} (a metered minute of a rental whose DCs run
     * out is charged what is left, never more): the answer's amount is what was burned, maybe 0.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted burnFromBalanceUpTo(String key, WalletAddress from, long poolId, long gpuId, Instant occurredAt, DataCredits upTo,
                                      String reason) {
        return ledger.burnFromBalance(key, from, poolId, gpuId, occurredAt, upTo, true, reason);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Posted burnFromEscrow(String key, String escrowId, long poolId, long gpuId, Instant occurredAt, DataCredits dc,
                                 String reason) {
        return ledger.burnFromEscrow(key, escrowId, poolId, gpuId, occurredAt, dc, reason);
    }

    /**
     * Failover: from {@code at} on, the share of the reservation escrow that GPU {@code from} served
     * is served by GPU {@code to} of the same pool, so that epoch settlement burns its minutes from
     * then on {@code to}, the GPU that served them. The same move again changes nothing; false when
     * there is no such escrow, {@code at} is outside its window, or {@code from} serves none of it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean moveEscrowGpu(String escrowId, long from, long to, Instant at) {
        return ledger.moveEscrowGpu(escrowId, from, to, at);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Posted refundEscrow(String key, String escrowId, DataCredits dc, String reason) {
        return ledger.refundEscrow(key, escrowId, dc, reason);
    }

    /**
     * Gives up to {@code dc} of an escrow to {@code to}, who need not be the wallet that paid it (a
     * time slot's holder now): at most what the escrow still holds (the answer's amount), never a refusal.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted refundEscrowUpTo(String key, String escrowId, WalletAddress to, DataCredits dc, String reason) {
        return ledger.refundEscrow(key, escrowId, to, dc, true, reason);
    }

    /** A piece an escrow is divided into: its own escrow id, its terms, and its weight (the piece's GPU-seconds). */
    public record EscrowPiece(String escrowId, EscrowTerms terms, long gpuSeconds) {
        public EscrowPiece {
            if (gpuSeconds <= 0) {
                throw DomainException.invalid("an escrow piece needs a positive number of GPU-seconds, not " + gpuSeconds);
            }
        }
    }

    /**
     * Divides what escrow {@code escrowId} still holds among new escrows, one per piece, in
     * proportion to the pieces' GPU-seconds ({@link #proportionalShares}): a time slot split on chain.
     * Each move is posted under {@code key + ":" + piece escrow id}, so following the same chain log
     * again moves nothing. The pieces' escrows have the parent's owner (who paid). Answers the DCs
     * each piece received, in the pieces' order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<DataCredits> divideEscrow(String key, String escrowId, List<EscrowPiece> pieces, String reason) {
        if (pieces.isEmpty()) {
            throw DomainException.invalid("divide an escrow into at least one piece");
        }
        long held = ledger.escrowHeld(escrowId).value();
        List<Long> shares = proportionalShares(held, pieces.stream().map(EscrowPiece::gpuSeconds).toList());
        List<DataCredits> moved = new java.util.ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            EscrowPiece piece = pieces.get(i);
            moved.add(ledger.moveEscrow(key + ":" + piece.escrowId(), escrowId, piece.escrowId(), DataCredits.of(shares.get(i)),
                    piece.terms(), reason).amount());
        }
        return moved;
    }

    /**
     * Moves all that the escrows {@code escrowIds} still hold into a new escrow {@code intoId} with
     * these terms (two time slots merged on chain), under {@code key + ":" + each escrow id}. The new
     * escrow has the first one's owner. Answers the DCs it received.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public DataCredits joinEscrows(String key, List<String> escrowIds, String intoId, EscrowTerms terms, String reason) {
        long joined = 0;
        for (String from : escrowIds) {
            joined = Math.addExact(joined, ledger.moveEscrow(key + ":" + from, from, intoId, ledger.escrowHeld(from), terms, reason)
                    .amount().value());
        }
        return DataCredits.of(joined);
    }

    /**
     * The rounding rule of an escrow divided by weight: piece i of n gets
     * {@code floor(T*(w_0+..+w_i)/W) - floor(T*(w_0+..+w_(i-1))/W)} of the total T, where W is the sum
     * of the weights. So the shares add up to T exactly, each is within 1 DC of its exact share, and
     * the last piece gets what is left after the others' floors.
     */
    public static List<Long> proportionalShares(long total, List<Long> weights) {
        if (total < 0 || weights.isEmpty() || weights.stream().anyMatch(w -> w == null || w <= 0)) {
            throw DomainException.invalid("shares need a non-negative total and positive weights");
        }
        java.math.BigInteger sum = weights.stream().map(java.math.BigInteger::valueOf).reduce(java.math.BigInteger.ZERO,
                java.math.BigInteger::add);
        java.math.BigInteger t = java.math.BigInteger.valueOf(total);
        List<Long> shares = new java.util.ArrayList<>(weights.size());
        java.math.BigInteger cumulative = java.math.BigInteger.ZERO;
        long before = 0;
        for (long weight : weights) {
            cumulative = cumulative.add(java.math.BigInteger.valueOf(weight));
            long through = t.multiply(cumulative).divide(sum).longValueExact();
            shares.add(through - before);
            before = through;
        }
        return shares;
    }
}
