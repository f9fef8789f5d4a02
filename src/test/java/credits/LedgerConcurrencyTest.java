package credits;

import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestWallet;
import accounts.WalletAddress;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/**
 * A property of the ledger under concurrency, against the real PostgreSQL: 64 clients doing
 * seeded random purchases (mints by burn and card), take-backs, escrows, burns from balance and
 * from escrow, and refunds on a few shared wallets, replaying keys they or others used before and
 * reusing keys for other postings. After every step the invariant holds in SQL; at checkpoints no
 * balance is negative; at the end every balance is what its postings say, no key is applied
 * twice, and each wallet holds exactly what the applied postings moved.
 */
@QuarkusTest
class LedgerConcurrencyTest {

    private static final int CLIENTS = 64;
    private static final int STEPS = 40;
    private static final int WALLETS = 12;
    private static final int ESCROWS = 16;
    private static final Duration BUDGET = Duration.ofSeconds(45);
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    @Inject
    Ledger ledger;

    @Inject
    AgroalDataSource dataSource;

    /** A posting the clients may send, again and again, under its key. */
    private record Op(String key, String kind, WalletAddress wallet, String escrowId, Supplier<Posted> send) {
    }

    private record EscrowPlan(String id, WalletAddress owner, EscrowTerms terms) {
    }

    private final String run = "prop-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final List<Op> sent = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> appliedTimes = new ConcurrentHashMap<>();
    private final Map<String, Posted> applied = new ConcurrentHashMap<>();
    private final Map<String, Op> opOfKey = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger keys = new AtomicInteger();
    private final AtomicInteger steps = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger replays = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();

    @Test
    void sixtyFourClientsKeepTheInvariantAndApplyEachKeyOnce() throws Exception {
        List<WalletAddress> wallets = new ArrayList<>();
        for (int i = 0; i < WALLETS; i++) {
            wallets.add(new WalletAddress(TestWallet.random().address()));
        }
        long pool = 900_000 + new SplittableRandom().nextInt(100_000);
        List<EscrowPlan> escrows = new ArrayList<>();
        for (int i = 0; i < ESCROWS; i++) {
            escrows.add(new EscrowPlan(run + "escrow-" + i, wallets.get(i % WALLETS),
                    new EscrowTerms(pool, List.of(10L + i, 11L + i), START, START.plusSeconds(3_600))));
        }

        long began = System.nanoTime();
        ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            SplittableRandom random = new SplittableRandom(20261203L * 64 + c);
            clients.add(executor.submit(() -> client(random, wallets, escrows, pool, began)));
        }
        for (Future<?> client : clients) {
            client.get(BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
        }
        executor.shutdown();
        double seconds = (System.nanoTime() - began) / 1e9;

        assertThat(failures).isEmpty();
        assertThat(seconds).as("bounded time").isLessThan(60);
        assertThat(steps.get()).as("steps done in time").isGreaterThan(CLIENTS * STEPS / 4);
        assertThat(refusals.get()).as("some postings were refused for want of credits").isPositive();
        assertThat(replays.get()).as("some keys were sent again").isPositive();
        assertThat(conflicts.get()).as("some keys were reused for other postings").isPositive();

        assertThat(ledger.invariant().holds()).isTrue();
        assertThat(accountsOffTheirPostings()).as("accounts whose balance is not what their postings say").isZero();
        assertThat(appliedTimes.values()).allSatisfy(times -> assertThat(times.get()).isEqualTo(1));
        Map<String, Long> stored = postingsOfRun();
        assertThat(stored.keySet()).isEqualTo(applied.keySet());
        applied.forEach((key, posted) -> assertThat(stored.get(key)).as(key).isEqualTo(posted.amount().value()));
        assertThat(maxPostingsPerKey()).isEqualTo(1);

        Map<WalletAddress, long[]> expected = expectedBalances();
        for (WalletAddress wallet : wallets) {
            Balance balance = ledger.balance(wallet);
            long[] model = expected.getOrDefault(wallet, new long[2]);
            assertThat(new long[] {balance.dc().value(), balance.escrowDc().value()}).as("wallet %s", wallet).isEqualTo(model);
        }
        assertThat(escrowsOffTheirAccounts()).isZero();
        System.out.printf("ledger property: %d steps by %d clients in %.1f s: %d applied, %d refused (402/404), %d replays, %d conflicts%n",
                steps.get(), CLIENTS, seconds, applied.size(), refusals.get(), replays.get(), conflicts.get());
    }

