package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every number and string the pools endpoints parse is bounded before any work: a million digits is
 * a fast 400 naming the field, and a caller without the pool's rights is refused before anything
 * of the body is parsed.
 */
@QuarkusTest
class PoolInputBoundsTest {

    /** Past every parser bound, yet within the 64 KiB body and 65,536-character JSON string limits that would refuse it first. */
    private static final String MILLION_DIGITS = "1".repeat(50_000);

    private static Map<String, Object> prices(String spot) {
        return Map.of("prices", Map.of("spotUsdPerHour", spot, "onDemandUsdPerHour", "2.00"));
    }

    private static Map<String, Object> policy(String percent) {
        return Map.of("policy", Map.of("minUptimePercent", percent, "windowHours", 24, "maxFailures", 3, "warningGraceHours", 24));
    }

    @Test
    void aMillionDigitPriceOrPercentageIsAFast400NamingTheField() {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        long start = System.nanoTime();
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(prices(MILLION_DIGITS))
                .put("/api/pools/" + poolId).then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("prices.spotUsdPerHour"));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(policy(MILLION_DIGITS))
                .put("/api/pools/" + poolId).then()
                .statusCode(400).body("detail", containsString("policy.minUptimePercent"));
        Map<String, Object> create = new HashMap<>(TestPools.poolBody(op.operatorId(), "SELF"));
        create.putAll(prices("0." + MILLION_DIGITS));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(create).post("/api/pools").then()
                .statusCode(400).body("detail", containsString("prices.spotUsdPerHour"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("three requests of 1 MB each, parsed in linear time")
                .isLessThan(Duration.ofSeconds(5));
        given().get("/api/pools/" + poolId).then().body("spot.usdPerHour", equalTo("1.20")).body("policy.minUptimePercent", equalTo("95.00"));
    }

    @Test
    void aStrangerIsRefusedBeforeTheBodyIsParsed() {
        TestPools.Op owner = TestPools.operator();
        TestPools.Op stranger = TestPools.operator();
        long poolId = TestPools.createPool(owner, "SELF");
        long start = System.nanoTime();
        given().auth().oauth2(stranger.token()).contentType(ContentType.JSON).body(prices(MILLION_DIGITS))
                .put("/api/pools/" + poolId).then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(stranger.token()).contentType(ContentType.JSON).body(policy(MILLION_DIGITS))
                .put("/api/pools/999999999").then().statusCode(404).body("detail", containsString("no pool 999999999"));
        Map<String, Object> create = new HashMap<>(TestPools.poolBody(owner.operatorId(), "SELF"));
        create.putAll(prices(MILLION_DIGITS));
        given().auth().oauth2(stranger.token()).contentType(ContentType.JSON).body(create).post("/api/pools").then().statusCode(403);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void numbersBeyondTheirRangeAreRefusedNamingTheField() {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "DISTRIBUTED");
        String put = "/api/pools/" + poolId;
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("shares", Map.of("operatorBps", Integer.MAX_VALUE, "poolBps", Integer.MAX_VALUE, "usedGpuBps", 10_002)))
                .put(put).then().statusCode(400).body("detail", containsString("0 to 10,000"));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body("{\"noticePeriodHours\": 1" + "0".repeat(30) + "}")
                .put(put).then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of("noticePeriodHours", Long.MAX_VALUE))
                .put(put).then().statusCode(400).body("detail", containsString("noticePeriodHours"));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of("noticePeriodHours", -1))
                .put(put).then().statusCode(400).body("detail", containsString("noticePeriodHours: cannot be negative"));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("policy", Map.of("minUptimePercent", "95", "windowHours", Long.MAX_VALUE, "maxFailures", 3, "warningGraceHours", 24)))
                .put(put).then().statusCode(400).body("detail", containsString("policy.windowHours"));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("prices", Map.of("spotUsdPerHour", "1", "onDemandUsdPerHour", "2",
                        "reserved", List.of(Map.of("termDays", 99_999, "usdPerHour", "1.80")))))
                .put(put).then().statusCode(400).body("detail", containsString("prices.reserved.termDays"));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("prices", Map.of("spotUsdPerHour", "1", "onDemandUsdPerHour", "2",
                        "reserved", IntStream.rangeClosed(1, 21).mapToObj(d -> Map.of("termDays", d, "usdPerHour", "1.80")).toList())))
                .put(put).then().statusCode(400).body("detail", containsString("at most 20 reserved terms"));
        given().get("/api/pools/" + poolId + "/uptime?days=100000").then().statusCode(400).body("detail", containsString("days: 1 to 90"));
        given().get("/api/pools/" + poolId).then()
                .body("shares.operatorBps", equalTo(1000)).body("pendingShares", org.hamcrest.Matchers.nullValue())
                .body("noticePeriodHours", equalTo(72)).body("reserved.size()", equalTo(2));
    }

    @Test
    void longReasonsAreRefusedAndChangeNothing() {
        TestPools.Op owner = TestPools.operator();
        TestPools.Op member = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED");
        given().auth().oauth2(member.token()).contentType(ContentType.JSON).body(Map.of("operatorId", member.operatorId()))
                .post("/api/pools/" + poolId + "/members").then().statusCode(201);
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("reason", "x".repeat(600)))
                .post("/api/pools/" + poolId + "/members/" + member.operatorId() + "/refuse").then()
                .statusCode(400).body("detail", containsString("reason: 1 to 400 characters"));
        given().get("/api/pools/" + poolId + "/members").then().body("[0].status", equalTo("REQUESTED"));

        long gpuId = TestPools.registerGpu(owner, poolId, TestPools.gpuUuid());
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("reason", "y".repeat(401)))
                .post("/api/gpus/" + gpuId + "/leave").then().statusCode(400).body("detail", containsString("reason"));
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("REGISTERED"));
    }

    @Test
    void theOpenApiDocumentStatesRequiredFieldsBoundsAndExamples() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas.NewGpu.required", org.hamcrest.Matchers.hasItems("hostName", "serialNumber", "uuid"))
                .body("components.schemas.NewGpu.properties.uuid.maxLength", equalTo(64))
                .body("components.schemas.PoolPrices.properties.spotUsdPerHour.pattern", equalTo("^[0-9]{1,7}(\\.[0-9]{0,5})?$"))
                .body("components.schemas.PoolShares.properties.poolBps.maximum", equalTo(10000))
                .body("components.schemas.PoolMemberPolicy.properties.maxFailures.maximum", equalTo(MemberPolicy.MAX_FAILURES))
                .body("components.schemas.PoolRequest.properties.region", org.hamcrest.Matchers.anyOf(
                        org.hamcrest.Matchers.hasEntry("example", (Object) "eu-central"),
                        org.hamcrest.Matchers.hasEntry("examples", (Object) List.of("eu-central"))))
                .body("paths.'/api/pools/{id}/uptime'.get.parameters.find { it.name == 'days' }.schema.maximum", equalTo(90));
    }
}
