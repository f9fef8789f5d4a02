package bench;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** A settled network's rows made by SQL (generate_series), for the settlement benchmark and the crash test. */
public final class SettlementRows {

    private static final int HOLDERS = 10_000;

    private SettlementRows() {
    }

    /**
     * Pools, operators, GPUs, their NFT holders (chain_transfer), 24 hours of uptime from {@code start} and
     * {@code minutes} burns per GPU from {@code start}, {@code step} apart, all by SQL. Ids start at 1, so
     * use a fresh database.
     */
    public static void seed(Connection db, int gpus, int pools, int minutes, Instant start, Duration step, boolean verbose) throws Exception {
        String at = "timestamptz '" + start + "'";
        int holders = Math.min(HOLDERS, gpus);
        long stepMs = step.toMillis();
        String[] statements = {
            "insert into pools_operator (id, name, requested_by, created_at) select i, 'Bench ' || i, '0x' || lpad(to_hex(i), 40, '0'), now()"
                + " from generate_series(1, " + pools + ") i",
            "insert into pools_pool (id, operator_id, name, mode, model_id, region, spot_dc_per_hour, on_demand_dc_per_hour, operator_bps,"
                + " pool_bps, used_gpu_bps, notice_period_seconds, min_uptime_bps, uptime_window_seconds, max_failures, warning_grace_seconds,"
                + " created_at, updated_at) select i, i, 'Bench pool ' || i, 'SELF', 'h100-sxm', 'bench', 120000, 200000, 1000, 6000, 3000,"
                + " 3600, 9000, 86400, 5, 86400, now(), now() from generate_series(1, " + pools + ") i",
            "insert into pools_gpu (id, pool_id, operator_id, host_name, serial_number, gpu_uuid, status, registered_at, updated_at)"
                + " select g, (g - 1) % " + pools + " + 1, (g - 1) % " + pools + " + 1, 'host-' || g, 'SN-' || g, 'GPU-bench-' || g,"
                + " 'OFFLINE', now(), now() from generate_series(1, " + gpus + ") g",
            "insert into chain_transfer (kind, token_id, block_number, log_index, block_time, from_address, to_address, tx_hash)"
                + " select 'OPERATOR', i, 1, i, timestamptz '2026-01-01 00:00:00+00', '0x' || repeat('0', 40), '0x' || lpad(to_hex(i), 40, '0'),"
                + " '0x' || repeat('a', 64) from generate_series(1, " + pools + ") i",
            "insert into chain_transfer (kind, token_id, block_number, log_index, block_time, from_address, to_address, tx_hash)"
                + " select 'GPU', g, 2, g, timestamptz '2026-01-01 00:00:00+00', '0x' || repeat('0', 40),"
                + " '0x' || lpad(to_hex(1000000 + g % " + holders + "), 40, '0'), '0x' || repeat('b', 64) from generate_series(1, " + gpus + ") g",
            // a day of uptime: each GPU online in 23 hours of 24 (one interval of 30 s missed in one hour of ten)
            "insert into pools_uptime (gpu_id, hour, mask) select g, h, case when (g + h) % 24 = 0 then B'0'"
                + " when (g + h) % 10 = 0 then cast(repeat('1', 119) || '0' as varbit) else B'1' end"
                + " from generate_series(1, " + gpus + ") g, generate_series(" + start.getEpochSecond() / 3600 + ", "
                + (start.getEpochSecond() / 3600 + 23) + ") h",
            "insert into credits_account (id, code, kind, owner, balance, created_at) values (1, 'wallet:0x' || repeat('c', 40), 'WALLET',"
                + " '0x' || repeat('c', 40), 0, now())",
            "insert into credits_account (id, code, kind, pool_id, gpu_id, balance, created_at) select 1 + g, 'burned:' || ((g - 1) % "
                + pools + " + 1) || ':' || g, 'BURNED', (g - 1) % " + pools + " + 1, g, 0, now() from generate_series(1, " + gpus + ") g",
            "select setval('credits_account_id_seq', " + (gpus + 10) + ")",
            // minute m of GPU g: 100 to 199 DC, metered at the epoch's start + m steps, posted now
            "insert into credits_posting (idempotency_key, operation, debit_account, credit_account, amount, requested, reason, pool_id,"
                + " gpu_id, occurred_at, posted_at) select 'bench:' || n, 'BURN', 1, 1 + g, 100 + n % 100, 100 + n % 100, 'metered minute',"
                + " (g - 1) % " + pools + " + 1, g, " + at + " + (m * " + stepMs + " * interval '1 millisecond'), now()"
                + " from (select n, n % " + gpus + " + 1 as g, n / " + gpus + " as m from generate_series(0, " + ((long) gpus * minutes - 1) + ") n) x",
            "update credits_account a set balance = b.total from (select credit_account, sum(amount) total from credits_posting group by credit_account) b"
                + " where a.id = b.credit_account",
            "insert into credits_account (code, kind, source, balance, created_at) select 'minted:CARD', 'MINTED', 'CARD', sum(amount), now()"
                + " from credits_posting",
            "vacuum analyze",
        };
        try (Statement s = db.createStatement()) {
            for (String sql : statements) {
                long t = System.nanoTime();
                s.execute(sql);
                if (verbose) {
                    System.out.printf(Locale.ROOT, "  %5.1f s  %s%n", (System.nanoTime() - t) / 1e9, sql.substring(0, Math.min(70, sql.length())));
                }
            }
        }
    }
}
