package pools;

import accounts.Caller;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Heartbeat ingestion. A heartbeat sets one bit (its interval of the hour) in memory; every
 * {@code bc.pools.heartbeat-flush-interval} the bits are OR-ed into {@code pools_uptime} with one
 * statement, and the GPUs' last-heartbeat times are updated with another. Setting a bit is
 * idempotent, so instances that share the database may receive any host's heartbeats. A flush
 * that fails keeps its bits for the next one; a crash loses at most one flush interval.
 *
 * <p>What a heartbeat costs does not depend on what it names: the caller's operators are looked
 * up once (cached for {@link #CACHE_TTL}), and all of the request's UUIDs that are not cached
 * in one query; a UUID that is not a GPU in service of the caller's operators is answered as
 * unknown without further work. The resource bounds a request to {@link #MAX_GPUS} UUIDs of at
 * most {@link #MAX_UUID_LENGTH} characters.
 */
@ApplicationScoped
class Heartbeats {

    static final int MAX_GPUS = 1024;
    static final int MAX_UUID_LENGTH = GpuUuid.MAX_LENGTH;
    private static final Logger LOG = Logger.getLogger(Heartbeats.class);
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);
    /** Callers whose operators are cached at most; past it the cache starts over (it is only a cache). */
    private static final int MAX_CACHED_CALLERS = 100_000;

    /** A GPU in service as the agent's heartbeats refer to it, cached for {@link #CACHE_TTL}. */
    record GpuRef(long gpuId, long operatorId, Instant loadedAt) {
    }

    /** The operators whose rights a wallet has, cached for {@link #CACHE_TTL}. */
    private record Operated(Set<Long> operatorIds, Instant loadedAt) {
    }

    private final AgroalDataSource dataSource;
    private final Operators operators;
    private final Clock clock;
    private final Duration interval;
    private final int intervalsPerHour;
    private final Map<String, GpuRef> gpus = new ConcurrentHashMap<>();
    private final Map<String, Operated> operated = new ConcurrentHashMap<>();
    /** Heartbeats take the read side (many at once); a flush takes the write side to swap the buffers. */
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private Map<Long, Map<Long, boolean[]>> buffer = new ConcurrentHashMap<>();
    private Map<Long, Instant> lastSeen = new ConcurrentHashMap<>();

    Heartbeats(AgroalDataSource dataSource, Operators operators, PoolsConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.operators = operators;
        this.clock = clock;
        this.interval = config.heartbeatInterval();
        this.intervalsPerHour = Uptime.slotsPerHour(interval);
    }

    /** A heartbeat's receipt, and the GPUs it counted: their ids by UUID in its one spelling. */
    record Accepted(HeartbeatReceipt receipt, Map<String, Long> gpus) {
    }

    Accepted accept(Caller caller, List<String> gpuUuids) {
        Instant now = clock.instant();
        long hour = Uptime.hourOf(now);
        int slot = Uptime.slotOf(now, interval);
        Map<String, GpuRef> found = lookUp(caller, gpuUuids, now);
        List<String> unknown = new ArrayList<>();
        List<Long> known = new ArrayList<>();
        Map<String, Long> counted = new HashMap<>();
        for (String uuid : gpuUuids) {
            GpuRef gpu = found.get(uuid);
            if (gpu == null) {
                unknown.add(uuid);
            } else {
                known.add(gpu.gpuId());
                counted.put(GpuUuid.of(uuid).orElseThrow().value(), gpu.gpuId());
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
        return new Accepted(new HeartbeatReceipt(known.size(), unknown, now, interval.toSeconds(), List.of()), counted);
    }

    /**
     * The GPUs among {@code gpuUuids} (as sent) that are in service under one of the caller's
     * operators. At most one transaction, with one query for the UUIDs that are not cached and
     * the caller's operators when they are not cached, whatever and however many the UUIDs are.
     */
    private Map<String, GpuRef> lookUp(Caller caller, List<String> gpuUuids, Instant now) {
        Map<String, String> normalized = new HashMap<>();
        for (String uuid : gpuUuids) {
            GpuUuid.of(uuid).ifPresent(gpu -> normalized.put(uuid, gpu.value())); // one that is no UUID is unknown
        }
        String wallet = caller.address().value();
        Operated mine = operated.get(wallet);
        boolean operatorsCached = mine != null && mine.loadedAt().plus(CACHE_TTL).isAfter(now);
        List<String> toLoad = normalized.values().stream().distinct()
                .filter(uuid -> {
                    GpuRef cached = gpus.get(uuid);
                    return cached == null || !cached.loadedAt().plus(CACHE_TTL).isAfter(now);
                }).toList();
        if (!operatorsCached || !toLoad.isEmpty()) {
            Operated known = operatorsCached ? mine : null;
            Operated current = QuarkusTransaction.requiringNew().call(() -> {
                Operated theirs = known != null ? known : new Operated(
                        operators.of(caller.address()).stream().map(o -> o.id).collect(Collectors.toUnmodifiableSet()), now);
                if (!theirs.operatorIds().isEmpty() && !toLoad.isEmpty()) {
                    load(toLoad, now);
                }
                return theirs;
            });
            if (!operatorsCached) {
                if (operated.size() >= MAX_CACHED_CALLERS) {
                    operated.clear();
                }
                operated.put(wallet, current);
            }
            mine = current;
        }
        Map<String, GpuRef> found = new HashMap<>();
        for (Map.Entry<String, String> uuid : normalized.entrySet()) {
            GpuRef gpu = gpus.get(uuid.getValue());
            if (gpu != null && mine.operatorIds().contains(gpu.operatorId())) {
                found.put(uuid.getKey(), gpu);
            }
        }
        return found;
    }

    /** One query for all of {@code uuids}: those in service are cached, the others forgotten. */
    private void load(List<String> uuids, Instant now) {
        List<GpuEntity> inService = GpuEntity.list("gpuUuid in ?1 and status in ?2", uuids, GpuStatus.IN_SERVICE);
        Set<String> missing = new HashSet<>(uuids);
        for (GpuEntity gpu : inService) {
            gpus.put(gpu.gpuUuid, new GpuRef(gpu.id, gpu.operatorId, now));
            missing.remove(gpu.gpuUuid);
        }
        missing.forEach(gpus::remove); // unknown UUIDs are not cached: the cache holds real GPUs only
    }

    /**
     * Writes what arrived since the last flush: the masks in one upsert (rows in key order, so that
     * instances flushing at once take their row locks in the same order), the last-heartbeat times
     * in one update after locking those GPUs in id order (the status job and operators lock them
     * too). If the database refuses, the bits stay buffered for the next flush (OR-ing twice
     * changes nothing).
     */
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
        new TreeMap<>(pending).forEach((gpuId, byHour) -> new TreeMap<>(byHour).forEach((hour, bits) -> {
            gpuIds.add(gpuId);
            hours.add(hour);
            StringBuilder mask = new StringBuilder(bits.length);
            for (boolean bit : bits) {
                mask.append(bit ? '1' : '0');
            }
            masks.add(mask.toString());
        }));
        Long[] ids = new TreeMap<>(seen).keySet().toArray(Long[]::new);
        Timestamp[] times = new Timestamp[ids.length];
        for (int i = 0; i < ids.length; i++) {
            times[i] = Timestamp.from(seen.get(ids[i]));
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into pools_uptime (gpu_id, hour, mask)
                    select g, h, cast(m as varbit) from unnest(?, ?, ?) as t(g, h, m) order by g, h
                    on conflict (gpu_id, hour) do update set mask = pools_uptime_merge(pools_uptime.mask, excluded.mask)""");
                 PreparedStatement lock = connection.prepareStatement("""
                    select id from pools_gpu where id = any(?) order by id for no key update""");
                 PreparedStatement touch = connection.prepareStatement("""
                    update pools_gpu set last_heartbeat_at = greatest(coalesce(last_heartbeat_at, t.at), t.at)
                    from unnest(?, ?) as t(id, at) where pools_gpu.id = t.id""")) {
                upsert.setArray(1, connection.createArrayOf("bigint", gpuIds.toArray()));
                upsert.setArray(2, connection.createArrayOf("bigint", hours.toArray()));
                upsert.setArray(3, connection.createArrayOf("text", masks.toArray()));
                upsert.executeUpdate();
                lock.setArray(1, connection.createArrayOf("bigint", ids));
                lock.executeQuery().close();
                touch.setArray(1, connection.createArrayOf("bigint", ids));
                touch.setArray(2, connection.createArrayOf("timestamptz", times));
                touch.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.warnf("Could not write %d heartbeat rows; they are kept for the next flush: %s", masks.size(), e.getMessage());
            keepForNextFlush(pending, seen);
        }
    }

    /** Puts bits and times that could not be written back into the buffer, OR-ed with what arrived since. */
    private void keepForNextFlush(Map<Long, Map<Long, boolean[]>> pending, Map<Long, Instant> seen) {
        swap.writeLock().lock();
        try {
            pending.forEach((gpuId, byHour) -> byHour.forEach((hour, bits) -> {
                boolean[] current = buffer.computeIfAbsent(gpuId, id -> new ConcurrentHashMap<>())
                        .computeIfAbsent(hour, h -> new boolean[bits.length]);
                for (int i = 0; i < bits.length; i++) {
                    current[i] |= bits[i];
                }
            }));
            seen.forEach((gpuId, at) -> lastSeen.merge(gpuId, at, (a, b) -> a.isAfter(b) ? a : b));
        } finally {
            swap.writeLock().unlock();
        }
    }

    void flushOnStop(@Observes ShutdownEvent event) {
        flush();
    }

    /** Forgets what it cached about GPUs (after a registration, a move or a retirement). */
    void forget(String gpuUuid) {
        gpus.remove(gpuUuid);
    }
}
