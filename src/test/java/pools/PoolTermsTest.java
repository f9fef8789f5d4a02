package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.Epochs;

/**
 * A pool's operator cannot trap its members: a longer notice period or a stricter member policy is
 * announced and binds only from a future epoch, within upper bounds; a member who asks to leave
 * before then leaves under the notice in force when it asked.
 */
@QuarkusTest
class PoolTermsTest {

    @Inject
    AnnouncedTerms announcedTerms;

    @Inject
    PoolsJobs jobs;

    @Inject
    Pools pools;

    @Inject
    Epochs epochs;

    private static Instant leave(long poolId, TestPools.Op member) {
        String leavesAt = given().auth().oauth2(member.token()).contentType(ContentType.JSON)
                .post("/api/pools/" + poolId + "/members/" + member.operatorId() + "/leave").then()
                .statusCode(200).body("status", equalTo("LEAVING")).extract().path("leavesAt");
        return Instant.parse(leavesAt);
    }

    private static void put(TestPools.Op op, long poolId, Map<String, Object> body, int status) {
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(body).put("/api/pools/" + poolId).then().statusCode(status);
    }

    @Test
    void aLongerNoticePeriodIsAnnouncedAndAMemberWhoLeavesBeforeGetsTheOldOne() {
        TestPools.Op owner = TestPools.operator();
        TestPools.Op early = TestPools.operator();
        TestPools.Op late = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED"); // 72 h notice
        TestPools.join(poolId, owner, early);
        TestPools.join(poolId, owner, late);

        Instant asked = Instant.now();
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("noticePeriodHours", 2000))
                .put("/api/pools/" + poolId).then()
                .statusCode(200)
                .body("noticePeriodHours", equalTo(72))
                .body("pendingTerms.noticePeriodHours", equalTo(2000))
                .body("pendingTerms.policy", nullValue())
                .body("pendingTerms.fromEpoch", notNullValue());
        Instant from = Instant.parse(given().get("/api/pools/" + poolId).then().extract().path("pendingTerms.from"));
        assertThat(from).as("at least bc.pools.share-change-notice away").isAfterOrEqualTo(asked.plus(Duration.ofHours(24)));
        given().accept("text/html").get("/pools/" + poolId).then().statusCode(200)
                .body(containsString("notice period 2000 h"));

        Instant leavesAt = leave(poolId, early);
        assertThat(Duration.between(asked, leavesAt)).as("the notice in force when the member asked")
                .isBetween(Duration.ofHours(72), Duration.ofHours(72).plusMinutes(5));

