package chain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test side: every slot and market event event sync fired, in order, with whether a transaction
 * was active when it arrived (they are fired inside the sync's).
 */
@ApplicationScoped
public class SlotEventLog {

    /** One delivery: the event and whether it came inside a transaction. */
    public record Delivery(Record event, String txHash, boolean inTransaction) {
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    @Inject
    TransactionSynchronizationRegistry transactions;

    private void add(Record event, String txHash) {
        deliveries.add(new Delivery(event, txHash, transactions.getTransactionStatus() == Status.STATUS_ACTIVE));
    }

    void split(@Observes SlotSplit e) {
        add(e, e.txHash());
    }

    void merged(@Observes SlotsMerged e) {
        add(e, e.txHash());
    }

    void closed(@Observes SlotClosed e) {
        add(e, e.txHash());
    }

    void listed(@Observes SlotListed e) {
        add(e, e.txHash());
    }

    void cancelled(@Observes SlotListingCancelled e) {
        add(e, e.txHash());
    }

    void sold(@Observes SlotSold e) {
        add(e, e.txHash());
    }

    /** The deliveries of logs of these transactions, in the order they came. */
    public List<Delivery> of(java.util.Collection<String> txHashes) {
        return deliveries.stream().filter(d -> txHashes.contains(d.txHash())).toList();
    }
}
