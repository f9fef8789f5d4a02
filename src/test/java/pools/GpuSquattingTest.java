package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import accounts.WalletAddress;
import chain.AssetKind;
import chain.Chain;
import chain.EffectStatus;
import chain.Token;
import gpu.FakeGpu;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A GPU UUID belongs to whoever certified it and has at most one live GPU NFT: another operator
 * cannot register it while the certificate is valid, nobody can while an NFT of it is live, and a
 * retired GPU's NFT is burned on the real embedded chain so the UUID can come back.
 */
@QuarkusTest
class GpuSquattingTest {

    @Inject
    PoolsJobs jobs;

    @Inject
    RetiredGpuNfts retiredNfts;

    @Inject
    Chain chain;

    private static void await(String what, BooleanSupplier done, Runnable step) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            step.run();
            Thread.sleep(100);
        }
    }

    private static Map<String, Object> gpuBody(TestPools.Op op, String uuid) {
        return Map.of("operatorId", op.operatorId(), "hostName", "host-1", "serialNumber", "SN-1", "uuid", uuid);
    }

    @Test
    void aUuidCertifiedForAnotherOperatorCannotBeRegistered() {
        TestPools.Op owner = TestPools.operator();
        TestPools.Op squatter = TestPools.operator();
        String uuid = TestPools.gpuUuid();
        String certificate = FakeGpu.certifyH100(owner.wallet(), owner.token(), uuid);
        long squattersPool = TestPools.createPool(squatter, "SELF");

        given().auth().oauth2(squatter.token()).contentType(ContentType.JSON).body(gpuBody(squatter, "GPU-" + uuid.substring(4).toUpperCase()))
                .post("/api/pools/" + squattersPool + "/gpus").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("is certified for operator " + WalletAddress.of(owner.wallet().address()).checksummed()))
                .body("detail", containsString("revoke"));
        given().get("/api/pools/" + squattersPool + "/gpus").then().body("size()", equalTo(0));

        given().auth().oauth2(owner.token()).delete("/api/gpu/certificates/" + certificate).then().statusCode(204);
        given().auth().oauth2(squatter.token()).contentType(ContentType.JSON).body(gpuBody(squatter, uuid))
                .post("/api/pools/" + squattersPool + "/gpus").then().statusCode(201);
    }

    @Test
    void aRetiredGpusNftIsBurnedBeforeItsUuidIsRegisteredAgain() throws Exception {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        long otherPool = TestPools.createPool(op, "SELF");
        String uuid = TestPools.gpuUuid();
        FakeGpu.certifyH100(op.wallet(), op.token(), uuid);
        long gpuId = TestPools.registerGpu(op, poolId, uuid);
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01"))
                .post("/api/gpus/" + gpuId + "/mint").then().statusCode(202);
        await("the GPU NFT is minted", () -> "MINTED".equals(given().get("/api/gpus/" + gpuId).then().extract().path("gpu.status")),
                () -> QuarkusTransaction.requiringNew().run(() -> jobs.followMints(Instant.now())));

        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of("reason", "moving racks"))
                .post("/api/gpus/" + gpuId + "/leave").then().statusCode(200).body("status", equalTo("LEAVING"));
        QuarkusTransaction.requiringNew().run(() -> jobs.finishLeaving(Instant.now().plus(Duration.ofHours(73))));
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("RETIRED"));

        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(gpuBody(op, uuid))
                .post("/api/pools/" + otherPool + "/gpus").then()
                .statusCode(409).body("detail", containsString("still has a live GPU NFT #" + gpuId));

        assertThat(QuarkusTransaction.requiringNew().call(() -> retiredNfts.requestBurns(Instant.now()))).isGreaterThanOrEqualTo(1);
        assertThat(QuarkusTransaction.requiringNew().call(() -> retiredNfts.requestBurns(Instant.now())))
                .as("a burn is asked for once").isZero();
        await("the NFT is burned on chain", () -> chain.token(AssetKind.GPU, java.math.BigInteger.valueOf(gpuId))
                .map(Token::burned).orElse(false), () -> { });
        assertThat(chain.effect("gpu-nft-burn:" + gpuId)).map(EffectStatus::status).contains(EffectStatus.Status.CONFIRMED);
        given().get("/api/gpus/" + gpuId).then().body("gpu.nftOwner", org.hamcrest.Matchers.nullValue());

        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(gpuBody(op, uuid))
                .post("/api/pools/" + otherPool + "/gpus").then().statusCode(201).body("status", equalTo("CERTIFIED"));
    }
}
