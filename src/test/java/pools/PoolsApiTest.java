package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static pools.TestPools.createPool;
import static pools.TestPools.gpuUuid;
import static pools.TestPools.operator;
import static pools.TestPools.poolBody;
import static pools.TestPools.registerGpu;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pools.TestPools.Op;

/** Operators, pools, GPUs and their guards through the real HTTP API. */
@QuarkusTest
class PoolsApiTest {

    @Test
    void anyoneSignedInBecomesAnOperatorWithAnOperatorNft() {
        Op op = operator();
        given().auth().oauth2(op.token()).get("/api/operators/mine").then()
                .statusCode(200)
                .body("id", hasItem((int) op.operatorId()))
                .body("[0].wallet", equalTo(op.wallet().address().toLowerCase()));
        given().auth().oauth2(op.token()).get("/api/me").then().body("roles", hasItem("operator"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/operators").then().statusCode(401);
    }

    @Test
    void aPoolIsCreatedWithItsPricesSharesAndPolicyAndListedPublicly() {
        Op op = operator();
        long poolId = createPool(op, "SELF");
        given().get("/api/pools/" + poolId).then()
                .statusCode(200)
                .body("mode", equalTo("SELF"))
                .body("modelId", equalTo("h100-sxm"))
                .body("spot.usdPerHour", equalTo("1.20"))
                .body("onDemand.dcPerHour", equalTo(200_000))
                .body("reserved[0].termDays", equalTo(30))
                .body("reserved[1].usdPerHour", equalTo("1.50"))
                .body("shares.poolBps", equalTo(6000))
                .body("pendingShares", nullValue())
                .body("policy.minUptimePercent", equalTo("95.00"))
                .body("size.registered", equalTo(0))
                .body("reputation.rated", equalTo(false));
        given().get("/api/pools").then().statusCode(200).body("id", hasItem((int) poolId));
    }

    @Test
    void pricesAreEditedInPlaceKeepingTermsThatStay() {
        Op op = operator();
        long poolId = createPool(op, "SELF");
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("prices", Map.of("spotUsdPerHour", "1.10", "onDemandUsdPerHour", "1.90",
                        "reserved", List.of(Map.of("termDays", 30, "usdPerHour", "1.70"), Map.of("termDays", 7, "usdPerHour", "1.85")))))
                .put("/api/pools/" + poolId).then()
                .statusCode(200)
                .body("spot.usdPerHour", equalTo("1.10"))
                .body("reserved.termDays", equalTo(List.of(7, 30)))
                .body("reserved.usdPerHour", equalTo(List.of("1.85", "1.70")));
    }

    @Test
    void aShareChangeIsPendingUntilAFutureEpoch() {
        Op op = operator();
        long poolId = createPool(op, "SELF");
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("shares", Map.of("operatorBps", 2000, "poolBps", 5000, "usedGpuBps", 3000)))
                .put("/api/pools/" + poolId).then()
                .statusCode(200)
                .body("shares.operatorBps", equalTo(1000))
                .body("pendingShares.shares.operatorBps", equalTo(2000))
                .body("pendingShares.fromEpoch", notNullValue());
    }

    @Test
    void anOperatorCannotTouchAnotherOperatorsPool() {
        Op owner = operator();
        Op other = operator();
        long poolId = createPool(owner, "DISTRIBUTED");

        given().auth().oauth2(other.token()).contentType(ContentType.JSON).body(Map.of("name", "Mine now"))
                .put("/api/pools/" + poolId).then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(other.token()).contentType(ContentType.JSON)
                .body(Map.of("operatorId", owner.operatorId(), "hostName", "h", "serialNumber", "s", "uuid", gpuUuid()))
                .post("/api/pools/" + poolId + "/gpus").then().statusCode(403);
        given().auth().oauth2(other.token()).contentType(ContentType.JSON)
                .body(Map.of("operatorId", other.operatorId(), "hostName", "h", "serialNumber", "s", "uuid", gpuUuid()))
                .post("/api/pools/" + poolId + "/gpus").then().statusCode(403).body("detail", containsString("not a member"));
        given().auth().oauth2(other.token()).contentType(ContentType.JSON).body(poolBody(owner.operatorId(), "SELF"))
                .post("/api/pools").then().statusCode(403);
        given().auth().oauth2(other.token()).contentType(ContentType.JSON)
                .post("/api/pools/" + poolId + "/members/" + other.operatorId() + "/approve").then().statusCode(403);
        given().get("/api/pools/" + poolId).then().body("name", equalTo("Test pool"));
    }

