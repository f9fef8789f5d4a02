package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import accounts.TestWallet;
import accounts.WalletAddress;
import credits.DataCredits;
import credits.Scenario;
import credits.Settlement;
import credits.SettlementResult;
import credits.TokenAmount;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import platform.Epochs;
import pools.TestPools.Op;

/**
 * The spot-check rule in settlement's inputs, at fixed instants on the real database: a GPU that failed
 * or missed a spot check has no online seconds in the clock hour the check started in, within the
 * window asked for; a passed or open check, or a check in another hour, changes nothing. Then who sees a
 * GPU's checks (API and management page), and what they cost in reputation.
 */
@QuarkusTest
class SpotCheckRuleTest {

    /** A day of the default 24-hour epochs that no other test puts uptime or checks in. */
    static final Instant DAY = Instant.parse("2026-02-10T00:00:00Z");
    static final Instant TEN = DAY.plus(Duration.ofHours(10));
    static final Instant ELEVEN = DAY.plus(Duration.ofHours(11));

    @Inject
    Pools pools;
    @Inject
    Uptime uptime;
    @Inject
    SpotCheckRule rule;
    @Inject
    Epochs epochs;
    @Inject
    EntityManager em;

    /** A pool of {@code op} with two GPUs (ids a, b) in service. */
    record World(Op op, long pool, long a, String uuidA, long b, String uuidB) {
    }

    static World world(String mode) {
        Op op = TestPools.operator();
        long pool = TestPools.createPool(op, mode);
        String uuidA = TestPools.gpuUuid();
        String uuidB = TestPools.gpuUuid();
        long a = TestPools.registerGpu(op, pool, uuidA);
        long b = TestPools.registerGpu(op, pool, uuidB);
        TestPools.arrangeMinted(a);
        TestPools.arrangeMinted(b);
        return new World(op, pool, a, uuidA, b, uuidB);
    }

    /** The GPU online in the hour starting at {@code hour} from minute {@code fromMinute} to {@code toMinute} (30 s intervals). */
    void online(long gpuId, Instant hour, int fromMinute, int toMinute) {
        StringBuilder mask = new StringBuilder("0".repeat(120));
        for (int i = fromMinute * 2; i < toMinute * 2; i++) {
            mask.setCharAt(i, '1');
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into pools_uptime (gpu_id, hour, mask) values (?1, ?2, cast(?3 as varbit))")
                .setParameter(1, gpuId).setParameter(2, hour.getEpochSecond() / 3600).setParameter(3, mask.toString()).executeUpdate());
    }

    /** One GPU's result of a spot check (passed: true, false, or null while open). */
    record Result(String uuid, Boolean passed, String reason, Integer elapsedMs) {
    }