    private void client(SplittableRandom random, List<WalletAddress> wallets, List<EscrowPlan> escrows, long pool, long began) {
        try {
            for (int step = 0; step < STEPS && System.nanoTime() - began < BUDGET.toNanos(); step++) {
                int dice = random.nextInt(100);
                if (dice < 15 && !sent.isEmpty()) {
                    replay(sent.get(Math.max(0, sent.size() - 1 - random.nextInt(Math.min(sent.size(), 40)))));
                } else if (dice < 20 && !applied.isEmpty()) {
                    conflict(random, wallets);
                } else {
                    send(fresh(random, wallets, escrows, pool));
                }
                steps.incrementAndGet();
                Invariant invariant = ledger.invariant(); // SQL, one snapshot
                if (!invariant.holds()) {
                    failures.add("invariant broken after a step: " + invariant);
                }
                if (step % 10 == 9 && negativeBalances() > 0) {
                    failures.add("a negative balance at a checkpoint");
                }
            }
        } catch (Throwable e) {
            failures.add("client failed: " + e);
        }
    }

    private Op fresh(SplittableRandom random, List<WalletAddress> wallets, List<EscrowPlan> escrows, long pool) {
        String key = run + keys.incrementAndGet();
        WalletAddress wallet = wallets.get(random.nextInt(wallets.size()));
        EscrowPlan escrow = escrows.get(random.nextInt(escrows.size()));
        long gpu = escrow.terms().gpuIds().get(random.nextInt(2));
        Instant minute = START.plusSeconds(60L * random.nextInt(10_000));
        DataCredits dc = DataCredits.of(random.nextLong(0, 3_000));
        MintSource source = random.nextBoolean() ? MintSource.BURN : MintSource.CARD;
        return switch (random.nextInt(7)) {
            case 0, 1 -> new Op(key, "mint", wallet, null, () -> ledger.mint(key, source, wallet, DataCredits.of(dc.value() * 2), "bought", "ref"));
            case 2 -> new Op(key, "takeBack", wallet, null, () -> ledger.takeBack(key, source, wallet, dc, "refunded", "ref"));
            case 3 -> new Op(key, "burn", wallet, null, () -> ledger.burnFromBalance(key, wallet, pool, gpu, minute, dc, "spot minute"));
            case 4 -> new Op(key, "escrow", escrow.owner(), escrow.id(),
                    () -> ledger.escrow(key, escrow.owner(), escrow.id(), dc, escrow.terms(), "reservation"));
            case 5 -> new Op(key, "burnEscrow", escrow.owner(), escrow.id(),
                    () -> ledger.burnFromEscrow(key, escrow.id(), pool, gpu, minute, DataCredits.of(dc.value() / 3), "reserved minute"));
            default -> new Op(key, "refund", escrow.owner(), escrow.id(),
                    () -> ledger.refundEscrow(key, escrow.id(), DataCredits.of(dc.value() / 2), "refund"));
        };
    }

    private void send(Op op) {
        opOfKey.putIfAbsent(op.key(), op);
        sent.add(op);
        attempt(op);
    }

    /** The same posting again: applies at most once, and a replay of an applied one answers what it did. */
    private void replay(Op op) {
        replays.incrementAndGet();
        Posted before = applied.get(op.key());
        Posted now = attempt(op);
        if (before != null && (now == null || now.applied() || now.postingId() != before.postingId() || !now.amount().equals(before.amount()))) {
            failures.add("replay of applied " + op.key() + " answered " + now + " instead of " + before);
        }
    }