        QuarkusTransaction.requiringNew().run(() -> announcedTerms.applyDue(from.minusSeconds(1)));
        given().get("/api/pools/" + poolId).then().body("noticePeriodHours", equalTo(72));
        QuarkusTransaction.requiringNew().run(() -> announcedTerms.applyDue(from));
        given().get("/api/pools/" + poolId).then().body("noticePeriodHours", equalTo(2000)).body("pendingTerms", nullValue());
        Instant lateLeavesAt = leave(poolId, late);
        assertThat(Duration.between(asked, lateLeavesAt)).as("once it applies, the new notice binds")
                .isBetween(Duration.ofHours(2000), Duration.ofHours(2000).plusMinutes(5));
    }

    @Test
    void aShorterNoticePeriodAppliesAtOnceAndCancelsAnAnnouncedLongerOne() {
        TestPools.Op owner = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED");
        put(owner, poolId, Map.of("noticePeriodHours", 500), 200);
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("noticePeriodHours", 24))
                .put("/api/pools/" + poolId).then()
                .statusCode(200).body("noticePeriodHours", equalTo(24)).body("pendingTerms", nullValue());
    }

    @Test
    void termsBeyondTheirUpperBoundsAreRefusedAndChangeNothing() {
        TestPools.Op owner = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED");
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("noticePeriodHours", 1_000_000))
                .put("/api/pools/" + poolId).then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("noticePeriodHours: at most 2,160 hours"));
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .body(Map.of("policy", Map.of("minUptimePercent", "95", "windowHours", 721, "maxFailures", 3, "warningGraceHours", 24)))
                .put("/api/pools/" + poolId).then()
                .statusCode(400).body("detail", containsString("policy.windowHours: at most 720 hours"));
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .body(Map.of("policy", Map.of("minUptimePercent", "95", "windowHours", 24, "maxFailures", 3, "warningGraceHours", 100_000)))
                .put("/api/pools/" + poolId).then()
                .statusCode(400).body("detail", containsString("policy.warningGraceHours: at most 720 hours"));
        java.util.HashMap<String, Object> create = new java.util.HashMap<>(TestPools.poolBody(owner.operatorId(), "DISTRIBUTED"));
        create.put("noticePeriodHours", 2161);
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(create).post("/api/pools").then()
                .statusCode(400).body("detail", containsString("at most 2,160 hours"));
        given().get("/api/pools/" + poolId).then()
                .body("noticePeriodHours", equalTo(72)).body("policy.windowHours", equalTo(24)).body("pendingTerms", nullValue());
    }

    @Test
    void aStricterPolicyIsAnnouncedAndALooserOneAppliesAtOnce() {
        TestPools.Op owner = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED"); // 95 % over 24 h, 3 failures, 24 h grace
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .body(Map.of("policy", Map.of("minUptimePercent", "99.9", "windowHours", 24, "maxFailures", 0, "warningGraceHours", 1)))
                .put("/api/pools/" + poolId).then()
                .statusCode(200)
                .body("policy.minUptimePercent", equalTo("95.00"))
                .body("policy.maxFailures", equalTo(3))
                .body("pendingTerms.policy.minUptimePercent", equalTo("99.90"))
                .body("pendingTerms.policy.warningGraceHours", equalTo(1));
        given().auth().oauth2(owner.token()).accept("text/html").get("/operator/pools/" + poolId).then().statusCode(200)
                .body(containsString("member policy 99.90% uptime over 24 h, at most 0 failures, 1 h grace"));

        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .body(Map.of("policy", Map.of("minUptimePercent", "90", "windowHours", 24, "maxFailures", 5, "warningGraceHours", 48)))
                .put("/api/pools/" + poolId).then()
                .statusCode(200)
                .body("policy.minUptimePercent", equalTo("90.00"))
                .body("policy.warningGraceHours", equalTo(48))
                .body("pendingTerms", nullValue());
    }

    @Test
    void savingTheEditFormKeepsAnAnnouncementAndItsEpoch() {
        TestPools.Op owner = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED");
        put(owner, poolId, Map.of("noticePeriodHours", 500, "shares", Map.of("operatorBps", 2000, "poolBps", 5000, "usedGpuBps", 3000)), 200);
        Map<String, Object> before = given().get("/api/pools/" + poolId).then().extract().jsonPath().getMap("");
        // what the edit form posts back: every field, the announced values where there are some
        String page = given().auth().oauth2(owner.token()).accept("text/html").get("/operator/pools/" + poolId).then()
                .statusCode(200).extract().asString();
        assertThat(page).contains("name=\"noticePeriodHours\" required size=\"5\" value=\"500\"")
                .contains("name=\"operatorBps\" required size=\"6\" value=\"2000\"");
        put(owner, poolId, Map.of("name", "Renamed", "noticePeriodHours", 500,
                "shares", Map.of("operatorBps", 2000, "poolBps", 5000, "usedGpuBps", 3000)), 200);
        Map<String, Object> after = given().get("/api/pools/" + poolId).then().extract().jsonPath().getMap("");
        assertThat(after.get("pendingTerms")).isEqualTo(before.get("pendingTerms"));
        assertThat(after.get("pendingShares")).isEqualTo(before.get("pendingShares"));
        assertThat(after.get("name")).isEqualTo("Renamed");
    }

    @Test
    void anEpochThatEndedBeforeAShareChangeIsSettledWithTheSharesInForceDuringIt() {
        TestPools.Op owner = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED");
        RewardShares before = shares(poolId, epochs.epochAt(Instant.now()));
        put(owner, poolId, Map.of("shares", Map.of("operatorBps", 2000, "poolBps", 5000, "usedGpuBps", 3000)), 200);
        long from = given().get("/api/pools/" + poolId).then().extract().<Number>path("pendingShares.fromEpoch").longValue();

        // The change applies when its epoch begins; the epoch before it is settled a little later.
        QuarkusTransaction.requiringNew().run(() -> jobs.applyDueShares(epochs.startOf(from)));
        given().get("/api/pools/" + poolId).then().body("shares.operatorBps", equalTo(2000)).body("pendingShares", nullValue());
        assertThat(shares(poolId, from - 1)).as("the epoch before the change").isEqualTo(before);
        assertThat(shares(poolId, from)).isEqualTo(new RewardShares(2000, 5000, 3000));
        assertThat(shares(poolId, from + 10)).isEqualTo(new RewardShares(2000, 5000, 3000));
    }

    private RewardShares shares(long poolId, long epoch) {
        return pools.epochPools(epoch).stream().filter(p -> p.poolId() == poolId).findFirst().orElseThrow().shares();
    }
}
