package bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import platform.EmbeddedDatabase;
import platform.PackagedApp;

/**
 * The settlement of one epoch of 10 million metered GPU-minutes over 100,000 GPUs in 2,000 pools
 * by the packaged app's settlement job, side by side with one SQL GROUP BY scan of the same burns
 * on the same database. The rows are made by SQL (generate_series) in an external PostgreSQL the
 * benchmark starts; the app settles the epoch before the current one (24 h epochs), and its log
 * says how long each settlement took, commit included. Run with bench/epoch-settlement.sh.
 *
 * <pre>bench.EpochSettlementBench [gpus 100000] [pools 2000] [minutes per GPU 100] [runs 3]</pre>
 */
public final class EpochSettlementBench {

    private static final Pattern SETTLED = Pattern.compile("Epoch (\\d+) settled and committed in (\\d+) ms");
    private static final Instant GENESIS = Instant.parse("2026-01-01T00:00:00Z");
    private static final long DAY = 86_400;

    private EpochSettlementBench() {
    }

    public static void main(String[] args) throws Exception {
        int gpus = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int pools = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        // BC_BENCH_WORK names the folder of an earlier run to settle its rows again without seeding
        // them (seeding takes minutes); the rows are for yesterday's epoch, so this works on the same day.
        String reuse = System.getenv("BC_BENCH_WORK");
        Path work = reuse == null || reuse.isBlank() ? Files.createTempDirectory("bc-epoch-bench") : Path.of(reuse);
        boolean seeded = Files.isDirectory(work.resolve("pg"));
        Files.deleteIfExists(work.resolve("server.log")); // the app appends to it; this run counts only its own settlements
        Path log = work.resolve("server.log");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("pg"), EmbeddedDatabase.Durability.DURABLE);
             PackagedApp app = new PackagedApp(log, Map.of(
                     "BC_DATA_DIR", work.resolve("data").toString(),
                     "BC_DB_URL", database.jdbcUrl(), "BC_DB_USER", "postgres", "BC_DB_PASSWORD", "",
                     "BC_SETTLEMENT_INTERVAL", "1s")).start().awaitReady();
             Connection db = DriverManager.getConnection(database.jdbcUrl(), "postgres", "")) {
            long epoch = (Instant.now().getEpochSecond() - GENESIS.getEpochSecond()) / DAY - 1;
            Instant start = GENESIS.plusSeconds(epoch * DAY);
            System.out.printf(Locale.ROOT, "epoch %d (%s): %,d GPUs in %,d pools, %,d GPU-minutes, %d cores%n", epoch, start, gpus, pools,
                    (long) gpus * minutes, Runtime.getRuntime().availableProcessors());
            System.out.println("work folder " + work + " (set BC_BENCH_WORK to it to run again without seeding, today)");
            if (seeded) {
                checkSeeded(db, epoch, start, gpus, (long) gpus * minutes);
            } else {
                long started = System.nanoTime();
                SettlementRows.seed(db, gpus, pools, minutes, start, Duration.ofMinutes(1), true);
                System.out.printf(Locale.ROOT, "seeded by SQL in %.1f s%n", (System.nanoTime() - started) / 1e9);
            }

            String scan = "select gpu_id, sum(amount) from credits_posting where operation = 'BURN' and occurred_at >= timestamptz '"
                    + start + "' and occurred_at < timestamptz '" + start.plusSeconds(DAY) + "' group by gpu_id";
            List<Long> scans = new ArrayList<>();
            for (int i = 0; i < runs + 1; i++) {
                long t = System.nanoTime();
                int rows = 0;
                try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(scan)) {
                    while (r.next()) {
                        rows++;
                    }
                }
                scans.add((System.nanoTime() - t) / 1_000_000);
                if (rows != gpus) {
                    throw new IllegalStateException("the scan found " + rows + " GPUs, not " + gpus);
                }
            }
            scans.remove(0); // warm-up
            System.out.printf(Locale.ROOT, "GROUP BY scan: %s ms, median %d ms%n", scans, median(scans));

            List<Long> settlements = new ArrayList<>();
            if (seeded) {
                reset(db, epoch);
            } else {
                try (Statement s = db.createStatement()) {
                    s.executeUpdate("insert into credits_epoch (epoch, start_at, end_at, status, emission, closed_at) values (" + epoch
                            + ", timestamptz '" + start + "', timestamptz '" + start.plusSeconds(DAY) + "', 'CLOSED', 821917808219178082191780, now())");
                }
            }
            for (int run = 0; run < runs; run++) {
                settlements.add(awaitSettlement(log, epoch, run));
                try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                        "select total_dc, minted, (select count(*) from credits_epoch_gpu where epoch = " + epoch + ") from credits_epoch where epoch = " + epoch)) {
                    r.next();
                    System.out.printf(Locale.ROOT, "run %d: settled in %d ms: %,d DC, minted %s, %,d GPU rows%n", run + 1,
                            settlements.get(run), r.getLong(1), r.getString(2), r.getLong(3));
                }
                if (run + 1 < runs) { // settle the same epoch again from the same rows
                    reset(db, epoch);
                }
            }
            long settle = median(settlements);
            long group = median(scans);
            System.out.printf(Locale.ROOT, "settlement: %s ms, median %d ms; GROUP BY scan median %d ms; ratio %.2f (goal at most 3)%n",
                    settlements, settle, group, (double) settle / group);
        }
    }

    /** Deletes what settling {@code epoch} wrote and marks it CLOSED again (the root's outbox row is the same, so it stays). */
    private static void reset(Connection db, long epoch) throws Exception {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("delete from credits_entitlement where epoch = " + epoch);
            s.executeUpdate("delete from credits_epoch_gpu where epoch = " + epoch);
            s.executeUpdate("delete from credits_epoch_pool where epoch = " + epoch);
            s.executeUpdate("update credits_epoch set status = 'CLOSED', inputs = null, result = null, inputs_digest = null,"
                    + " merkle_root = null, root_effect = null, settled_at = null, published_at = null where epoch = " + epoch);
        }
    }

    /** A reused folder must hold the rows this run would have seeded: yesterday's epoch, as many GPUs and burns. */
    private static void checkSeeded(Connection db, long epoch, Instant start, int gpus, long burns) throws Exception {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("select (select count(*) from pools_gpu),"
                + " (select count(*) from credits_epoch where epoch = " + epoch + "), (select count(*) from credits_posting"
                + " where operation = 'BURN' and occurred_at >= timestamptz '" + start + "' and occurred_at < timestamptz '"
                + start.plusSeconds(DAY) + "')")) {
            r.next();
            if (r.getLong(1) != gpus || r.getLong(2) != 1 || r.getLong(3) != burns) {
                throw new IllegalStateException("the reused folder holds " + r.getLong(1) + " GPUs and " + r.getLong(3)
                        + " burns for epoch " + epoch + " (rows " + r.getLong(2) + "), not " + gpus + " and " + burns
                        + ": it was seeded on another day or with other arguments");
            }
        }
    }

    /** Waits for the app's log to report the {@code run}-th settlement of the epoch; its duration in ms. */
    private static long awaitSettlement(Path log, long epoch, int run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<Long> found = new ArrayList<>();
            Matcher m = SETTLED.matcher(Files.readString(log));
            while (m.find()) {
                if (Long.parseLong(m.group(1)) == epoch) {
                    found.add(Long.parseLong(m.group(2)));
                }
            }
            if (found.size() > run) {
                return found.get(run);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("epoch " + epoch + " was not settled; see " + log);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