    @Test
    void sharesThatDoNotAddUpAndNegativePricesAreRefusedAndChangeNothing() {
        Op op = operator();
        long poolId = createPool(op, "SELF");
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("shares", Map.of("operatorBps", 1000, "poolBps", 6000, "usedGpuBps", 2000)))
                .put("/api/pools/" + poolId).then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("10,000"));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("prices", Map.of("spotUsdPerHour", "-0.50", "onDemandUsdPerHour", "2.00")))
                .put("/api/pools/" + poolId).then()
                .statusCode(400).body("detail", containsString("below zero"));
        Map<String, Object> bad = new java.util.HashMap<>(poolBody(op.operatorId(), "SELF"));
        bad.put("shares", Map.of("operatorBps", 5000, "poolBps", 5000, "usedGpuBps", 5000));
        int before = given().get("/api/pools").then().extract().path("size()");
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(bad).post("/api/pools").then().statusCode(400);
        assertThat((int) given().get("/api/pools").then().extract().path("size()")).isEqualTo(before);
        given().get("/api/pools/" + poolId).then()
                .body("shares.usedGpuBps", equalTo(3000))
                .body("pendingShares", nullValue())
                .body("spot.usdPerHour", equalTo("1.20"));
    }

    @Test
    void anUnknownModelIsRefused() {
        Op op = operator();
        Map<String, Object> body = new java.util.HashMap<>(poolBody(op.operatorId(), "SELF"));
        body.put("modelId", "tpu-v5");
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(body).post("/api/pools").then()
                .statusCode(400).body("detail", containsString("tpu-v5"));
    }

    @Test
    void mintingWithoutAValidCertificateIsRefusedWithTheReason() {
        Op op = operator();
        long poolId = createPool(op, "SELF");
        String uuid = gpuUuid();
        long gpuId = registerGpu(op, poolId, uuid);
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01"))
                .post("/api/gpus/" + gpuId + "/mint").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("no valid certificate"));
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("REGISTERED"));
    }

    @Test
    void aGpuIsInOnePoolAtATime() {
        Op op = operator();
        long poolId = createPool(op, "SELF");
        String uuid = gpuUuid();
        registerGpu(op, poolId, uuid);
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("hostName", "h", "serialNumber", "s", "uuid", uuid))
                .post("/api/pools/" + poolId + "/gpus").then().statusCode(409);
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("hostName", "h", "serialNumber", "s", "uuid", "not-a-uuid"))
                .post("/api/pools/" + poolId + "/gpus").then().statusCode(400).body("detail", containsString("uuid"));
    }

    @Test
    void aGpuNotYetMintedIsWithdrawnAtOnce() {
        Op op = operator();
        long poolId = createPool(op, "SELF");
        long gpuId = registerGpu(op, poolId, gpuUuid());
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of("reason", "wrong host"))
                .post("/api/gpus/" + gpuId + "/leave").then()
                .statusCode(200).body("status", equalTo("RETIRED"));
        given().get("/api/gpus/" + gpuId).then()
                .body("history.to", hasItem("RETIRED"))
                .body("history.reason", hasItem("wrong host"));
    }

    @Test
    void joiningIsForDistributedPoolsAndEveryChangeIsAudited() {
        Op owner = operator();
        Op member = operator();
        long self = createPool(owner, "SELF");
        given().auth().oauth2(member.token()).contentType(ContentType.JSON).body(Map.of("operatorId", member.operatorId()))
                .post("/api/pools/" + self + "/members").then().statusCode(409);

        long poolId = createPool(owner, "DISTRIBUTED");
        given().auth().oauth2(member.token()).contentType(ContentType.JSON)
                .body(Map.of("operatorId", member.operatorId(), "message", "8 x H100 in Frankfurt"))
                .post("/api/pools/" + poolId + "/members").then().statusCode(201).body("status", equalTo("REQUESTED"));
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .post("/api/pools/" + poolId + "/members/" + member.operatorId() + "/approve").then()
                .statusCode(200).body("status", equalTo("ACTIVE"));
        registerGpu(member, poolId, gpuUuid());
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of())
                .post("/api/pools/" + poolId + "/members/" + member.operatorId() + "/kick").then()
                .statusCode(400).body("detail", containsString("reason"));
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON).body(Map.of("reason", "hardware never showed up"))
                .post("/api/pools/" + poolId + "/members/" + member.operatorId() + "/kick").then()
                .statusCode(200).body("status", equalTo("REMOVED"));
        given().get("/api/pools/" + poolId + "/audit").then()
                .statusCode(200)
                .body("action", equalTo(List.of("removed", "approved", "requested")))
                .body("[0].reason", equalTo("hardware never showed up"))
                .body("[0].actor", equalTo(owner.wallet().address().toLowerCase()));
    }

    @Test
    void heartbeatsOfUnknownGpusAreReportedBack() {
        Op op = operator();
        String key = TestPools.apiKey(op);
        String stranger = gpuUuid();
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", List.of(stranger)))
                .post("/api/agent/heartbeats").then()
                .statusCode(200)
                .body("accepted", equalTo(0))
                .body("unknown", equalTo(List.of(stranger)))
                .body("intervalSeconds", equalTo(30));
        given().auth().oauth2(key).get("/api/agent/leases").then().statusCode(200).body("leases.size()", equalTo(0));
        given().contentType(ContentType.JSON).body(Map.of("gpus", List.of(stranger))).post("/api/agent/heartbeats").then().statusCode(401);
    }
}
