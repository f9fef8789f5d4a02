package pools;

import accounts.Caller;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jboss.logging.Logger;

/**
 * Heartbeat ingestion. A heartbeat sets one bit (its interval of the hour) in memory; every
 * {@code bc.pools.heartbeat-flush-interval} the bits are OR-ed into {@code pools_uptime} with one
 * statement, and the GPUs' last-heartbeat times are updated with another. Setting a bit is
 * idempotent, so instances that share the database may receive any host's heartbeats. A crash
 * loses at most one flush interval of heartbeats.
 */
@ApplicationScoped
class Heartbeats {

    private static final Logger LOG = Logger.getLogger(Heartbeats.class);
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    /** A GPU as the agent's heartbeats refer to it, cached for {@link #CACHE_TTL}. */
    record GpuRef(long gpuId, long operatorId, Instant loadedAt) {
    }

    private record Holder(String wallet, Instant loadedAt) {
    }

    private final AgroalDataSource dataSource;
    private final Operators operators;
    private final PoolsConfig config;
    private final Clock clock;
    private final int intervalsPerHour;
    private final Map<String, GpuRef> gpus = new ConcurrentHashMap<>();
    private final Map<Long, Holder> holders = new ConcurrentHashMap<>();
    /** Heartbeats take the read side (many at once); a flush takes the write side to swap the buffers. */
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private Map<Long, Map<Long, boolean[]>> buffer = new ConcurrentHashMap<>();
    private Map<Long, Instant> lastSeen = new ConcurrentHashMap<>();

    Heartbeats(AgroalDataSource dataSource, Operators operators, PoolsConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.operators = operators;
        this.config = config;
        this.clock = clock;
        long seconds = config.heartbeatInterval().toSeconds();
        if (seconds <= 0 || 3600 % seconds != 0) {
            throw new IllegalStateException("bc.pools.heartbeat-interval must divide an hour, not " + config.heartbeatInterval());
        }
        this.intervalsPerHour = (int) (3600 / seconds);
    }

    /** The answer to an agent: which of its GPUs were counted, and when to send the next heartbeat. */
    record Receipt(int accepted, List<String> unknown, Instant serverTime, long intervalSeconds) {
    }

    Receipt accept(Caller caller, List<String> gpuUuids) {
        Instant now = clock.instant();
        long hour = Uptime.hourOf(now);
        int slot = (int) ((now.getEpochSecond() - hour * 3600) / config.heartbeatInterval().toSeconds());
        List<String> unknown = new ArrayList<>();
        List<Long> known = new ArrayList<>();
        for (String uuid : gpuUuids) {
            GpuRef gpu = gpu(Pools.normalizeUuid(uuid), now);
            if (gpu == null || !holder(gpu.operatorId(), now).equals(caller.address().value())) {
                unknown.add(uuid);
            } else {
                known.add(gpu.gpuId());
            }
        }
        swap.readLock().lock();
        try {
            for (Long gpuId : known) {
                boolean[] bits = buffer.computeIfAbsent(gpuId, id -> new ConcurrentHashMap<>())
                        .computeIfAbsent(hour, h -> new boolean[intervalsPerHour]);
                bits[slot] = true;
                lastSeen.put(gpuId, now);
            }
        } finally {
            swap.readLock().unlock();
        }
        return new Receipt(known.size(), unknown, now, config.heartbeatInterval().toSeconds());
    }

    /** Writes what arrived since the last flush. */
    @Scheduled(every = "${bc.pools.heartbeat-flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        Map<Long, Map<Long, boolean[]>> pending;
        Map<Long, Instant> seen;
        swap.writeLock().lock();
        try {
            pending = buffer;
            seen = lastSeen;
            if (pending.isEmpty()) {
                return;
            }
            buffer = new ConcurrentHashMap<>();
            lastSeen = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        List<Long> gpuIds = new ArrayList<>();
        List<Long> hours = new ArrayList<>();
        List<String> masks = new ArrayList<>();
        pending.forEach((gpuId, byHour) -> byHour.forEach((hour, bits) -> {
            gpuIds.add(gpuId);
            hours.add(hour);
            StringBuilder mask = new StringBuilder(bits.length);
            for (boolean bit : bits) {
                mask.append(bit ? '1' : '0');
            }
            masks.add(mask.toString());
        }));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into pools_uptime (gpu_id, hour, mask)
                    select g, h, cast(m as varbit) from unnest(?, ?, ?) as t(g, h, m)
                    on conflict (gpu_id, hour) do update set mask = pools_uptime.mask | excluded.mask""");
                 PreparedStatement touch = connection.prepareStatement("""
                    update pools_gpu set last_heartbeat_at = greatest(coalesce(last_heartbeat_at, t.at), t.at)
                    from unnest(?, ?) as t(id, at) where pools_gpu.id = t.id""")) {
                upsert.setArray(1, connection.createArrayOf("bigint", gpuIds.toArray()));
                upsert.setArray(2, connection.createArrayOf("bigint", hours.toArray()));
                upsert.setArray(3, connection.createArrayOf("text", masks.toArray()));
                upsert.executeUpdate();
                Long[] ids = seen.keySet().toArray(Long[]::new);
                java.sql.Timestamp[] times = new java.sql.Timestamp[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    times[i] = java.sql.Timestamp.from(seen.get(ids[i]));
                }
                touch.setArray(1, connection.createArrayOf("bigint", ids));
                touch.setArray(2, connection.createArrayOf("timestamptz", times));
                touch.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            LOG.warnf("Could not write %d heartbeat rows; they are lost: %s", masks.size(), e.getMessage());
        }
    }

    void flushOnStop(@Observes ShutdownEvent event) {
        flush();
    }

    /** Forgets what it cached about GPUs (after a registration, a move or a retirement). */
    void forget(String gpuUuid) {
        gpus.remove(gpuUuid);
    }

    private GpuRef gpu(String uuid, Instant now) {
        GpuRef cached = gpus.get(uuid);
        if (cached != null && cached.loadedAt().plus(CACHE_TTL).isAfter(now)) {
            return cached;
        }
        GpuRef loaded = QuarkusTransaction.requiringNew().call(() -> GpuEntity.<GpuEntity>find(
                        "gpuUuid = ?1 and status in ?2", uuid, List.of(GpuStatus.MINTED, GpuStatus.ACTIVE, GpuStatus.OFFLINE, GpuStatus.LEAVING))
                .firstResultOptional().map(g -> new GpuRef(g.id, g.operatorId, now)).orElse(null));
        if (loaded == null) {
            gpus.remove(uuid);
            return null;
        }
        gpus.put(uuid, loaded);
        return loaded;
    }

    private String holder(long operatorId, Instant now) {
        Holder cached = holders.get(operatorId);
        if (cached != null && cached.loadedAt().plus(CACHE_TTL).isAfter(now)) {
            return cached.wallet();
        }
        String wallet = QuarkusTransaction.requiringNew().call(() -> {
            OperatorEntity operator = OperatorEntity.findById(operatorId);
            return operator == null ? "" : operators.holder(operator).value();
        });
        holders.put(operatorId, new Holder(wallet, now));
        return wallet;
    }
}
