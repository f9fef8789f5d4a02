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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
                    "quarkus.datasource.jdbc.acquisition-timeout", "30s");
        }
    }

    /** One client's work: true when it was done, false when refused on the merits (409: that hour was full). */
    interface Work {
        boolean run(int client) throws Exception;
    }

    record Rate(double done, double refused) {
    }

    @Inject
    Market market;

    @Inject
    AgroalDataSource dataSource;

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
        });
        double[] ratios = new double[runs];
        for (int i = 0; i < runs; i++) {
            ratios[i] = rates.get("market reservation")[i].done() / rates.get("raw JDBC hold insert")[i].done();
        }
        double[] sortedRatios = ratios.clone();
        Arrays.sort(sortedRatios);
        System.out.printf("market reservation / raw JDBC, run by run: %s; median %.2f%n",
                Arrays.toString(Arrays.stream(ratios).map(r -> Math.rint(r * 100) / 100).toArray()), sortedRatios[runs / 2]);
        long overlaps = MarketWorld.overlappingHolds();
        long holds = MarketWorld.count("select count(*) from market_hold where pool_id in (" + pool.id() + ", " + rawPool + ")");
        System.out.printf("holds afterwards: %d; overlapping pairs: %d%n", holds, overlaps);
        if (overlaps != 0) {
            throw new AssertionError(overlaps + " pairs of holds overlap");
        }
    }

    /** Work done (and refused) per second: CLIENTS threads running {@code work} back to back for {@code seconds}. */
    private static Rate measure(Work work, int seconds) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
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
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long counted = done.get();
        long refusals = refused.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Future<?> client : clients) {
            client.get();
        }
        executor.shutdown();
        return new Rate(counted / elapsed, refusals / elapsed);
    }
}
