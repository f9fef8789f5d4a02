package credits;

import static org.hibernate.jpa.SpecHints.HINT_SPEC_LOCK_TIMEOUT;

import accounts.WalletAddress;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import org.hibernate.Timeouts;
import org.jboss.logging.Logger;

/**
 * Collects what refunds and disputes left owed: whatever DCs reach an indebted wallet later (a
 * burn of tokens, a dispute won) are taken back until the debt is settled. Each run claims the
 * open debts it settles ({@code FOR UPDATE SKIP LOCKED}), so replicas never collect one twice.
 */
@ApplicationScoped
class CardDebts {

    private static final Logger LOG = Logger.getLogger(CardDebts.class);
    private static final int BATCH = 100;

    private final Ledger ledger;
    private final Clock clock;

    CardDebts(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Scheduled(every = "${bc.stripe.debt-collection-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void collect() {
        List<CardReversalEntity> open = CardReversalEntity.<CardReversalEntity>find("settledDc < owedDc order by id")
                .page(0, BATCH).withLock(LockModeType.PESSIMISTIC_WRITE).withHint(HINT_SPEC_LOCK_TIMEOUT, Timeouts.SKIP_LOCKED_MILLI)
                .list();
        for (CardReversalEntity debt : open) {
            WalletAddress wallet = WalletAddress.of(debt.wallet);
            long held = ledger.balance(wallet).dc().value();
            if (held == 0) {
                continue;
            }
            long due = debt.owedDc - debt.settledDc;
            // a key per attempt: the posting and the settled amount commit together, so none is applied twice
            Posted taken = ledger.takeBack("card:collect:" + debt.id + ":" + debt.settledDc + ":" + clock.millis(), MintSource.CARD,
                    wallet, DataCredits.of(Math.min(held, due)), "debt from a refunded or disputed card payment collected",
                    debt.sessionId);
            debt.settledDc += taken.amount().value();
            LOG.info("Collected " + taken.amount() + " of a card debt of " + DataCredits.of(due) + " from " + wallet);
        }
    }
}
