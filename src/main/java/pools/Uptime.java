package pools;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Online time from the hourly heartbeat masks ({@code pools_uptime}): a GPU is online for an
 * interval of an hour when a heartbeat arrived in it, offline otherwise (a missed interval counts
 * as offline). Charts and reputation use whole hours; {@link #onlineSeconds} takes any window (epochs
 * may be shorter than an hour).
 *
 * <p>Each row carries its own division of the hour: a mask of n bits has intervals of 3600 / n
 * seconds, so the interval ({@code bc.pools.heartbeat-interval}) may change between restarts, or
 * differ between replicas during a rolling restart. Masks of the same hour with different lengths
 * are merged at the finest common division, lcm(n, m) bits, by the database function
 * {@code pools_uptime_merge} (V29), which keeps the online seconds of both exactly.
 */
@ApplicationScoped
class Uptime {

    private final EntityManager em;

    Uptime(EntityManager em) {
        this.em = em;
    }

    /**
     * Online seconds of each GPU in [from, to), exactly, for any window (an epoch may be shorter
     * than an hour): hours wholly inside are summed by the database; in an hour the window cuts,
     * each online interval counts with the seconds of it inside the window. Cut hours therefore add
     * up to the hour's total, so epochs of any length that tile an hour share its seconds exactly.
     */
    Map<Long, Long> onlineSeconds(List<Long> gpuIds, Instant from, Instant to) {
        return gpuIds.isEmpty() ? new HashMap<>() : onlineSeconds(gpuIds.toArray(Long[]::new), from, to);
    }

    /**
     * {@link #onlineSeconds(List, Instant, Instant)} of every GPU that has uptime in the window: the
     * settlement of an epoch asks for all of them, and a scan without the list of 100,000 ids to
     * check each row against is a fifth faster.
     */
    Map<Long, Long> onlineSecondsOfEvery(Instant from, Instant to) {
        return onlineSeconds((Long[]) null, from, to);
    }

