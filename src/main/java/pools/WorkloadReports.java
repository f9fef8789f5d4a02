package pools;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jboss.logging.Logger;

/**
 * The node agents' workload reports. A report is taken only for a lease that the lease feed gives,
 * at that moment, to one of the GPUs the heartbeat counted for the caller (the lease sources are
 * asked once per heartbeat that carries reports); it applies to exactly those GPUs. Like
 * {@link Heartbeats}, reports are buffered in memory and written every
 * {@code bc.pools.heartbeat-flush-interval} with two statements, whatever their number: the latest
 * state per (lease, GPU) in an upsert that keeps the later report, and the minute of each RUNNING
 * report, inside the lease's window, as a bit OR-ed into that hour's mask. Both are idempotent, so
 * replicas may receive any agent's reports; a flush that fails keeps its rows for the next one.
 */
@ApplicationScoped
class WorkloadReports {

    private static final Logger LOG = Logger.getLogger(WorkloadReports.class);
    private static final Comparator<Key> ORDER = Comparator.comparing(Key::leaseId).thenComparingLong(Key::gpuId);

    private record Key(String leaseId, long gpuId) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    private record Latest(WorkloadState state, String reason, String endpoint, Instant at) {
    }

    private final AgroalDataSource dataSource;
    private final Instance<LeaseSource> leaseSources;
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private Map<Key, Latest> latest = new ConcurrentHashMap<>();
    private Map<Key, Map<Long, boolean[]>> minutes = new ConcurrentHashMap<>();

    WorkloadReports(AgroalDataSource dataSource, Instance<LeaseSource> leaseSources) {
        this.dataSource = dataSource;
        this.leaseSources = leaseSources;
    }

    /**
     * Takes {@code reports} for the GPUs a heartbeat counted ({@code gpus}: GPU id by UUID in its one
     * spelling); gives the lease ids of the reports that were refused, because the feed gives none of
     * those GPUs that lease now.
     */
    List<String> accept(List<WorkloadReport> reports, Map<String, Long> gpus, Instant now) {
        Map<String, List<LeaseSource.Lease>> feed = new HashMap<>();
        if (!gpus.isEmpty()) {
            List<Long> ids = List.copyOf(gpus.values());
            QuarkusTransaction.joiningExisting().run(() -> leaseSources.forEach(source -> source.leases(ids, now)
                    .forEach(lease -> feed.computeIfAbsent(lease.leaseId(), id -> new ArrayList<>()).add(lease))));
        }
        Map<String, WorkloadReport> byLease = new LinkedHashMap<>();
        reports.forEach(report -> byLease.put(report.leaseId(), report)); // the last report of a lease in a heartbeat counts
        List<String> refused = new ArrayList<>();
        long hour = Uptime.hourOf(now);
        int minute = (int) (Math.floorMod(now.getEpochSecond(), 3600L) / 60);
        swap.readLock().lock();
        try {
            byLease.forEach((leaseId, report) -> {
                boolean taken = false;
                for (LeaseSource.Lease lease : feed.getOrDefault(leaseId, List.of())) {
                    Long gpuId = GpuUuid.of(lease.gpuUuid()).map(uuid -> gpus.get(uuid.value())).orElse(null);
                    if (gpuId == null) {
                        continue; // a GPU of the lease that this heartbeat did not count
                    }
                    taken = true;
                    Key key = new Key(leaseId, gpuId);
                    latest.merge(key, new Latest(report.state(), report.reason(), report.endpoint(), now),
                            (a, b) -> b.at().isBefore(a.at()) ? a : b);
                    boolean inWindow = !lease.start().isAfter(now) && (lease.end() == null || now.isBefore(lease.end()));
                    if (report.state() == WorkloadState.RUNNING && inWindow) {
                        minutes.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                                .computeIfAbsent(hour, h -> new boolean[60])[minute] = true;
                    }
                }
                if (!taken) {
                    refused.add(leaseId);
                }
            });
        } finally {
            swap.readLock().unlock();
        }
        return refused;
    }

