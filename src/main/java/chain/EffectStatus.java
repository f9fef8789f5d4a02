package chain;

import java.time.Instant;

/** Where an effect stands on its way to the chain. */
public record EffectStatus(String key, String kind, ContractName contract, Status status, String txHash,
                           Long blockNumber, String lastError, Instant requestedAt, Instant confirmedAt) {

    public enum Status {
        /** In the outbox, not yet signed. */
        PENDING,
        /** Signed with its own nonce and sent (or about to be sent again); waiting for confirmations. */
        SENT,
        /** Mined and buried under the configured number of confirmations. */
        CONFIRMED,
        /**
         * Final: the effect did not happen and never will. Either the chain reverted its
         * transaction, or the node refused the transaction for good when it was sent (insufficient
         * funds, intrinsic gas too low, invalid, ...; its nonce is then filled with a no-op so that
         * it can never be mined). lastError has the reason in the node's words. Ask again under a
         * new key to try again ({@link Chain#retry}).
         */
        FAILED
    }

    public boolean done() {
        return status == Status.CONFIRMED || status == Status.FAILED;
    }
}