    /** A spot check of the operator from {@code startsAt}, as the gpu module records it, with each GPU's result. */
    void spotCheck(Op op, Instant startsAt, Result... results) {
        String operator = op.wallet().address().toLowerCase();
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("insert into gpu_spot_check (id, operator, starts_at, created_at, closed_at) values (?1, ?2, ?3, ?3, ?4)")
                    .setParameter(1, id).setParameter(2, operator).setParameter(3, startsAt).setParameter(4, startsAt.plusSeconds(5))
                    .executeUpdate();
            for (Result r : results) {
                em.createNativeQuery("insert into gpu_spot_result (check_id, gpu_uuid, operator, starts_at, passed, reason, elapsed_ms, "
                                + "deadline_ms, decided_at) values (?1, ?2, ?3, ?4, " + r.passed() + ", ?5, " + r.elapsedMs() + ", 900, "
                                + "case when " + r.passed() + " is null then null else cast(?6 as timestamptz) end)")
                        .setParameter(1, id).setParameter(2, r.uuid()).setParameter(3, operator).setParameter(4, startsAt)
                        .setParameter(5, r.reason() == null ? "" : r.reason()).setParameter(6, startsAt.plusSeconds(2)).executeUpdate();
            }
        });
    }

    long seconds(long gpuId, Instant from, Instant to) {
        return QuarkusTransaction.requiringNew().call(() -> rule.removeFailedHours(
                uptime.onlineSeconds(List.of(gpuId), from, to), from, to).getOrDefault(gpuId, 0L));
    }

    /**
     * GPU a is online 10:15–10:45 and all of 11:00–12:00, and 23:00–24:00 the day before; b the same
     * on this day. a fails a check at 10:20 and misses one at 10:50, passes at 11:05, fails at 12:30
     * (no uptime that hour) and at 23:30 the day before; b's check at 10:20 is still open and b passes at 11:05.
     */
    World arrangeFailedHour() {
        World w = world("SELF");
        online(w.a(), TEN, 15, 45);
        online(w.a(), ELEVEN, 0, 60);
        online(w.a(), DAY.minus(Duration.ofHours(1)), 0, 60);
        online(w.b(), TEN, 15, 45);
        online(w.b(), ELEVEN, 0, 60);
        spotCheck(w.op(), TEN.plusSeconds(20 * 60), new Result(w.uuidA(), false, "late: 1,412 of 900 ms", 1_412),
                new Result(w.uuidB(), null, null, null));
        spotCheck(w.op(), TEN.plusSeconds(50 * 60), new Result(w.uuidA(), false, "no answer", null));
        spotCheck(w.op(), ELEVEN.plusSeconds(5 * 60), new Result(w.uuidA(), true, null, 412), new Result(w.uuidB(), true, null, 398));
        spotCheck(w.op(), ELEVEN.plusSeconds(90 * 60), new Result(w.uuidA(), false, "wrong opening", 700));
        spotCheck(w.op(), DAY.minusSeconds(30 * 60), new Result(w.uuidA(), false, "no answer", null));
        return w;
    }

    @Test
    void aFailedSpotCheckRemovesTheGpusOnlineSecondsOfItsHourFromTheEpochsSettlementInputs() {
        World w = arrangeFailedHour();
        long epoch = epochs.epochAt(TEN);
        assertThat(epochs.startOf(epoch)).isEqualTo(DAY);
        assertThat(epochs.endOf(epoch)).as("the default 24-hour epochs").isEqualTo(DAY.plus(Duration.ofDays(1)));
        assertThat(QuarkusTransaction.requiringNew().call(() -> uptime.onlineSeconds(List.of(w.a(), w.b()), DAY, epochs.endOf(epoch))))
                .as("heartbeat uptime as it was").containsEntry(w.a(), 5_400L).containsEntry(w.b(), 5_400L);

        // a loses 10:15–10:45 (two failures, one hour); 11:00 passed and 12:30 had no uptime; b's open check changes nothing
        assertThat(pools.onlineSeconds(w.pool(), epoch)).containsEntry(w.a(), 3_600L).containsEntry(w.b(), 5_400L);
        EpochPool read = pools.epochPools(epoch).stream().filter(p -> p.poolId() == w.pool()).findFirst().orElseThrow();
        assertThat(read.onlineSeconds()).containsEntry(w.a(), 3_600L).containsEntry(w.b(), 5_400L);
        assertThat(pools.onlineSeconds(w.pool(), epoch - 1)).as("the day before: its own failed hour").containsEntry(w.a(), 0L);

        // The pool share follows: a gets 3,600 / 9,000 of it instead of half.
        TokenAmount emission = TokenAmount.of(1_000_000_000L);
        SettlementResult settled = Settlement.settle(scenario(emission, w, read.onlineSeconds()));
        SettlementResult asHeartbeats = Settlement.settle(scenario(emission, w, Map.of(w.a(), 5_400L, w.b(), 5_400L)));
        BigInteger budget = BigInteger.valueOf(1_000_000_000L * 6_000 / 10_000); // the pool has all DCs: A_p = E
        assertThat(poolShare(settled, w.a())).isEqualTo(budget.multiply(BigInteger.valueOf(3_600)).divide(BigInteger.valueOf(9_000)));
        assertThat(poolShare(settled, w.b())).isEqualTo(budget.multiply(BigInteger.valueOf(5_400)).divide(BigInteger.valueOf(9_000)));
        assertThat(poolShare(asHeartbeats, w.a())).isEqualTo(budget.divide(BigInteger.TWO));
    }

    @Test
    void windowsThatCutTheHourLoseOnlyTheirPartOfItAndTwoMinuteEpochsAddUpToTheHours() {
        World w = arrangeFailedHour();
        assertThat(seconds(w.a(), TEN.plusSeconds(1800), ELEVEN.plusSeconds(1800))).as("10:30–11:30: 11:00–11:30 only").isEqualTo(1_800);
        assertThat(seconds(w.b(), TEN.plusSeconds(1800), ELEVEN.plusSeconds(1800))).as("b: 10:30–10:45 and 11:00–11:30").isEqualTo(2_700);
        assertThat(seconds(w.a(), TEN, TEN.plusSeconds(1800))).isZero();
        assertThat(seconds(w.a(), TEN.plusSeconds(40 * 60), TEN.plusSeconds(50 * 60))).isZero();
        assertThat(seconds(w.a(), ELEVEN, ELEVEN.plusSeconds(3600))).as("the passed hour").isEqualTo(3_600);
        long sum = 0;
        for (Instant from = TEN; from.isBefore(ELEVEN.plusSeconds(3600)); from = from.plusSeconds(120)) {
            sum += seconds(w.a(), from, from.plusSeconds(120));
        }
        assertThat(sum).as("sixty two-minute windows from 10:00 to 12:00").isEqualTo(3_600);
    }

    static Scenario scenario(TokenAmount emission, World w, Map<Long, Long> seconds) {
        WalletAddress holder = WalletAddress.of(w.op().wallet().address());
        return new Scenario(emission, List.of(new Scenario.Pool("p", new credits.RewardShares(new credits.Bps(1_000), new credits.Bps(6_000),
                new credits.Bps(3_000)), holder, List.of(
                new Scenario.Gpu(Long.toString(w.a()), holder, seconds.getOrDefault(w.a(), 0L), DataCredits.of(100)),
                new Scenario.Gpu(Long.toString(w.b()), holder, seconds.getOrDefault(w.b(), 0L), DataCredits.of(100))))));
    }

    static BigInteger poolShare(SettlementResult result, long gpu) {
        return result.gpus().stream().filter(g -> g.id().equals(Long.toString(gpu))).findFirst().orElseThrow().poolShare().value();
    }

    @Test
    void theGpusOperatorThePoolsOperatorAndAdminsSeeItsSpotChecksNewestFirst() {
        World w = arrangeFailedHour();
        given().auth().oauth2(w.op().token()).get("/api/gpus/" + w.a() + "/spot-checks").then().statusCode(200)
                .body("", hasSize(5))
                .body("[0].startsAt", equalTo(ELEVEN.plusSeconds(90 * 60).toString()))
                .body("[1].outcome", equalTo("PASSED")).body("[1].elapsedMs", equalTo(412)).body("[1].hourWithoutPoolShare", nullValue())
                .body("[3].outcome", equalTo("FAILED")).body("[3].reason", equalTo("late: 1,412 of 900 ms"))
                .body("[3].elapsedMs", equalTo(1_412)).body("[3].deadlineMs", equalTo(900))
                .body("[3].hourWithoutPoolShare", equalTo(TEN.toString()));
        given().auth().oauth2(w.op().token()).get("/api/gpus/" + w.b() + "/spot-checks?limit=1").then().statusCode(200)
                .body("", hasSize(1)).body("[0].outcome", equalTo("PASSED"));
        given().auth().oauth2(w.op().token()).get("/api/gpus/" + w.b() + "/spot-checks").then().body("[1].outcome", equalTo("OPEN"));
        given().auth().oauth2(TestWallet.ADMIN.signIn()).get("/api/gpus/" + w.a() + "/spot-checks").then().statusCode(200)
                .body("", hasSize(5));

        given().get("/api/gpus/" + w.a() + "/spot-checks").then().statusCode(401);
        Op stranger = TestPools.operator();
        given().auth().oauth2(stranger.token()).get("/api/gpus/" + w.a() + "/spot-checks").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("spot checks"));
        given().auth().oauth2(w.op().token()).get("/api/gpus/" + w.a() + "/spot-checks?limit=0").then().statusCode(400);
        given().auth().oauth2(w.op().token()).get("/api/gpus/999999999/spot-checks").then().statusCode(404);

        given().auth().oauth2(w.op().token()).get("/operator/pools/" + w.pool()).then().statusCode(200)
                .body(containsString("id=\"spot-checks-" + w.a() + "\""))
                .body(containsString("2026-02-10 10:20 UTC <span class=\"tag\">failed</span> 1,412 of 900 ms · late: 1,412 of 900 ms"))
                .body(containsString("no pool share for 2026-02-10 10:00–11:00 UTC"))
                .body(containsString("<span class=\"tag\">open</span>"));
    }

    @Test
    void aMemberOfADistributedPoolSeesItsOwnGpusChecksAndThePoolsOperatorSeesAll() {
        Op owner = TestPools.operator();
        long pool = TestPools.createPool(owner, "DISTRIBUTED");
        Op member = TestPools.operator();
        TestPools.join(pool, owner, member);
        String ownersUuid = TestPools.gpuUuid();
        String membersUuid = TestPools.gpuUuid();
        long ownersGpu = TestPools.registerGpu(owner, pool, ownersUuid);
        long membersGpu = TestPools.registerGpu(member, pool, membersUuid);
        spotCheck(member, TEN, new Result(membersUuid, false, "no answer", null));
        spotCheck(owner, TEN, new Result(ownersUuid, true, null, 300));

        given().auth().oauth2(member.token()).get("/api/gpus/" + membersGpu + "/spot-checks").then().statusCode(200).body("", hasSize(1));
        given().auth().oauth2(owner.token()).get("/api/gpus/" + membersGpu + "/spot-checks").then().statusCode(200).body("", hasSize(1));
        given().auth().oauth2(member.token()).get("/api/gpus/" + ownersGpu + "/spot-checks").then().statusCode(403);
        given().auth().oauth2(member.token()).get("/operator/pools/" + pool).then().statusCode(200)
                .body(containsString("id=\"spot-checks-" + membersGpu + "\""))
                .body(not(containsString("id=\"spot-checks-" + ownersGpu + "\"")));
        given().auth().oauth2(owner.token()).get("/operator/pools/" + pool).then().statusCode(200)
                .body(containsString("id=\"spot-checks-" + membersGpu + "\"")).body(containsString("id=\"spot-checks-" + ownersGpu + "\""));
    }

    @Test
    void anHourWithFailedSpotChecksCountsAsOneFailureInThePoolsReputation() {
        World w = world("SELF");
        Instant hourAgo = Instant.ofEpochSecond((Instant.now().getEpochSecond() / 3600 - 2) * 3600);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update pools_gpu set registered_at = ?1 where pool_id = ?2")
                .setParameter(1, hourAgo.minus(Duration.ofDays(1))).setParameter(2, w.pool()).executeUpdate());
        spotCheck(w.op(), hourAgo.plusSeconds(60), new Result(w.uuidA(), false, "late", 2_000), new Result(w.uuidB(), true, null, 400));
        spotCheck(w.op(), hourAgo.plusSeconds(1_800), new Result(w.uuidA(), false, "no answer", null));
        spotCheck(w.op(), hourAgo.minus(Duration.ofDays(40)), new Result(w.uuidB(), false, "outside the 30 days", null));

        given().get("/api/pools/" + w.pool()).then().statusCode(200)
                .body("reputation.rated", equalTo(true))
                .body("reputation.failedSpotChecks", equalTo(1));
        given().get("/pools/" + w.pool()).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("1 of them hours with a failed spot check"));
        Reputation reputation = pools.pool(w.pool()).orElseThrow().reputation();
        assertThat(reputation.failures()).as("the failed hour, and any time offline").isGreaterThanOrEqualTo(1);
        assertThat(reputation.reliabilityBps()).isLessThanOrEqualTo(6_667); // 1 / (1 + 1/2) at most
    }
}