    /** Online seconds of the GPUs {@code ids}, or of every GPU when {@code ids} is null. */
    private Map<Long, Long> onlineSeconds(Long[] ids, Instant from, Instant to) {
        Map<Long, Long> seconds = new HashMap<>();
        long start = from.getEpochSecond();
        long end = to.getEpochSecond();
        if (end <= start) {
            return seconds;
        }
        String ofIds = ids == null ? "" : "gpu_id = any(:ids) and ";
        long firstWhole = Math.floorDiv(start + 3599, 3600);
        long lastWhole = Math.floorDiv(end, 3600); // exclusive
        if (firstWhole < lastWhole) {
            Query whole = em.createNativeQuery("select gpu_id, sum(bit_count(mask) * 3600 / length(mask)) from pools_uptime where "
                    + ofIds + "hour >= :first and hour < :last group by gpu_id");
            for (Object[] row : rows(whole.setParameter("first", firstWhole).setParameter("last", lastWhole), ids)) {
                seconds.merge(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), Long::sum);
            }
        }
        java.util.Set<Long> cut = new java.util.TreeSet<>();
        if (start % 3600 != 0) {
            cut.add(Math.floorDiv(start, 3600));
        }
        if (end % 3600 != 0) {
            cut.add(Math.floorDiv(end, 3600));
        }
        if (!cut.isEmpty()) {
            Query partial = em.createNativeQuery("select gpu_id, hour, cast(mask as text) from pools_uptime where " + ofIds + "hour = any(:hours)");
            for (Object[] row : rows(partial.setParameter("hours", cut.toArray(Long[]::new)), ids)) {
                long online = secondsWithin((String) row[2], ((Number) row[1]).longValue() * 3600, start, end);
                seconds.merge(((Number) row[0]).longValue(), online, Long::sum);
            }
        }
        return seconds;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Query query, Long[] ids) {
        return (ids == null ? query : query.setParameter("ids", ids)).getResultList();
    }

    /**
     * For each GPU, the minutes in [from, to) (each by its start) in which it was online: a minute
     * is online when a heartbeat arrived in an interval of the hour's mask that overlaps it.
     */
    Map<Long, Set<Instant>> onlineMinutes(Collection<Long> gpuIds, Instant from, Instant to) {
        Map<Long, Set<Instant>> online = new HashMap<>();
        if (gpuIds.isEmpty() || !from.isBefore(to)) {
            return online;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select gpu_id, hour, cast(mask as text) from pools_uptime
                        where gpu_id = any(?1) and hour >= ?2 and hour <= ?3 and bit_count(mask) > 0""")
                .setParameter(1, gpuIds.toArray(Long[]::new)).setParameter(2, hourOf(from)).setParameter(3, hourOf(to.minusNanos(1)))
                .getResultList();
        for (Object[] row : rows) {
            Set<Instant> minutes = online.computeIfAbsent(((Number) row[0]).longValue(), g -> new TreeSet<>());
            for (long minute : minutesOnline((String) row[2], ((Number) row[1]).longValue() * 3600)) {
                Instant m = Instant.ofEpochSecond(minute);
                if (!m.isBefore(from) && m.isBefore(to)) {
                    minutes.add(m);
                }
            }
        }
        return online;
    }

    /** The minutes (epoch seconds of their starts) of an hour's mask that an interval with a heartbeat overlaps. */
    static List<Long> minutesOnline(String mask, long hourStart) {
        long interval = 3600 / mask.length();
        List<Long> minutes = new ArrayList<>();
        for (int i = 0; i < mask.length(); i++) {
            if (mask.charAt(i) != '1') {
                continue;
            }
            long a = hourStart + i * interval;
            for (long minute = Math.max(Math.floorDiv(a, 60) * 60, minutes.isEmpty() ? Long.MIN_VALUE : minutes.get(minutes.size() - 1) + 60);
                 minute < a + interval; minute += 60) {
                minutes.add(minute);
            }
        }
        return minutes;
    }

    /** The online seconds of an hour's mask (bits as '0'/'1', the hour starting at {@code hourStart}) inside [from, to). */
    static long secondsWithin(String mask, long hourStart, long from, long to) {
        long interval = 3600 / mask.length();
        long online = 0;
        for (int i = 0; i < mask.length(); i++) {
            if (mask.charAt(i) == '1') {
                long a = Math.max(from, hourStart + i * interval);
                long b = Math.min(to, hourStart + (i + 1) * interval);
                online += Math.max(0, b - a);
            }
        }
        return online;
    }

    /** Uptime of the GPUs together in [from, to), in basis points of the time they could have been online. */
    int uptimeBps(List<Long> gpuIds, Instant from, Instant to) {
        long possible = (hourOf(to) - hourOf(from)) * 3600L * gpuIds.size();
        if (possible <= 0) {
            return 0;
        }
        long online = onlineSeconds(gpuIds, from, to).values().stream().mapToLong(Long::longValue).sum();
        return (int) Math.min(10_000, online * 10_000 / possible);
    }

    /** Hourly points (hour start, online seconds summed over the GPUs) for a chart. */
    List<Point> hourly(List<Long> gpuIds, Instant from, Instant to) {
        Map<Long, Long> byHour = new HashMap<>();
        if (!gpuIds.isEmpty()) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            select hour, sum(bit_count(mask) * 3600 / length(mask))
                            from pools_uptime where gpu_id = any(?1) and hour >= ?2 and hour < ?3 group by hour""")
                    .setParameter(1, gpuIds.toArray(Long[]::new))
                    .setParameter(2, hourOf(from)).setParameter(3, hourOf(to))
                    .getResultList();
            rows.forEach(r -> byHour.put(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
        }
        List<Point> points = new ArrayList<>();
        for (long hour = hourOf(from); hour < hourOf(to); hour++) {
            points.add(new Point(Instant.ofEpochSecond(hour * 3600), byHour.getOrDefault(hour, 0L), 3600L * gpuIds.size()));
        }
        return points;
    }

    /** One hour of a chart: online seconds out of possible seconds. */
    record Point(Instant hour, long onlineSeconds, long possibleSeconds) {
        int bps() {
            return possibleSeconds == 0 ? 0 : (int) (onlineSeconds * 10_000 / possibleSeconds);
        }
    }

    /** How many intervals of {@code interval} an hour has; refused unless the interval divides an hour. */
    static int slotsPerHour(Duration interval) {
        long seconds = interval.toSeconds();
        if (seconds <= 0 || interval.toNanos() % 1_000_000_000L != 0 || 3600 % seconds != 0) {
            throw new IllegalStateException("bc.pools.heartbeat-interval must be whole seconds that divide an hour (such as 30s or 1m), not " + interval);
        }
        return (int) (3600 / seconds);
    }

    /** The interval of its hour that {@code instant} falls in, counted from 0. */
    static int slotOf(Instant instant, Duration interval) {
        return (int) (Math.floorMod(instant.getEpochSecond(), 3600L) / interval.toSeconds());
    }

    static long hourOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 3600);
    }
}