    /** Writes what arrived since the last flush, rows in key order (replicas flushing at once lock them in the same order). */
    @Scheduled(every = "${bc.pools.heartbeat-flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        Map<Key, Latest> states;
        Map<Key, Map<Long, boolean[]>> running;
        swap.writeLock().lock();
        try {
            states = latest;
            running = minutes;
            if (states.isEmpty() && running.isEmpty()) {
                return;
            }
            latest = new ConcurrentHashMap<>();
            minutes = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        List<Object> leaseIds = new ArrayList<>();
        List<Object> gpuIds = new ArrayList<>();
        List<Object> stateNames = new ArrayList<>();
        List<Object> reasons = new ArrayList<>();
        List<Object> endpoints = new ArrayList<>();
        List<Object> times = new ArrayList<>();
        new TreeMap<>(states).forEach((key, report) -> {
            leaseIds.add(key.leaseId());
            gpuIds.add(key.gpuId());
            stateNames.add(report.state().name());
            reasons.add(report.reason());
            endpoints.add(report.endpoint());
            times.add(Timestamp.from(report.at()));
        });
        List<Object> minuteLeases = new ArrayList<>();
        List<Object> minuteGpus = new ArrayList<>();
        List<Object> hours = new ArrayList<>();
        List<Object> masks = new ArrayList<>();
        new TreeMap<>(running).forEach((key, byHour) -> new TreeMap<>(byHour).forEach((hour, bits) -> {
            minuteLeases.add(key.leaseId());
            minuteGpus.add(key.gpuId());
            hours.add(hour);
            StringBuilder mask = new StringBuilder(60);
            for (boolean bit : bits) {
                mask.append(bit ? '1' : '0');
            }
            masks.add(mask.toString());
        }));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into pools_workload (lease_id, gpu_id, state, reason, endpoint, reported_at)
                    select * from unnest(?, ?, ?, ?, ?, ?) as t(l, g, s, r, e, a) order by l, g
                    on conflict (lease_id, gpu_id) do update
                    set state = excluded.state, reason = excluded.reason, endpoint = excluded.endpoint, reported_at = excluded.reported_at
                    where excluded.reported_at >= pools_workload.reported_at""");
                 PreparedStatement mark = connection.prepareStatement("""
                    insert into pools_workload_minutes (lease_id, gpu_id, hour, mask)
                    select l, g, h, cast(m as bit(60)) from unnest(?, ?, ?, ?) as t(l, g, h, m) order by l, g, h
                    on conflict (lease_id, gpu_id, hour) do update set mask = pools_workload_minutes.mask | excluded.mask""")) {
                upsert.setArray(1, connection.createArrayOf("text", leaseIds.toArray()));
                upsert.setArray(2, connection.createArrayOf("bigint", gpuIds.toArray()));
                upsert.setArray(3, connection.createArrayOf("text", stateNames.toArray()));
                upsert.setArray(4, connection.createArrayOf("text", reasons.toArray()));
                upsert.setArray(5, connection.createArrayOf("text", endpoints.toArray()));
                upsert.setArray(6, connection.createArrayOf("timestamptz", times.toArray()));
                upsert.executeUpdate();
                if (!masks.isEmpty()) {
                    mark.setArray(1, connection.createArrayOf("text", minuteLeases.toArray()));
                    mark.setArray(2, connection.createArrayOf("bigint", minuteGpus.toArray()));
                    mark.setArray(3, connection.createArrayOf("bigint", hours.toArray()));
                    mark.setArray(4, connection.createArrayOf("text", masks.toArray()));
                    mark.executeUpdate();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.warnf("Could not write %d workload reports; they are kept for the next flush: %s", leaseIds.size(), e.getMessage());
            keepForNextFlush(states, running);
        }
    }

    private void keepForNextFlush(Map<Key, Latest> states, Map<Key, Map<Long, boolean[]>> running) {
        swap.writeLock().lock();
        try {
            states.forEach((key, report) -> latest.merge(key, report, (a, b) -> b.at().isBefore(a.at()) ? a : b));
            running.forEach((key, byHour) -> byHour.forEach((hour, bits) -> {
                boolean[] current = minutes.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).computeIfAbsent(hour, h -> new boolean[60]);
                for (int i = 0; i < bits.length; i++) {
                    current[i] |= bits[i];
                }
            }));
        } finally {
            swap.writeLock().unlock();
        }
    }

    void flushOnStop(@Observes ShutdownEvent event) {
        flush();
    }

    /** The latest written reports of these leases, by lease and GPU id. */
    List<WorkloadStatus> latest(Collection<String> leaseIds) {
        List<WorkloadStatus> statuses = new ArrayList<>();
        query("""
                select w.lease_id, w.gpu_id, g.gpu_uuid, w.state, w.reason, w.endpoint, w.reported_at
                from pools_workload w join pools_gpu g on g.id = w.gpu_id where w.lease_id = any(?) order by w.lease_id, w.gpu_id""",
                List.<Object>of((Object) leaseIds.toArray(String[]::new)), rows -> statuses.add(new WorkloadStatus(rows.getString(1), rows.getLong(2),
                        rows.getString(3), WorkloadState.valueOf(rows.getString(4)), rows.getString(5), rows.getString(6),
                        rows.getTimestamp(7).toInstant())));
        return statuses;
    }

    /** The written minutes in [from, to) in which the lease's workload was reported running, per GPU in id order. */
    List<RunningMinutes> running(String leaseId, Instant from, Instant to) {
        Map<Long, List<Instant>> byGpu = new LinkedHashMap<>();
        Map<Long, String> uuids = new HashMap<>();
        query("""
                select m.gpu_id, g.gpu_uuid, m.hour, m.mask::text from pools_workload_minutes m join pools_gpu g on g.id = m.gpu_id
                where m.lease_id = ? and m.hour between ? and ? order by m.gpu_id, m.hour""",
                List.of(leaseId, Uptime.hourOf(from), Uptime.hourOf(to)), rows -> {
                    long gpuId = rows.getLong(1);
                    uuids.put(gpuId, rows.getString(2));
                    List<Instant> list = byGpu.computeIfAbsent(gpuId, id -> new ArrayList<>());
                    String mask = rows.getString(4);
                    for (int i = 0; i < mask.length(); i++) {
                        Instant minute = Instant.ofEpochSecond(rows.getLong(3) * 3600 + i * 60L);
                        if (mask.charAt(i) == '1' && !minute.isBefore(from) && minute.isBefore(to)) {
                            list.add(minute);
                        }
                    }
                });
        List<RunningMinutes> result = new ArrayList<>();
        byGpu.forEach((gpuId, list) -> {
            if (!list.isEmpty()) { // an hour's row may hold no minute of [from, to)
                result.add(new RunningMinutes(leaseId, gpuId, uuids.get(gpuId), list));
            }
        });
        return result;
    }

    private interface Row {
        void read(ResultSet rows) throws SQLException;
    }

    private void query(String sql, List<Object> parameters, Row row) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                Object parameter = parameters.get(i);
                if (parameter instanceof Object[] array) {
                    statement.setArray(i + 1, connection.createArrayOf("text", array));
                } else {
                    statement.setObject(i + 1, parameter);
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    row.read(rows);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading workload reports: " + e.getMessage(), e);
        }
    }
}
