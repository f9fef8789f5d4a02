package credits.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import accounts.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EpochSimulationResourceTest {

    static final String H01 = "0x0000000000000000000000000000000000000001";
    static final String H02 = "0x0000000000000000000000000000000000000002";
    static final String H03 = "0x0000000000000000000000000000000000000003";
    static final String HAA = "0x00000000000000000000000000000000000000aa";

    private String token;

    @BeforeEach
    void signIn() {
        token = TestWallet.random().signIn();
    }

    static Map<String, Object> gpu(String id, String holder, Object onlineSeconds, Object dcConsumed) {
        Map<String, Object> gpu = new LinkedHashMap<>();
        gpu.put("id", id);
        gpu.put("holder", holder);
        gpu.put("onlineSeconds", onlineSeconds);
        gpu.put("dcConsumed", dcConsumed);
        return gpu;
    }

    @SafeVarargs
    static Map<String, Object> pool(String id, Object operatorBps, Object poolBps, Object usedGpuBps, String operatorHolder,
                                    Map<String, Object>... gpus) {
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("id", id);
        pool.put("operatorBps", operatorBps);
        pool.put("poolBps", poolBps);
        pool.put("usedGpuBps", usedGpuBps);
        pool.put("operatorHolder", operatorHolder);
        pool.put("gpus", new ArrayList<>(List.of(gpus)));
        return pool;
    }

    @SafeVarargs
    static Map<String, Object> scenario(Object emission, Map<String, Object>... pools) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("emission", emission);
        body.put("pools", new ArrayList<>(List.of(pools)));
        return body;
    }

    /** DESIGN section 10's worked example, pools and GPUs deliberately out of order. */
    static Map<String, Object> workedExample() {
        return scenario("999",
                pool("p2", 2000, 5000, 3000, H01, gpu("g4", H03, 86_400, 1_000_000)),
                pool("p1", 1000, 6000, 3000, HAA,
                        gpu("g3", H01, 0, 0),
                        gpu("g1", H01, 86_400, 3_000_000),
                        gpu("g2", H02, 43_200, 0)));
    }

    private ValidatableResponse simulate(Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/epochs/simulate").then();
    }

    private ValidatableResponse refused(Object body) {
        return simulate(body).statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theWorkedExampleOfTheDesignGivesExactlyItsFigures() {
        simulate(workedExample())
                .statusCode(200)
                .body("totalDc", equalTo(4_000_000))
                .body("minted", equalTo("993"))
                .body("remainder", equalTo("6"))
                .body("pools.id", equalTo(List.of("p1", "p2")))
                .body("pools.dc", equalTo(List.of(3_000_000, 1_000_000)))
                .body("pools.allocation", equalTo(List.of("749", "249")))
                .body("pools.operator", equalTo(List.of("74", "49")))
                .body("gpus.id", equalTo(List.of("g1", "g2", "g3", "g4")))
                .body("gpus.poolShare", equalTo(List.of("299", "149", "0", "124")))
                .body("gpus.usedBonus", equalTo(List.of("224", "0", "0", "74")))
                .body("gpus.total", equalTo(List.of("523", "149", "0", "198")))
                .body("payouts.holder", equalTo(List.of(H01, H02, H03, HAA)))
                .body("payouts.amount", equalTo(List.of("572", "149", "198", "74")));
    }

    @Test
    void theFirstExampleOfTheDesignPaysOutTheWholeEmission() {
        simulate(scenario("1000000000000000000000",
                pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 86_400, 5_000_000))))
                .statusCode(200)
                .body("totalDc", equalTo(5_000_000))
                .body("minted", equalTo("1000000000000000000000"))
                .body("remainder", equalTo("0"))
                .body("pools[0].dc", equalTo(5_000_000))
                .body("pools[0].allocation", equalTo("1000000000000000000000"))
                .body("pools[0].operator", equalTo("100000000000000000000"))
                .body("gpus[0].poolShare", equalTo("600000000000000000000"))
                .body("gpus[0].usedBonus", equalTo("300000000000000000000"))
                .body("gpus[0].total", equalTo("900000000000000000000"))
                .body("payouts.amount", equalTo(List.of("900000000000000000000", "100000000000000000000")));
    }

    static Map<String, Object> guarded(Map<String, Object> body, Object tokenPriceE8, Object maxRewardBps) {
        Map<String, Object> guard = new LinkedHashMap<>();
        guard.put("tokenPriceE8", tokenPriceE8);
        guard.put("maxRewardBps", maxRewardBps);
        body.put("guard", guard);
        return body;
    }

    @Test
    void theGuardCapsAPoolAtTheValueOfTheDataCreditsItConsumed() {
        // 5,000,000 DC are worth 50 USD, 200 tokens at 0.25 USD: of the 1000 tokens, 800 are cut and stay in the remainder.
        simulate(guarded(scenario("1000000000000000000000",
                pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 86_400, 5_000_000))), 25_000_000, 10_000))
                .statusCode(200)
                .body("minted", equalTo("200000000000000000000"))
                .body("remainder", equalTo("800000000000000000000"))
                .body("pools[0].allocation", equalTo("200000000000000000000"))
                .body("pools[0].capped", equalTo("800000000000000000000"))
                .body("pools[0].operator", equalTo("20000000000000000000"))
                .body("gpus[0].total", equalTo("180000000000000000000"));
        // A cap above the pro-rata share cuts nothing.
        simulate(guarded(workedExample(), 25_000_000, 10_000))
                .statusCode(200)
                .body("minted", equalTo("993"))
                .body("pools.capped", equalTo(List.of("0", "0")));
    }

    @Test
    void withoutAGuardNothingIsCapped() {
        simulate(workedExample()).statusCode(200).body("pools.capped", equalTo(List.of("0", "0")));
        simulate(scenario("1000000000000000000000", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 86_400, 5_000_000))))
                .statusCode(200).body("pools[0].capped", equalTo("0")).body("remainder", equalTo("0"));
    }

    @Test
    void aMalformedGuardIsRefusedNamingTheField() {
        refused(guarded(workedExample(), 0, 10_000)).body("errors.field", hasItem("guard.tokenPriceE8"));
        refused(guarded(workedExample(), 100_000_000_000_001L, 10_000)).body("errors.field", hasItem("guard.tokenPriceE8"));
        refused(guarded(workedExample(), 25_000_000, 0)).body("errors.field", hasItem("guard.maxRewardBps"));
        refused(guarded(workedExample(), 25_000_000, 1_000_001)).body("errors.field", hasItem("guard.maxRewardBps"));
        refused(guarded(workedExample(), null, null)).body("errors.field", allOf(hasItem("guard.tokenPriceE8"), hasItem("guard.maxRewardBps")));
        refused(guarded(workedExample(), "25000000", 10_000)).body("detail", containsString("guard.tokenPriceE8 must be a whole number"));
        refused(guarded(workedExample(), 25_000_000, 1.5)).body("detail", containsString("guard.maxRewardBps must be a whole number"));
        Map<String, Object> notAnObject = workedExample();
        notAnObject.put("guard", "on");
        refused(notAnObject);
    }

    @Test
    void withNoDataCreditsConsumedNothingIsMintedAndTheRemainderIsTheEmission() {
        simulate(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 86_400, 0))))
                .statusCode(200)
                .body("totalDc", equalTo(0))
                .body("minted", equalTo("0"))
                .body("remainder", equalTo("999"))
                .body("payouts.size()", equalTo(0));
    }

    @Test
    void holdersInAnyCaseAreOneHolderInLowercase() {
        String checksummed = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";
        simulate(scenario("100", pool("p1", 5000, 5000, 0, checksummed.toUpperCase().replace("0X", "0x"),
                gpu("g1", checksummed, 10, 1))))
                .statusCode(200)
                .body("payouts.holder", equalTo(List.of(checksummed.toLowerCase())))
                .body("payouts.amount", equalTo(List.of("100")));
    }

    @Test
    void sharesThatDoNotAddUpToTenThousandAreRefusedWithTheSum() {
        refused(scenario("999", pool("p1", 1000, 6000, 2000, HAA, gpu("g1", H01, 1, 1))))
                .body("detail", allOf(containsString("pools[0] (p1)"), containsString("must add up to 10000"),
                        containsString("1000 + 6000 + 2000 = 9000")));
    }

    @Test
    void negativeNumbersAreRefusedNamingTheField() {
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, -1, 1))))
                .body("errors.field", hasItem("pools[0].gpus[0].onlineSeconds"));
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1), gpu("g2", H01, 1, -5))))
                .body("errors.field", hasItem("pools[0].gpus[1].dcConsumed"));
        refused(scenario("999", pool("p1", -1000, 8000, 3000, HAA, gpu("g1", H01, 1, 1))))
                .body("errors.field", hasItem("pools[0].operatorBps"));
        refused(scenario("-999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1))))
                .body("detail", containsString("emission must not be negative"));
    }

    @Test
    void aShareAboveTenThousandIsRefused() {
        refused(scenario("999", pool("p1", 0, 20000, -10000, HAA, gpu("g1", H01, 1, 1))))
                .body("errors.field", allOf(hasItem("pools[0].poolBps"), hasItem("pools[0].usedGpuBps")));
    }

    @Test
    void duplicatePoolIdsAreRefused() {
        refused(scenario("999",
                pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1)),
                pool("p1", 1000, 6000, 3000, HAA, gpu("g2", H01, 1, 1))))
                .body("detail", containsString("pool id p1 appears more than once"));
    }

    @Test
    void duplicateGpuIdsAreRefusedAcrossPoolsToo() {
        refused(scenario("999",
                pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1)),
                pool("p2", 1000, 6000, 3000, HAA, gpu("g1", H02, 1, 1))))
                .body("detail", containsString("GPU id g1 appears more than once"));
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1), gpu("g1", H02, 1, 1))))
                .body("detail", containsString("GPU id g1 appears more than once"));
    }

    @Test
    void idsLongerThanAHundredCharactersAreRefusedNamingTheField() {
        String huge = "x".repeat(10_000);
        refused(scenario("999", pool(huge, 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1))))
                .body("errors.field", hasItem("pools[0].id"));
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu(huge, H01, 1, 1))))
                .body("errors.field", hasItem("pools[0].gpus[0].id"))
                .body("errors.message", hasItem("must be at most 100 characters"));
        refused(scenario("9".repeat(10_000), pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1))))
                .body("detail", containsString("at most 78 digits"));
    }

    @Test
    void anEmissionThatIsNotAWholeNumberIsRefused() {
        for (String emission : List.of("abc", "1e21", "12.5", "", "0x10")) {
            refused(scenario(emission, pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1))))
                    .body("detail", containsString("emission must be a whole number of token base units"));
        }
    }

    @Test
    void fractionalOrQuotedNumbersAreRefusedRatherThanTruncated() {
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1.5, 1))))
                .body("detail", containsString("pools[0].gpus[0].onlineSeconds must be a whole number"));
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, "5"))))
                .body("detail", containsString("pools[0].gpus[0].dcConsumed must be a whole number"));
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, new java.math.BigInteger("100000000000000000000")))))
                .body("detail", containsString("out of range"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void missingFieldsAreRefusedNamingThem() {
        Map<String, Object> body = scenario("999", pool("p1", 1000, 6000, 3000, HAA,
                gpu("g1", H01, 1, 1), gpu("g2", null, 1, 1)));
        body.remove("emission");
        refused(body).body("errors.field", allOf(hasItem("emission"), hasItem("pools[0].gpus[1].holder")));

        Map<String, Object> noGpus = scenario("999", pool("p1", 1000, 6000, 3000, HAA));
        ((Map<?, ?>) ((List<?>) noGpus.get("pools")).get(0)).remove("gpus");
        refused(noGpus).body("errors.field", hasItem("pools[0].gpus"));

        Map<String, Object> nullGpu = scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1)));
        ((List<Object>) ((Map<?, ?>) ((List<?>) nullGpu.get("pools")).get(0)).get("gpus")).add(null);
        refused(nullGpu).body("errors.field", hasItem("pools[0].gpus[1]"));
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 1, 1), gpu("", H01, null, 1))))
                .body("errors.field", allOf(hasItem("pools[0].gpus[1].id"), hasItem("pools[0].gpus[1].onlineSeconds")));

        refused(Map.of("emission", "999")).body("errors.field", hasItem("pools"));
        refused(scenario("999", pool(" ", 1000, 6000, 3000, HAA))).body("errors.field", hasItem("pools[0].id"));
        given().auth().oauth2(token).contentType(ContentType.JSON).post("/api/epochs/simulate").then().statusCode(400);
    }

    @Test
    void anInvalidHolderAddressIsRefusedSayingWhichOne() {
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", "0x1234", 1, 1))))
                .body("detail", allOf(containsString("pools[0] (p1).gpus[0] (g1).holder"), containsString("not an Ethereum address")));
        refused(scenario("999", pool("p1", 1000, 6000, 3000, "alice", gpu("g1", H01, 1, 1))))
                .body("detail", allOf(containsString("pools[0] (p1).operatorHolder"), containsString("not an Ethereum address")));
        // Mixed case with a wrong EIP-55 checksum is a typo.
        refused(scenario("999", pool("p1", 1000, 6000, 3000, HAA, gpu("g1", "0x7E5F4552091A69125d5DfCb7b8C2659029395BDF", 1, 1))))
                .body("detail", containsString("checksum"));
    }

    @Test
    void anonymousCallersMustSignIn() {
        given().contentType(ContentType.JSON).body(workedExample()).post("/api/epochs/simulate").then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void theSimulatorIsDescribedInTheOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths.'/api/epochs/simulate'.post", notNullValue())
                .body("paths.'/api/epochs/simulate'.post.tags", hasItem("Epochs"));
    }
}
