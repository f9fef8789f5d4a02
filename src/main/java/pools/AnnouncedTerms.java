package pools;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import platform.Epochs;

/**
 * Makes an announced notice period and member policy the ones in force once their epoch has begun.
 * Until then every rule reads the terms in force for the instant it judges ({@link PoolEntity#noticePeriodIn},
 * {@link PoolEntity#policyIn}), so a late run of this job never lets a change bind early. Safe on
 * several instances at once: each pool row is locked while it changes, and one that another instance
 * holds is skipped (it is being done there).
 */
@ApplicationScoped
class AnnouncedTerms {

    private final Epochs epochs;
    private final Clock clock;

    AnnouncedTerms(Epochs epochs, Clock clock) {
        this.epochs = epochs;
        this.clock = clock;
    }

    @Scheduled(every = "${bc.pools.status-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> applyDue(now));
    }

    /** The number of pools whose announced terms now apply. */
    int applyDue(Instant now) {
        long epoch = epochs.epochAt(now);
        int applied = 0;
        for (PoolEntity pool : PoolEntity.<PoolEntity>find("pendingTermsFromEpoch <= ?1", epoch)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .list()) {
            if (pool.applyDueTerms(epoch)) {
                pool.updatedAt = now;
                applied++;
            }
        }
        return applied;
    }
}
