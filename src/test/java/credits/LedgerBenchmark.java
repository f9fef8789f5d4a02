package credits;

import accounts.TestWallet;
import accounts.WalletAddress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Ledger postings per second with 64 concurrent clients, beside plain single-row inserts into a
 * table of the same shape on the same database (docs/benchmarks.md). Not part of the suite (the
 * name matches no test pattern, and it needs -Dbench.ledger=true): run it with bench/ledger.sh,
 * which also gives the database the product's durability.
 */
@QuarkusTest
@TestProfile(LedgerBenchmark.SixtyFourConnections.class)
@EnabledIfSystemProperty(named = "bench.ledger", matches = "true")
class LedgerBenchmark {

    private static final int CLIENTS = 64;
    private static final Instant MINUTE = Instant.parse("2026-12-01T00:00:00Z");

    /** A connection per client, so that the pool is not what is measured. */
    public static class SixtyFourConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", String.valueOf(CLIENTS + 8),
                    "quarkus.datasource.jdbc.acquisition-timeout", "30s");
        }
    }

    @Inject
    Ledger ledger;

    @Inject
    EntityManager em;

    @Test
    void postingsPerSecond() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        int runs = Integer.getInteger("bench.runs", 3);
        String durable = System.getProperty("test-postgres.durable", "false");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "create table if not exists bench_posting (like credits_posting including all)").executeUpdate());
        List<WalletAddress> wallets = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            WalletAddress wallet = new WalletAddress(TestWallet.random().address());
            wallets.add(wallet);
            QuarkusTransaction.requiringNew().run(() -> ledger.mint("bench:funds:" + wallet, MintSource.BURN, wallet,
                    DataCredits.of(1_000_000_000_000L), "benchmark funds", null));
        }
        AtomicLong sequence = new AtomicLong();
        IntConsumer plainInsert = client -> {
            long n = sequence.incrementAndGet();
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                            insert into bench_posting (idempotency_key, operation, debit_account, credit_account, amount, requested,
                                                       reason, pool_id, gpu_id, occurred_at, posted_at)
                            values (?1, 'BURN', ?2, ?3, 1, 1, 'spot minute', 1, ?4, ?5, ?6)""")
                    .setParameter(1, "bench:plain:" + n).setParameter(2, client).setParameter(3, CLIENTS + client)
                    .setParameter(4, client).setParameter(5, MINUTE.plusSeconds(60 * n)).setParameter(6, MINUTE)
                    .executeUpdate());
        };
        IntConsumer ledgerBurn = client -> {
            long n = sequence.incrementAndGet();
            QuarkusTransaction.requiringNew().run(() -> ledger.burnFromBalance("bench:burn:" + n, wallets.get(client), 1, client,
                    MINUTE.plusSeconds(60 * n), DataCredits.of(1), "spot minute"));
        };
        // a card payment per posting, each its own checkout session (the reference), as CardWebhooks mints them
        IntConsumer ledgerMint = client -> {
            long n = sequence.incrementAndGet();
            QuarkusTransaction.requiringNew().run(() -> ledger.mint("bench:mint:" + n, MintSource.CARD, wallets.get(client),
                    DataCredits.of(1_000), "card payment", "cs_" + n));
        };
        // the workloads take turns, run after run, so that each run compares them under the same load of the machine
        Map<String, IntConsumer> workloads = new java.util.LinkedHashMap<>();
        workloads.put("plain insert", plainInsert);
        workloads.put("ledger burn", ledgerBurn);
        workloads.put("ledger mint", ledgerMint);
        Map<String, double[]> rates = new java.util.LinkedHashMap<>();
        for (var workload : workloads.entrySet()) {
            measure(workload.getValue(), 3); // warm-up: JIT, caches, accounts
            rates.put(workload.getKey(), new double[runs]);
        }
        for (int i = 0; i < runs; i++) {
            for (var workload : workloads.entrySet()) {
                rates.get(workload.getKey())[i] = measure(workload.getValue(), seconds);
            }
        }
        List<String> lines = new ArrayList<>();
        rates.forEach((name, figures) -> {
            double[] sorted = figures.clone();
            Arrays.sort(sorted);
            lines.add(String.format("%-13s %d clients, %d s x %d runs: %s postings/s; median %.0f/s", name, CLIENTS, seconds, runs,
                    Arrays.toString(Arrays.stream(figures).map(Math::rint).toArray()), sorted[runs / 2]));
        });
        lines.add(ratios("ledger burn / plain insert", rates.get("ledger burn"), rates.get("plain insert")));
        lines.add(ratios("ledger mint / ledger burn", rates.get("ledger mint"), rates.get("ledger burn")));
        System.out.println("Ledger benchmark (durable database: " + durable + ")");
        lines.forEach(System.out::println);
        if (!ledger.invariant().holds()) {
            throw new AssertionError("the invariant does not hold after the benchmark: " + ledger.invariant());
        }
    }

    /** The ratio of two workloads within each run (what the machine's load changes least), and its median. */
    private static String ratios(String name, double[] numerators, double[] denominators) {
        double[] ratios = new double[numerators.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = numerators[i] / denominators[i];
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        return String.format("%s, run by run: %s; median %.2f", name,
                Arrays.toString(Arrays.stream(ratios).map(r -> Math.rint(r * 100) / 100).toArray()), sorted[ratios.length / 2]);
    }

    /** Committed operations per second: CLIENTS threads running {@code work} back to back for {@code seconds}. */
    private static double measure(IntConsumer work, int seconds) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(executor.submit(() -> {
                ready.countDown();
                go.await();
                while (!stop.get()) {
                    work.accept(client);
                    done.incrementAndGet();
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
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Future<?> client : clients) {
            client.get();
        }
        executor.shutdown();
        return counted / elapsed;
    }
}
