package credits;

import accounts.WalletAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import platform.DomainException;

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

    Credits(Ledger ledger) {
        this.ledger = ledger;
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
}
