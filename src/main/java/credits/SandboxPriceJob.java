package credits;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

/**
 * Keeps the embedded chain's sandbox price ({@link Oracle#keepSandboxPrice}) every minute, on one
 * replica at a time (a transaction-scoped advisory lock), so that two replicas never state it twice.
 */
@ApplicationScoped
class SandboxPriceJob {

    private static final Logger LOG = Logger.getLogger(SandboxPriceJob.class);
    /** "bcsbpx": the advisory lock of this job. */
    private static final long LOCK_KEY = 0x6263_7362_7078L;

    private final Oracle oracle;
    private final EntityManager em;

    SandboxPriceJob(Oracle oracle, EntityManager em) {
        this.oracle = oracle;
        this.em = em;
    }

    @Scheduled(every = "1m", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if ((Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult()
                        && oracle.keepSandboxPrice()) {
                    LOG.info("The embedded chain's sandbox token price was stated (bc.credits.sandbox-price)");
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "The sandbox token price was not stated; the next run tries again");
        }
    }
}
