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
        /** Mined but reverted: the chain refused it (the reason is in lastError). */
        FAILED
    }

    public boolean done() {
        return status == Status.CONFIRMED || status == Status.FAILED;
    }
}
