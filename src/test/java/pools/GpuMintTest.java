package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import chain.Chain;
import chain.EffectStatus;
import gpu.FakeGpu;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A certified GPU becomes a GPU NFT on the real (embedded) chain; the wrong certificate is refused with the reason. */
@QuarkusTest
class GpuMintTest {

    @Inject
    PoolsJobs jobs;

    @Inject
    Chain chain;

    private String awaitStatus(long gpuId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            QuarkusTransaction.requiringNew().run(() -> jobs.followMints(Instant.now()));
            String now = given().get("/api/gpus/" + gpuId).then().extract().path("gpu.status");
            if (now.equals(status) || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aCertifiedGpuIsMintedToItsOperatorWithTheCertificateHash() throws Exception {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        String uuid = TestPools.gpuUuid();
        String certificate = FakeGpu.certifyH100(op.wallet(), op.token(), uuid);
        long gpuId = TestPools.registerGpu(op, poolId, uuid);
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("CERTIFIED"));

        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01",
                        "hostingAgreementUrl", "https://dc.example/hosting/42", "ownershipContractUrl", "https://dc.example/own/42"))
                .post("/api/gpus/" + gpuId + "/mint").then()
                .statusCode(202).body("status", equalTo("MINTING"));

        assertThat(awaitStatus(gpuId, "MINTED")).isEqualTo("MINTED");
        given().get("/api/gpus/" + gpuId).then()
                .body("gpu.nftOwner", equalTo(op.wallet().address().toLowerCase()))
                .body("gpu.certificateHash", equalTo(certificate))
                .body("history.to", equalTo(List.of("REGISTERED", "CERTIFIED", "MINTING", "MINTED")));
        given().get("/api/chain/metadata/gpu/" + gpuId).then()
                .statusCode(200)
                .body("attributes.find { it.trait_type == 'Certificate hash' }.value", equalTo(certificate))
                .body("hosting_agreement_url", equalTo("https://dc.example/hosting/42"));
        given().auth().oauth2(op.token()).get("/api/gpus/mine").then().body("id", equalTo(List.of((int) gpuId)));
    }

    @Test
    void aCertificateOfAnotherModelIsRefusedWithTheReason() {
        TestPools.Op op = TestPools.operator();
        Map<String, Object> body = new HashMap<>(TestPools.poolBody(op.operatorId(), "SELF"));
        body.put("modelId", "a100-80gb");
        long poolId = ((Number) given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(body)
                .post("/api/pools").then().statusCode(201).extract().path("id")).longValue();
        String uuid = TestPools.gpuUuid();
        FakeGpu.certifyH100(op.wallet(), op.token(), uuid);
        long gpuId = TestPools.registerGpu(op, poolId, uuid);

        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01"))
                .post("/api/gpus/" + gpuId + "/mint").then()
                .statusCode(422).body("detail", containsString("certified as h100-sxm, but pool " + poolId + " holds a100-80gb"));
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("REGISTERED"));
    }

    @Test
    void anotherOperatorsGpuCannotBeMinted() {
        TestPools.Op op = TestPools.operator();
        TestPools.Op stranger = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        String uuid = TestPools.gpuUuid();
        FakeGpu.certifyH100(op.wallet(), op.token(), uuid);
        long gpuId = TestPools.registerGpu(op, poolId, uuid);
        given().auth().oauth2(stranger.token()).contentType(ContentType.JSON)
                .body(Map.of("purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01"))
                .post("/api/gpus/" + gpuId + "/mint").then().statusCode(403);
    }

    @Test
    void aMintTheChainRefusesIsShownWithItsReasonAndAskedAgainUnderANewKey() throws Exception {
        TestPools.Op op = TestPools.operator();
        TestPools.Op stranger = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        String uuid = TestPools.gpuUuid();
        FakeGpu.certifyH100(op.wallet(), op.token(), uuid);
        long gpuId = TestPools.registerGpu(op, poolId, uuid);
        // A contract that cannot receive NFTs: GpuNFT's _safeMint to it reverts on chain.
        String token = given().get("/api/chain").then().extract().path("contracts.BerkeleyToken");

        // Asked before anything was refused (not after the mint: the scheduled job may already have
        // seen the refusal by then).
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of())
                .post("/api/gpus/" + gpuId + "/mint/retry").then()
                .statusCode(409).body("detail", containsString("no refused mint"));
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01", "to", token))
                .post("/api/gpus/" + gpuId + "/mint").then().statusCode(202).body("status", equalTo("MINTING"));

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String error = null;
        while (error == null && System.nanoTime() < deadline) {
            QuarkusTransaction.requiringNew().run(() -> jobs.followMints(Instant.now()));
            error = given().get("/api/gpus/" + gpuId).then().extract().path("gpu.mintError");
            Thread.sleep(100);
        }
        assertThat(error).as("the chain's reason").contains("Reverted");
        given().get("/api/gpus/" + gpuId).then().body("gpu.nftOwner", org.hamcrest.Matchers.nullValue());
        assertThat(chain.effect("gpu-nft:" + gpuId)).map(EffectStatus::status).contains(EffectStatus.Status.FAILED);
        given().auth().oauth2(op.token()).accept("text/html").get("/operator/pools/" + poolId).then().statusCode(200)
                .body(containsString("mint failed: " + error))
                .body(containsString("action=\"/operator/gpus/" + gpuId + "/mint/retry\""));

        given().auth().oauth2(stranger.token()).contentType(ContentType.JSON).body(Map.of("to", stranger.wallet().address()))
                .post("/api/gpus/" + gpuId + "/mint/retry").then().statusCode(403);
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of("to", op.wallet().address()))
                .post("/api/gpus/" + gpuId + "/mint/retry").then()
                .statusCode(202).body("status", equalTo("MINTING")).body("mintError", org.hamcrest.Matchers.nullValue());

        assertThat(awaitStatus(gpuId, "MINTED")).isEqualTo("MINTED");
        assertThat(chain.effect("gpu-nft:" + gpuId + "-retry-1")).map(EffectStatus::status)
                .contains(EffectStatus.Status.CONFIRMED);
        given().get("/api/gpus/" + gpuId).then()
                .body("gpu.nftOwner", equalTo(op.wallet().address().toLowerCase()))
                .body("gpu.mintError", org.hamcrest.Matchers.nullValue())
                .body("history.to", equalTo(List.of("REGISTERED", "CERTIFIED", "MINTING", "CERTIFIED", "MINTING", "MINTED")))
                .body("history[3].reason", containsString("the chain refused the mint"));
    }
}
