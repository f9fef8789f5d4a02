package market;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import chain.Chain;
import chain.ChainEffect;
import chain.ContractName;
import chain.EffectStatus;
import chain.SlotKind;
import chain.TimeSlot;
import chain.contracts.BerkeleyToken;
import chain.contracts.SlotMarket;
import chain.contracts.TimeSlotNFT;
import credits.Credits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import pools.LeaseSource;

/**
 * Time slots in the market, with real contracts on the embedded anvil chain, wallets signing their
 * own transactions and event sync mirroring them: random sequences of splits and merges whose
 * pieces exactly cover their reservation (holds, GPU-seconds, escrow), a pay-as-you-go slot that
 * changes hands (a transfer, then a SlotMarket sale) and whose workload only its holder sets, the
 * close of its slot when the rental stops, and every refusal.
 */
@QuarkusTest
class SlotsTest {

    private static final long HOUR = 3_600;

    @Inject
    Chain chain;

    @Inject
    MarketLeases leases;

    @Inject
    SlotJobs slotJobs;

    @Inject
    Credits credits;

    private Web3j web3j;

    private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what + "; last seen: " + value);
            }
            Thread.sleep(100);
            value = probe.get();
        }
        return value;
    }

    @BeforeEach
    void chainIsUp() throws InterruptedException {
        await("the contracts deployed", () -> chain.info().contracts().size(), n -> n == ContractName.values().length);
        web3j = Web3j.build(new HttpService(chain.info().embeddedRpc().orElseThrow()));
    }

    private Credentials funded(MarketWorld.Customer customer) throws Exception {
        new Request<>("anvil_setBalance", List.of(customer.address(), "0x56bc75e2d63100000"),
                new HttpService(chain.info().embeddedRpc().orElseThrow()), VoidResponse.class).send();
        return Credentials.create(customer.wallet().key());
    }

    private <C> C load(ContractName name, Credentials as, Loader<C> loader) {
        return loader.load(chain.contractAddress(name).orElseThrow(), web3j,
                new RawTransactionManager(web3j, as, 31337, new PollingTransactionReceiptProcessor(web3j, 50, 1200)),
                new StaticEIP1559GasProvider(31337, BigInteger.valueOf(20_000_000_000L), BigInteger.ONE, BigInteger.valueOf(3_000_000)));
    }

    interface Loader<C> {
        C load(String address, Web3j web3j, RawTransactionManager tx, StaticEIP1559GasProvider gas);
    }

    private static TransactionReceipt ok(TransactionReceipt receipt) {
        assertThat(receipt.isStatusOK()).as("transaction %s", receipt.getTransactionHash()).isTrue();
        return receipt;
    }

    private Optional<String> holder(BigInteger token) {
        return chain.timeSlot(token).filter(s -> !s.burned()).map(TimeSlot::holder);
    }

    private static String lower(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    /** A piece as the test tracks it from the chain's receipts: its token, GPU count and window (hours). */
    record Piece(BigInteger token, long gpus, long start, long end) {
    }

    /** One order's holds as spans, read straight from the database. */
    private static List<SlotPieces.Span> holdsOf(long orderId) {
        List<SlotPieces.Span> spans = new ArrayList<>();
        try (Connection c = MarketWorld.db(); PreparedStatement s = c.prepareStatement(
                "select gpu_id, gpu_uuid, lower(during), upper(during) from market_hold where order_id = ? order by gpu_id, lower(during)")) {
            s.setLong(1, orderId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    spans.add(new SlotPieces.Span(r.getLong(1), r.getString(2), r.getTimestamp(3).toInstant(), r.getTimestamp(4).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return spans;
    }

    /** The order of a slot: {id, status, gpus, start, end, price_dc, escrow account balance}. */
    private static Optional<Object[]> orderOf(BigInteger token) {
        try (Connection c = MarketWorld.db(); PreparedStatement s = c.prepareStatement("""
                select o.id, o.status, o.gpus, o.start_at, o.end_at, o.price_dc, coalesce(a.balance, 0)
                from market_order o left join credits_account a on a.code = 'escrow:market-order-' || o.id
                where o.slot_token_id = ?""")) {
            s.setBigDecimal(1, new java.math.BigDecimal(token));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Object[] {r.getLong(1), r.getString(2), r.getInt(3), r.getTimestamp(4).toInstant(),
                        r.getTimestamp(5).toInstant(), r.getLong(6), r.getLong(7)});
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void randomSplitsAndMergesOnChainLeavePiecesThatExactlyCoverTheirReservationInHoldsGpuSecondsAndEscrow() throws Exception {
        Random random = new Random(20261203L);
        int sequences = 30;
        MarketWorld.Pool pool = MarketWorld.pool(4);
        MarketWorld.Customer reseller = MarketWorld.customer(400_000_000L);
        TimeSlotNFT nft = load(ContractName.TimeSlotNFT, funded(reseller), TimeSlotNFT::load);

        // 30 reservations of 1 to 4 GPUs for 12 h each, one after another with an hour between them
        List<Long> roots = new ArrayList<>();
        List<List<Piece>> live = new ArrayList<>();
        Instant base = MarketWorld.hourFromNow(2);
        for (int i = 0; i < sequences; i++) {
            int gpus = 1 + random.nextInt(4);
            long start = 13L * i;
            Instant from = base.plusSeconds(start * HOUR);
            long id = Long.parseLong(MarketWorld.order(reseller, MarketWorld.reservation(pool.id(), gpus, from, from.plusSeconds(12 * HOUR)))
                    .then().statusCode(201).extract().path("id"));
            roots.add(id);
            live.add(new ArrayList<>(List.of(new Piece(BigInteger.valueOf(id), gpus, start, start + 12))));
        }
        Map<Long, List<SlotPieces.Span>> rootHolds = new HashMap<>();
        Map<Long, Long> rootPrice = new HashMap<>();
        for (long root : roots) {
            rootHolds.put(root, holdsOf(root));
            rootPrice.put(root, (Long) orderOf(BigInteger.valueOf(root)).orElseThrow()[5]);
            await("slot " + root + " minted", () -> holder(BigInteger.valueOf(root)), h -> h.isPresent());
        }

        // per sequence, 3 to 6 random splits (by time at a whole hour, or by count) and merges, signed by the holder
        int splits = 0;
        int merges = 0;
        for (List<Piece> pieces : live) {
            for (int step = 3 + random.nextInt(4); step > 0; step--) {
                Piece a = pieces.get(random.nextInt(pieces.size()));
                Optional<Piece> mergeable = pieces.stream().filter(b -> b != a && (a.gpus() == b.gpus() && (a.end() == b.start()
                        || b.end() == a.start()) || a.start() == b.start() && a.end() == b.end())).findFirst();
                int choice = random.nextInt(3);
                long base0 = base.getEpochSecond() / HOUR;
                if (choice == 0 && mergeable.isPresent()) {
                    Piece b = mergeable.get();
                    var merged = TimeSlotNFT.getSlotsMergedEvents(ok(nft.merge(a.token(), b.token()).send())).get(0).merged;
                    pieces.remove(a);
                    pieces.remove(b);
                    pieces.add(a.start() == b.start() && a.end() == b.end() ? new Piece(merged, a.gpus() + b.gpus(), a.start(), a.end())
                            : new Piece(merged, a.gpus(), Math.min(a.start(), b.start()), Math.max(a.end(), b.end())));
                    merges++;
                } else if (choice != 2 && a.end() - a.start() > 1) {
                    long at = a.start() + 1 + random.nextInt((int) (a.end() - a.start() - 1));
                    var split = TimeSlotNFT.getSlotSplitEvents(ok(nft.splitAt(a.token(), BigInteger.valueOf((base0 + at) * HOUR)).send())).get(0);
                    pieces.remove(a);
                    pieces.add(new Piece(split.first, a.gpus(), a.start(), at));
                    pieces.add(new Piece(split.second, a.gpus(), at, a.end()));
                    splits++;
                } else if (a.gpus() > 1) {
                    long count = 1 + random.nextInt((int) a.gpus() - 1);
                    var split = TimeSlotNFT.getSlotSplitEvents(ok(nft.splitByCount(a.token(), BigInteger.valueOf(count)).send())).get(0);
                    pieces.remove(a);
                    pieces.add(new Piece(split.first, count, a.start(), a.end()));
                    pieces.add(new Piece(split.second, a.gpus() - count, a.start(), a.end()));
                    splits++;
                }
            }
        }
        assertThat(splits).isGreaterThan(30);
        assertThat(merges).isGreaterThan(5);

        // once event sync has followed every piece: each reservation's pieces cover it exactly
        for (int i = 0; i < sequences; i++) {
            long root = roots.get(i);
            List<SlotPieces.Span> all = new ArrayList<>();
            long escrow = 0;
            for (Piece piece : live.get(i)) {
                Object[] order = await("the order of piece " + piece.token(), () -> orderOf(piece.token()), Optional::isPresent).orElseThrow();
                long id = (Long) order[0];
                List<SlotPieces.Span> spans = holdsOf(id);
                Instant start = base.plusSeconds(piece.start() * HOUR);
                Instant end = base.plusSeconds(piece.end() * HOUR);
                assertThat(order[1]).as("piece %s", piece).isEqualTo("SCHEDULED");
                assertThat(order[2]).isEqualTo((int) piece.gpus());
                assertThat(order[3]).isEqualTo(start);
                assertThat(order[4]).isEqualTo(end);
                assertThat(SlotPieces.gpuSeconds(spans)).as("GPU-seconds of piece %s", piece).isEqualTo(piece.gpus() * (piece.end() - piece.start()) * HOUR);
                assertThat(spans).allMatch(s -> !s.lower().isBefore(start) && !s.upper().isAfter(end));
                assertThat(order[5]).as("price of piece %s = its escrow", piece).isEqualTo(order[6]);
                escrow += (Long) order[6];
                all.addAll(spans);
            }
            assertThat(SlotPieces.gpuSeconds(all)).as("GPU-seconds of reservation %d", root).isEqualTo(SlotPieces.gpuSeconds(rootHolds.get(root)));
            assertThat(SlotPieces.joined(all)).as("the pieces of reservation %d cover it without gap or overlap", root)
                    .isEqualTo(SlotPieces.joined(rootHolds.get(root)));
            assertThat(escrow).as("escrow of reservation %d conserved", root).isEqualTo(rootPrice.get(root));
        }
        // the orders that were split or merged away hold nothing and keep no DCs
        assertThat(MarketWorld.count("select count(*) from market_order o join credits_account a on a.code = 'escrow:market-order-' || o.id "
                + "where o.status in ('SPLIT', 'MERGED') and a.balance <> 0")).isZero();
        assertThat(MarketWorld.count("select count(*) from market_hold h join market_order o on o.id = h.order_id "
                + "where o.status in ('SPLIT', 'MERGED')")).isZero();
        assertThat(MarketWorld.overlappingHolds()).isZero();
        assertThat(credits.invariant().holds()).isTrue();
        assertThat(given().auth().oauth2(reseller.token()).get("/api/market/slots").then().statusCode(200).extract().jsonPath()
                .getList("tokenId", String.class)).containsExactlyInAnyOrderElementsOf(
                live.stream().flatMap(List::stream).map(p -> p.token().toString()).toList());

        // a slot split or merged away takes no workload: its pieces do (409)
        Piece first = live.get(0).get(0);
        given().auth().oauth2(reseller.token()).contentType(ContentType.JSON).body(Map.of("workload", workload("a")))
                .put("/api/market/slots/" + roots.get(0) + "/workload").then().statusCode(first.token().equals(BigInteger.valueOf(roots.get(0))) ? 200 : 409);
        given().auth().oauth2(reseller.token()).contentType(ContentType.JSON).body(Map.of("workload", workload("a")))
                .put("/api/market/slots/" + first.token() + "/workload").then().statusCode(200);
    }

    private static Map<String, Object> workload(String who) {
        return Map.of("image", "docker.io/library/ubuntu:24.04", "env", Map.of("WHO", who));
    }

    /** What the node agent of the pool's host says about a lease's workload, with a heartbeat. */
    private static void report(String agentKey, String gpuUuid, String leaseId, String state) {
        given().auth().oauth2(agentKey).contentType(ContentType.JSON).body(Map.of("gpus", List.of(gpuUuid), "workloads",
                List.of(Map.of("leaseId", leaseId, "state", state)))).post("/api/agent/heartbeats").then().statusCode(200);
    }

    private LeaseSource.Lease lease(long gpuId) {
        return QuarkusTransaction.requiringNew().call(() -> leases.leases(List.of(gpuId), Instant.now())).get(0);
    }

    private static io.restassured.response.Response putWorkload(MarketWorld.Customer who, Object token, Object body) {
        return given().auth().oauth2(who.token()).contentType(ContentType.JSON).body(body).put("/api/market/slots/" + token + "/workload");
    }

    @Test
    void aPayAsYouGoSlotThatChangesHandsRunsOnlyWhatItsNewHolderSetsAndIsClosedWhenTheRentalStops() throws Exception {
        MarketWorld.Pool pool = MarketWorld.pool(1);
        MarketWorld.Customer alice = MarketWorld.customer(10_000_000L);
        MarketWorld.Customer bob = MarketWorld.customer(0);
        MarketWorld.Customer carol = MarketWorld.customer(0);
        Map<String, Object> spot = new HashMap<>(MarketWorld.payAsYouGo(pool.id(), "SPOT", 1));
        spot.put("workload", workload("alice"));
        String id = MarketWorld.order(alice, spot).then().statusCode(201).extract().path("id");
        BigInteger token = new BigInteger(id);
        long gpu = pool.gpuIds().get(0);
        assertThat(lease(gpu).workload().env()).containsEntry("WHO", "alice");
        await("the spot slot minted", () -> holder(token), h -> h.equals(Optional.of(lower(alice.address()))));
        assertThat(chain.timeSlot(token).orElseThrow().terms().kind()).isEqualTo(SlotKind.SPOT);
        assertThat(chain.timeSlot(token).orElseThrow().terms().open()).isTrue();

        // the node agent reports Alice's workload running
        String leaseId = MarketLeases.leaseId(Long.parseLong(id), gpu);
        String agent = pools.TestPools.apiKey(pool.operator());
        report(agent, pool.uuids().get(0), leaseId, "RUNNING");
        await("Alice's workload running", () -> given().auth().oauth2(alice.token()).get("/api/market/orders/" + id).path("status"),
                "RUNNING"::equals);

        // Alice gives the slot to Bob: from then on nothing runs until Bob sets a workload; Alice may not
        ok(load(ContractName.TimeSlotNFT, funded(alice), TimeSlotNFT::load).transferFrom(alice.address(), bob.address(), token).send());
        await("Bob holds the slot", () -> holder(token), h -> h.equals(Optional.of(lower(bob.address()))));
        await("the workload cleared", () -> lease(gpu).workload(), w -> w == null);
        putWorkload(alice, token, Map.of("workload", workload("alice"))).then().statusCode(403);
        given().auth().oauth2(alice.token()).get("/api/market/slots/" + token).then().statusCode(404);
        // Bob's workload waits until the agent has stopped Alice's (it follows the lease by id)
        putWorkload(bob, token, Map.of("workload", workload("bob"))).then().statusCode(409);
        report(agent, pool.uuids().get(0), leaseId, "STOPPED");
        await("Bob's workload taken once Alice's stopped", () -> putWorkload(bob, token, Map.of("workload", workload("bob"))).statusCode(),
                status -> status == 200);
        given().auth().oauth2(bob.token()).get("/api/market/slots/" + token).then().statusCode(200)
                .body("role", org.hamcrest.Matchers.equalTo("HOLDER"));
        assertThat(lease(gpu).workload().env()).containsEntry("WHO", "bob");
        assertThat(given().auth().oauth2(bob.token()).get("/api/market/slots").then().statusCode(200).extract().jsonPath()
                .getList("tokenId", String.class)).contains(id);

        // Bob lists it on SlotMarket; Carol buys it: again nothing runs until Carol sets a workload
        Credentials bobKeys = funded(bob);
        String market = chain.contractAddress(ContractName.SlotMarket).orElseThrow();
        ok(load(ContractName.TimeSlotNFT, bobKeys, TimeSlotNFT::load).setApprovalForAll(market, true).send());
        ok(load(ContractName.SlotMarket, bobKeys, SlotMarket::load).list(token, BigInteger.valueOf(500)).send());
        await("the listing", () -> given().get("/api/market/listings?pool=" + pool.id()).then().statusCode(200).extract().jsonPath()
                .getList("tokenId", String.class), l -> l.contains(id));
        assertThat(given().get("/api/market/listings?pool=" + pool.id()).then().extract().jsonPath().getString("[0].orderId")).isEqualTo(id);
        QuarkusTransaction.requiringNew().run(() -> chain.request("slots-test-tokens-" + id,
                new ChainEffect.MintTokens(carol.address(), BigInteger.valueOf(1_000))));
        await("Carol's tokens", () -> chain.effect("slots-test-tokens-" + id).map(EffectStatus::done), d -> d.orElse(false));
        Credentials carolKeys = funded(carol);
        ok(load(ContractName.BerkeleyToken, carolKeys, BerkeleyToken::load).approve(market, BigInteger.valueOf(1_000)).send());
        ok(load(ContractName.SlotMarket, carolKeys, SlotMarket::load).buy(token, BigInteger.valueOf(500)).send());
        await("Carol holds the slot", () -> holder(token), h -> h.equals(Optional.of(lower(carol.address()))));
        await("the workload cleared", () -> lease(gpu).workload(), w -> w == null);
        putWorkload(bob, token, Map.of("workload", workload("bob"))).then().statusCode(403);
        assertThat(given().get("/api/market/sales?pool=" + pool.id()).then().statusCode(200).extract().jsonPath().getString("[0].buyer"))
                .isEqualTo(lower(carol.address()));
        assertThat(given().get("/api/market/listings?pool=" + pool.id()).then().extract().jsonPath().getList("tokenId")).isEmpty();
        putWorkload(carol, token, Map.of("workload", workload("carol"))).then().statusCode(200);
        assertThat(lease(gpu).workload().env()).containsEntry("WHO", "carol");
        given().auth().oauth2(carol.token()).get("/api/market/slots/" + token).then().statusCode(200)
                .body("role", org.hamcrest.Matchers.equalTo("HOLDER")).body("kind", org.hamcrest.Matchers.equalTo("SPOT"))
                .body("gpuIds[0]", org.hamcrest.Matchers.equalTo((int) gpu)).body("workload.env.WHO", org.hamcrest.Matchers.equalTo("carol"));

        // refusals: malformed (400), unknown (404), anonymous (401), nothing changed
        putWorkload(carol, token, Map.of("workload", Map.of("image", "NOT AN IMAGE"))).then().statusCode(400);
        putWorkload(carol, "12x", Map.of("workload", workload("carol"))).then().statusCode(400);
        putWorkload(carol, "1" + "0".repeat(78), Map.of("workload", workload("carol"))).then().statusCode(400);
        putWorkload(carol, "987654321987654321", Map.of("workload", workload("carol"))).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("workload", workload("x"))).put("/api/market/slots/" + token + "/workload")
                .then().statusCode(401);
        given().get("/api/market/listings?limit=0").then().statusCode(400);
        given().get("/api/market/sales?pool=-1").then().statusCode(400);
        assertThat(lease(gpu).workload().env()).containsEntry("WHO", "carol");

        // the rental stops: its slot is closed on chain at its end, once
        given().auth().oauth2(alice.token()).contentType(ContentType.JSON).post("/api/market/orders/" + id + "/stop").then().statusCode(200);
        putWorkload(carol, token, Map.of("workload", workload("carol"))).then().statusCode(409);
        slotJobs.closeEnded();
        slotJobs.closeEnded();
        assertThat(MarketWorld.count("select count(*) from chain_outbox where effect_key = 'market:slot-close:" + id + "'")).isEqualTo(1);
        await("the slot closed", () -> chain.timeSlot(token).orElseThrow().terms().open(), open -> !open);
    }
}
