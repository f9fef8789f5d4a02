package chain;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The chain module's one background thread. On the instance that holds the {@link LeaderLock} it
 * checks the chain, deploys missing contracts, then loops: relay the outbox, sync events, update
 * the status. A chain that is down is retried with growing pauses (up to 5 s); the app stays up and
 * readiness reports the chain as down meanwhile.
 */
@ApplicationScoped
class ChainWorker {

    private static final Logger LOG = Logger.getLogger(ChainWorker.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final ChainClient client;
    private final ContractRegistry contracts;
    private final Relay relay;
    private final EventSync sync;
    private final LeaderLock leader;
    private final ChainStatus status;
    private final ChainConfig config;
    private final Clock clock;
    private final EntityManager em;
    private volatile boolean running;
    private Thread thread;

    ChainWorker(ChainClient client, ContractRegistry contracts, Relay relay, EventSync sync, LeaderLock leader,
                ChainStatus status, ChainConfig config, Clock clock, EntityManager em) {
        this.client = client;
        this.contracts = contracts;
        this.relay = relay;
        this.sync = sync;
        this.leader = leader;
        this.status = status;
        this.config = config;
        this.clock = clock;
        this.em = em;
    }

    void start(@Observes @Priority(100) StartupEvent event) {
        client.start();
        running = true;
        thread = new Thread(this::run, "chain-worker");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10).toMillis());
        }
        leader.release();
        client.stop();
    }

    private void run() {
        boolean prepared = false;
        Duration backoff = config.pollInterval();
        String lastProblem = null;
        while (running) {
            try {
                boolean leading = leader.holdOrAcquire();
                if (!prepared) {
                    client.verifyChainId();
                    if (leading) {
                        contracts.ensureDeployed(client);
                        relay.resyncNonce();
                    } else {
                        contracts.reload();
                    }
                    prepared = leading || contracts.complete();
                }
                long head = client.headBlock();
                int work = 0;
                if (leading && prepared) {
                    work = relay.round() + sync.round(head);
                }
                refreshStatus(head);
                if (lastProblem != null) {
                    LOG.info("The chain is reachable again");
                    lastProblem = null;
                }
                backoff = config.pollInterval();
                if (work == 0) {
                    pause(leading ? config.pollInterval() : Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                String problem = describe(e);
                status.down(problem);
                if (!problem.equals(lastProblem)) {
                    LOG.warnf("The chain is not usable: %s (retrying)", problem);
                    lastProblem = problem;
                }
                prepared = prepared && contracts.complete();
                refreshOutboxCounts();
                try {
                    pause(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void refreshStatus(long head) {
        Instant now = clock.instant();
        status.up(head, now);
        status.syncLagBlocks.set(sync.lastBlock() < 0 ? 0 : Math.max(0, head - sync.lastBlock()));
        refreshOutboxCounts();
    }

    @SuppressWarnings("unchecked")
    private void refreshOutboxCounts() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                List<Object[]> rows = em.createNativeQuery("select status, count(*) from chain_outbox group by status").getResultList();
                status.pending.set(0);
                status.sent.set(0);
                status.failed.set(0);
                status.confirmed.set(0);
                for (Object[] row : rows) {
                    long count = ((Number) row[1]).longValue();
                    switch (EffectStatus.Status.valueOf((String) row[0])) {
                        case PENDING -> status.pending.set(count);
                        case SENT -> status.sent.set(count);
                        case FAILED -> status.failed.set(count);
                        case CONFIRMED -> status.confirmed.set(count);
                    }
                }
                Object oldest = em.createNativeQuery(
                        "select min(created_at) from chain_outbox where status in ('PENDING', 'SENT')").getSingleResult();
                status.relayLagSeconds.set(oldest == null ? 0
                        : Math.max(0, Duration.between(instant(oldest), clock.instant()).toSeconds()));
            });
        } catch (RuntimeException e) {
            LOG.debug("Could not count the outbox", e);
        }
    }

    private static Instant instant(Object timestamp) {
        if (timestamp instanceof Instant instant) {
            return instant;
        }
        if (timestamp instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.sql.Timestamp) timestamp).toInstant();
    }

    private void pause(Duration duration) throws InterruptedException {
        Thread.sleep(Math.max(1, duration.toMillis()));
    }

    private static String describe(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof java.net.ConnectException || message.contains("Failed to connect")) {
            return "no answer from the chain's RPC (" + message + ")";
        }
        return message;
    }
}
