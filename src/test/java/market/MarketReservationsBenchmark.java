package market;

import accounts.Caller;
import accounts.TestWallet;
import accounts.WalletAddress;
import credits.TestCredits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import platform.DomainException;
import platform.EmbeddedPostgresResource;

/**
 * Reservations per second with 64 concurrent clients on one pool of 1,000 GPUs, through the market's
 * facade (order row, holds under the exclusion constraint, escrow, slot mint in the outbox, one
 * transaction each), beside raw JDBC inserts of one hold each into the same constrained table on the
 * same database (docs/benchmarks.md). Each reservation is one GPU for one hour, at a random hour of
 * the next 30 days, so that the windows rarely fill. Not part of the suite (the name matches no test
 * pattern, and it needs -Dbench.market=true): run it with bench/market-reservations.sh, which also
 * gives the database the product's durability. It fails if any two holds overlap afterwards.
 */
@QuarkusTest
@TestProfile(MarketReservationsBenchmark.SixtyFourConnections.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@EnabledIfSystemProperty(named = "bench.market", matches = "true")
class MarketReservationsBenchmark {

    private static final int CLIENTS = 64;
    private static final int GPUS = Integer.getInteger("bench.gpus", 1_000);
    private static final int HOURS = 30 * 24;

    /** A connection per client, so that the pool is not what is measured. */
    public static class SixtyFourConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", String.valueOf(CLIENTS + 8),
                    "quarkus.datasource.jdbc.acquisition-timeout", "30s",
                    "quarkus.hibernate-orm.statistics", "true"); // statements per reservation (a few counters' cost)
        }
    }

    /** One client's work: true when it was done, false when refused on the merits (409: that hour was full). */
    interface Work {
        boolean run(int client) throws Exception;
    }

    /**
     * What one run measured: work done and refused per second, and per unit of work: JDBC statements
     * (Hibernate's count: the market's statements all go through it; none for raw JDBC), CPU
     * milliseconds of this JVM and of the database's backends, and what the database's 64 connections
     * were doing, sampled (see {@link Sampler}).
     */
    record Rate(double done, double refused, double statements, double jvmCpuMs, double dbCpuMs, Map<String, Double> states,
                Map<String, Long> where) {
    }

    private static final String CLIENT_THREAD = "bench-client-";
    /** Where a client thread's stack is, in the product's own code: the innermost frame of one of these packages. */
    private static final List<String> MODULES = List.of("market.", "credits.", "chain.", "pools.", "accounts.", "gpu.");

    @Inject
    Market market;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SessionFactory sessionFactory;

    @Test
    void reservationsPerSecond() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        int runs = Integer.getInteger("bench.runs", 3);
        long setUp = System.nanoTime();
        MarketWorld.Pool pool = MarketWorld.pool(GPUS);
        List<Caller> callers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String address = TestWallet.random().address();
            TestCredits.give(address, 1_000_000_000_000L);
            callers.add(new Caller(WalletAddress.of(address), Set.of(Caller.CUSTOMER)));
        }
        Instant firstHour = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        // the raw inserts name one order (a real one: holds refer to orders) and GPU ids of no pool, so that they take no GPU a
        // reservation might
        long rawOrder = market.order(callers.get(0), "bench-raw", new OrderRequest(pool.id(), OrderKind.RESERVED, 1, firstHour,
                firstHour.plus(Duration.ofHours(1)), null)).id();
        long rawPool = pool.id() + 1_000_000;
        System.out.printf("set-up: a pool of %d GPUs and %d funded customers in %d s%n", GPUS, CLIENTS,
                Duration.ofNanos(System.nanoTime() - setUp).toSeconds());

        Work reservation = client -> {
            Instant start = firstHour.plus(Duration.ofHours(ThreadLocalRandom.current().nextInt(HOURS)));
            try {
                market.order(callers.get(client), UUID.randomUUID().toString(),
                        new OrderRequest(pool.id(), OrderKind.RESERVED, 1, start, start.plus(Duration.ofHours(1)), null));
                return true;
            } catch (DomainException e) {
                return false;
            }
        };
        Work raw = client -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            OffsetDateTime start = OffsetDateTime.ofInstant(firstHour.plus(Duration.ofHours(random.nextInt(HOURS))), ZoneOffset.UTC);
            long gpu = 2_000_000_000L + random.nextInt(GPUS);
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "insert into market_hold (order_id, pool_id, gpu_id, gpu_uuid, kind, during) "
                            + "values (?, ?, ?, ?, 'RESERVED', tstzrange(?, ?, '[)')) on conflict do nothing")) {
                s.setLong(1, rawOrder);
                s.setLong(2, rawPool);
                s.setLong(3, gpu);
                s.setString(4, "GPU-bench-" + gpu);
                s.setObject(5, start);
                s.setObject(6, start.plusHours(1));
                return s.executeUpdate() == 1;
            }
        };
        Map<String, Work> workloads = new java.util.LinkedHashMap<>();
        workloads.put("raw JDBC hold insert", raw);
        workloads.put("market reservation", reservation);
        Map<String, Rate[]> rates = new java.util.LinkedHashMap<>();
        for (var workload : workloads.entrySet()) {
            measure(workload.getValue(), 3); // warm-up: JIT, caches
            rates.put(workload.getKey(), new Rate[runs]);
        }
        // the workloads take turns, run after run, so that each run compares them under the same load of the machine
        for (int i = 0; i < runs; i++) {
            for (var workload : workloads.entrySet()) {
                rates.get(workload.getKey())[i] = measure(workload.getValue(), seconds);
            }
        }
        System.out.println("Market reservations benchmark (durable database: " + System.getProperty("test-postgres.durable", "false")
                + "; " + CLIENTS + " clients, a pool of " + GPUS + " GPUs, one GPU for one hour of the next " + HOURS + " each)");
        rates.forEach((name, figures) -> {
            double[] done = Arrays.stream(figures).mapToDouble(Rate::done).toArray();
            double[] sorted = done.clone();
            Arrays.sort(sorted);
            System.out.printf("%-21s %d s x %d runs: %s/s; median %.0f/s (refused: %s/s)%n", name, seconds, runs,
                    Arrays.toString(Arrays.stream(done).map(Math::rint).toArray()), sorted[runs / 2],
                    Arrays.toString(Arrays.stream(figures).mapToDouble(Rate::refused).map(Math::rint).toArray()));
            for (Rate r : figures) {
                System.out.printf("  cost %-14s per op: %.1f statements, JVM CPU %.2f ms, database CPU %.2f ms; connections: %s%n",
                        name.substring(0, Math.min(14, name.length())), r.statements(), r.jvmCpuMs(), r.dbCpuMs(), r.states());
            }
            Map<String, Long> where = new TreeMap<>();
            Arrays.stream(figures).forEach(r -> r.where().forEach((k, v) -> where.merge(k, v, Long::sum)));
            long all = Math.max(1, where.values().stream().mapToLong(Long::longValue).sum());
            where.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(16)
                    .forEach(e -> System.out.printf("  where %-14s %4.1f%% %s%n", name.substring(0, Math.min(14, name.length())),
                            100.0 * e.getValue() / all, e.getKey()));
        });
        double[] ratios = new double[runs];
        for (int i = 0; i < runs; i++) {
            ratios[i] = rates.get("market reservation")[i].done() / rates.get("raw JDBC hold insert")[i].done();
        }
        double[] sortedRatios = ratios.clone();
        Arrays.sort(sortedRatios);
        System.out.printf("market reservation / raw JDBC, run by run: %s; median %.2f%n",
                Arrays.toString(Arrays.stream(ratios).map(r -> Math.rint(r * 100) / 100).toArray()), sortedRatios[runs / 2]);
        Statistics statistics = sessionFactory.getStatistics();
        Arrays.stream(statistics.getQueries()).sorted(java.util.Comparator.comparingLong(
                        (String q) -> statistics.getQueryStatistics(q).getExecutionTotalTime()).reversed()).limit(12)
                .forEach(q -> {
                    var stats = statistics.getQueryStatistics(q);
                    System.out.printf("  query %6d ms in %6d, %.2f ms each: %s%n", stats.getExecutionTotalTime(), stats.getExecutionCount(),
                            (double) stats.getExecutionTotalTime() / Math.max(1, stats.getExecutionCount()),
                            q.replaceAll("\\s+", " ").substring(0, Math.min(150, q.replaceAll("\\s+", " ").length())));
                });
        long overlaps = MarketWorld.overlappingHolds();
        long holds = MarketWorld.count("select count(*) from market_hold where pool_id in (" + pool.id() + ", " + rawPool + ")");
        System.out.printf("holds afterwards: %d; overlapping pairs: %d%n", holds, overlaps);
        if (overlaps != 0) {
            throw new AssertionError(overlaps + " pairs of holds overlap");
        }
    }

    /** Work done (and refused) per second, and what it cost (see {@link Rate}): CLIENTS threads running {@code work} back to back for {@code seconds}. */
    private Rate measure(Work work, int seconds) throws Exception {
        AtomicLong threads = new AtomicLong();
        ExecutorService executor = Executors.newFixedThreadPool(CLIENTS, r -> new Thread(r, CLIENT_THREAD + threads.incrementAndGet()));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(executor.submit(() -> {
                ready.countDown();
                go.await();
                while (!stop.get()) {
                    (work.run(client) ? done : refused).incrementAndGet();
                }
                return null;
            }));
        }
        ready.await();
        Statistics statistics = sessionFactory.getStatistics();
        long statements = statistics.getPrepareStatementCount();
        long jvmCpu = jvmCpuNanos();
        long dbCpu = dbCpuTicks();
        Sampler sampler = new Sampler();
        long start = System.nanoTime();
        go.countDown();
        sampler.start();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long counted = done.get();
        long refusals = refused.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Future<?> client : clients) {
            client.get();
        }
        executor.shutdown();
        Map<String, Double> states = sampler.finish();
        double ops = Math.max(1, done.get() + refused.get());
        return new Rate(counted / elapsed, refusals / elapsed, (statistics.getPrepareStatementCount() - statements) / ops,
                (jvmCpuNanos() - jvmCpu) / 1e6 / ops, (dbCpuTicks() - dbCpu) * 1000.0 / CLOCK_TICKS / ops, states, sampler.where);
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Linux's clock ticks per second (USER_HZ), in which /proc gives a process's CPU time. */
    private static final int CLOCK_TICKS = 100;

    /** The CPU time (user + system, clock ticks) of every process of the database server (/proc, Linux). */
    private long dbCpuTicks() throws Exception {
        long postmaster;
        try (Connection c = dataSource.getConnection(); var s = c.createStatement(); var r = s.executeQuery("select pg_backend_pid()")) {
            r.next();
            postmaster = Long.parseLong(stat(r.getLong(1))[1]);
        }
        long ticks = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                String[] f = stat(Long.parseLong(process.getFileName().toString()));
                if (f != null && (Long.parseLong(f[1]) == postmaster || Long.parseLong(process.getFileName().toString()) == postmaster)) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        }
        return ticks;
    }

    /** /proc/<pid>/stat from its 4th field on (ppid first: f[1]; utime f[11], stime f[12]), or null if it has gone. */
    private static String[] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return line.substring(line.lastIndexOf(')') + 2).split(" ");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Samples what the database's client connections are doing every 50 ms: active on CPU, active
     * waiting (a lock, the WAL, ...), idle in a transaction (waiting for this JVM), idle. The answer:
     * the mean number of connections in each state.
     */
    private final class Sampler extends Thread {
        private final Map<String, Long> counts = new TreeMap<>();
        private volatile boolean running = true;
        private int samples;

        Sampler() {
            super("bench-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                    select case when state = 'active' then 'active, ' || coalesce(wait_event_type || ':' || wait_event, 'on CPU')
                                else state end, count(*)
                    from pg_stat_activity
                    where backend_type = 'client backend' and datname = current_database() and pid <> pg_backend_pid()
                    group by 1""")) {
                while (running) {
                    try (var r = s.executeQuery()) {
                        while (r.next()) {
                            counts.merge(r.getString(1), r.getLong(2), Long::sum);
                        }
                    }
                    samples++;
                    sampleStacks();
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Client threads by where they are: the innermost frame of the product's code, and whether they wait for the database. */
        final Map<String, Long> where = new TreeMap<>();

        private void sampleStacks() {
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                if (!thread.getName().startsWith(CLIENT_THREAD) || stack.length == 0) {
                    return;
                }
                String top = stack[0].getClassName();
                String state = top.startsWith("sun.nio.ch") || top.startsWith("java.net") || top.startsWith("org.postgresql.core")
                        ? "waits for the database" : thread.getState() == Thread.State.RUNNABLE ? "runs" : "waits in " + Arrays.stream(stack)
                        .map(StackTraceElement::getClassName).filter(c -> !c.startsWith("java.") && !c.startsWith("jdk."))
                        .findFirst().orElse(top);
                String at = "benchmark";
                for (StackTraceElement frame : stack) {
                    String c = frame.getClassName();
                    if (MODULES.stream().anyMatch(c::startsWith) && !c.contains("_Subclass") && !c.contains("_ClientProxy")) {
                        at = c.substring(c.lastIndexOf('.') + 1) + "." + frame.getMethodName();
                        break;
                    }
                }
                where.merge(at + ": " + state, 1L, Long::sum);
            });
        }

        Map<String, Double> finish() throws InterruptedException {
            running = false;
            join();
            Map<String, Double> mean = new TreeMap<>();
            counts.forEach((state, n) -> mean.put(state, Math.rint(10.0 * n / Math.max(1, samples)) / 10));
            return mean;
        }
    }
}
