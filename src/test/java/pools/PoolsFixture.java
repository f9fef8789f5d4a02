package pools;

import static io.restassured.RestAssured.given;

import accounts.TestWallet;
import gpu.FakeGpu;
import io.restassured.http.ContentType;
import java.util.Map;

/** Pools as other modules' tests need them, through the real API: an operator, a pool, a certified GPU minted to a holder. */
public final class PoolsFixture {

    /** A signed-in operator: its wallet, bearer token and operator id (its operator NFT is being minted). */
    public record Operator(TestWallet wallet, String token, long operatorId) {
    }

    private PoolsFixture() {
    }

    public static Operator operator() {
        PoolsApiTest.Op op = PoolsApiTest.operator();
        return new Operator(op.wallet(), op.token(), op.operatorId());
    }

    /** A self-operated pool with shares 10 % operator, 60 % pool, 30 % used GPUs. */
    public static long pool(Operator op) {
        return PoolsApiTest.createPool(new PoolsApiTest.Op(op.wallet(), op.token(), op.operatorId()), "SELF");
    }

    /** Registers and certifies a GPU in the pool and asks for its NFT to be minted to {@code holder}; the GPU's id (= its token id). */
    public static long mintedGpu(Operator op, long poolId, String holder) {
        String uuid = PoolsApiTest.gpuUuid();
        FakeGpu.certifyH100(op.wallet(), op.token(), uuid);
        long gpuId = PoolsApiTest.registerGpu(new PoolsApiTest.Op(op.wallet(), op.token(), op.operatorId()), poolId, uuid);
        given().auth().oauth2(op.token()).contentType(ContentType.JSON)
                .body(Map.of("to", holder, "purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01",
                        "hostingAgreementUrl", "https://dc.example/hosting/1", "ownershipContractUrl", "https://dc.example/own/1"))
                .post("/api/gpus/" + gpuId + "/mint").then().statusCode(202);
        return gpuId;
    }
}
