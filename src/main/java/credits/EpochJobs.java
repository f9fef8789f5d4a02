package credits;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs the settlement job on every instance; rows are claimed, so replicas never settle an epoch twice. */
@ApplicationScoped
class EpochJobs {

    private static final Logger LOG = Logger.getLogger(EpochJobs.class);

    private final EpochSettlement settlement;
    private final SettlementConfig config;

    EpochJobs(EpochSettlement settlement, SettlementConfig config) {
        this.settlement = settlement;
        this.config = config;
    }

    @Scheduled(every = "${bc.settlement.interval:5s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (!config.enabled()) {
            return;
        }
        try {
            settlement.tick();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Settlement round failed; the next round tries again");
        }
    }
}
