package pools;

import static io.restassured.RestAssured.given;

import accounts.TestWallet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the pools tests arrange, through the real HTTP API where a user would: a signed-in operator
 * ({@link TestWallet}), a pool with known terms, a registered GPU, a member of a distributed pool,
 * an API key for the node agent. Only the steps that need a real certificate and chain (a GPU in
 * service) are arranged on the entity, through its own lifecycle ({@link GpuEntity#moveTo}).
 */
public final class TestPools {

    private TestPools() {
    }

    /** A signed-in wallet that has become an operator: its token and operator id. */
    public record Op(TestWallet wallet, String token, long operatorId) {
    }

    /** A GPU UUID no other test uses, as the driver prints it. */
    public static String gpuUuid() {
        return "GPU-" + UUID.randomUUID();
    }

    /** A new wallet, signed in, that has become an operator. */
    public static Op operator() {
        TestWallet wallet = TestWallet.random();
        String token = wallet.signIn();
        long id = ((Number) given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Op " + wallet.address().substring(2, 8)))
                .post("/api/operators").then().statusCode(201).extract().path("id")).longValue();
        return new Op(wallet, token, id);
    }

    /**
     * A pool as the API takes it: an H100 pool at 1.20 / 2.00 USD (reserved 30 and 365 days),
     * shares 10 / 60 / 30 %, 72 h notice, and a member policy of 95 % over 24 h, 3 failures, 24 h grace.
     */
    public static Map<String, Object> poolBody(long operatorId, String mode) {
        return Map.of(
                "operatorId", operatorId,
                "name", "Test pool",
                "mode", mode,
                "modelId", "h100-sxm",
                "region", "eu-central",
                "prices", Map.of("spotUsdPerHour", "1.20", "onDemandUsdPerHour", "2.00",
                        "reserved", List.of(Map.of("termDays", 30, "usdPerHour", "1.80"), Map.of("termDays", 365, "usdPerHour", "1.50"))),
                "shares", Map.of("operatorBps", 1000, "poolBps", 6000, "usedGpuBps", 3000),
                "noticePeriodHours", 72,
                "policy", Map.of("minUptimePercent", "95", "windowHours", 24, "maxFailures", 3, "warningGraceHours", 24));
    }

    /** A pool of {@link #poolBody} run by {@code op}; its id. */
    public static long createPool(Op op, String mode) {
        return ((Number) given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(poolBody(op.operatorId(), mode))
                .post("/api/pools").then().statusCode(201).extract().path("id")).longValue();
    }

    /** A GPU registered by {@code op} to the pool; its id. */
    public static long registerGpu(Op op, long poolId, String uuid) {
        return ((Number) given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("operatorId", op.operatorId(), "hostName", "host-1", "serialNumber", "SN-" + uuid.substring(4, 12), "uuid", uuid))
                .post("/api/pools/" + poolId + "/gpus").then().statusCode(201).extract().path("id")).longValue();
    }

    /** {@code member} asks to join the distributed pool, and {@code owner} approves. */
    public static void join(long poolId, Op owner, Op member) {
        given().auth().oauth2(member.token()).contentType(ContentType.JSON).body(Map.of("operatorId", member.operatorId()))
                .post("/api/pools/" + poolId + "/members").then().statusCode(201);
        given().auth().oauth2(owner.token()).contentType(ContentType.JSON)
                .post("/api/pools/" + poolId + "/members/" + member.operatorId() + "/approve").then().statusCode(200);
    }

    /** An API key of {@code op}'s wallet, as the node agent uses it. */
    public static String apiKey(Op op) {
        return given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of("name", "agent"))
                .post("/api/me/api-keys").then().statusCode(201).extract().path("key");
    }

    /** Arranges a registered GPU as minted: the steps a valid certificate and a confirmed mint would take. */
    public static void arrangeMinted(long gpuId) {
        QuarkusTransaction.requiringNew().run(() -> {
            GpuEntity gpu = GpuEntity.findById(gpuId);
            Instant now = Instant.now();
            gpu.moveTo(GpuStatus.CERTIFIED, now, "test certificate");
            gpu.moveTo(GpuStatus.MINTING, now, "test mint");
            gpu.moveTo(GpuStatus.MINTED, now, "test mint confirmed");
        });
    }

    /**
     * Registers and certifies a GPU in the pool (a real signed report of {@link gpu.FakeGpu}) and asks
     * for its NFT to be minted to {@code holder}; the GPU's id (= its token id).
     */
    public static long mintedGpu(Op op, long poolId, String holder) {
        String uuid = gpuUuid();
        gpu.FakeGpu.certifyH100(op.wallet(), op.token(), uuid);
        long gpuId = registerGpu(op, poolId, uuid);
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("to", holder, "purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01",
                        "hostingAgreementUrl", "https://dc.example/hosting/1", "ownershipContractUrl", "https://dc.example/own/1"))
                .post("/api/gpus/" + gpuId + "/mint").then().statusCode(202);
        return gpuId;
    }
}