    /** An applied key used for another posting: a 409 that moves nothing. */
    private void conflict(SplittableRandom random, List<WalletAddress> wallets) {
        List<String> appliedKeys = new ArrayList<>(applied.keySet());
        String key = appliedKeys.get(random.nextInt(appliedKeys.size()));
        WalletAddress other = wallets.get(random.nextInt(wallets.size()));
        try {
            QuarkusTransaction.requiringNew().call(() -> ledger.mint(key, MintSource.CARD, other, DataCredits.of(1_000_000_007L), "other", "x"));
            failures.add("key " + key + " was applied again for another posting");
        } catch (DomainException e) {
            if (e.kind() != DomainException.Kind.CONFLICT) {
                failures.add("reused key " + key + ": " + e.kind() + " " + e.getMessage());
            }
            conflicts.incrementAndGet();
        }
    }

    private Posted attempt(Op op) {
        try {
            Posted posted = QuarkusTransaction.requiringNew().call(op.send()::get);
            if (posted.applied()) {
                applied.put(op.key(), posted);
                appliedTimes.computeIfAbsent(op.key(), k -> new AtomicInteger()).incrementAndGet();
            }
            return posted;
        } catch (DomainException e) {
            boolean expected = e.kind() == DomainException.Kind.PAYMENT_REQUIRED
                    || (e.kind() == DomainException.Kind.NOT_FOUND && op.escrowId() != null); // an escrow not open yet
            if (!expected) {
                failures.add(op.kind() + " " + op.key() + ": " + e.kind() + " " + e.getMessage());
            }
            refusals.incrementAndGet();
            return null;
        }
    }

    /** Each wallet's balance and escrow as the applied postings moved them, from the test's own record. */
    private Map<WalletAddress, long[]> expectedBalances() {
        Map<WalletAddress, long[]> balances = new HashMap<>();
        applied.forEach((key, posted) -> {
            Op op = opOfKey.get(key);
            long amount = posted.amount().value();
            long[] b = balances.computeIfAbsent(op.wallet(), w -> new long[2]);
            switch (op.kind()) {
                case "mint" -> b[0] += amount;
                case "takeBack", "burn" -> b[0] -= amount;
                case "escrow" -> {
                    b[0] -= amount;
                    b[1] += amount;
                }
                case "burnEscrow" -> b[1] -= amount;
                case "refund" -> {
                    b[0] += amount;
                    b[1] -= amount;
                }
                default -> throw new IllegalStateException(op.kind());
            }
        });
        return balances;
    }

    private long negativeBalances() {
        return count("select count(*) from credits_account where balance < 0");
    }

    /** Accounts whose stored balance differs from their postings (holding: in - out; source: out - in). */
    private long accountsOffTheirPostings() {
        return count("""
                select count(*) from credits_account a
                where a.balance <> (case when a.kind = 'MINTED' then -1 else 1 end) * (
                    coalesce((select sum(amount) from credits_posting where credit_account = a.id), 0)
                    - coalesce((select sum(amount) from credits_posting where debit_account = a.id), 0))""");
    }

    private long escrowsOffTheirAccounts() {
        return count("""
                select count(*) from credits_escrow e join credits_account a on a.id = e.account_id
                where e.escrowed_dc - e.burned_dc - e.refunded_dc <> a.balance""");
    }

    private long maxPostingsPerKey() {
        return count("select coalesce(max(n), 0) from (select count(*) n from credits_posting where idempotency_key like '" + run
                + "%' group by idempotency_key) k");
    }

    private Map<String, Long> postingsOfRun() throws SQLException {
        Map<String, Long> postings = new HashMap<>();
        try (Connection db = dataSource.getConnection();
             PreparedStatement query = db.prepareStatement("select idempotency_key, amount from credits_posting where idempotency_key like ?")) {
            query.setString(1, run + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    postings.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return postings;
    }

    private long count(String sql) {
        try (Connection db = dataSource.getConnection(); ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
