package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import gpu.cli.Cli;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node agent ('bc-cli agent') against the running server, with the operator's API key. */
@QuarkusTest
class AgentCliTest {

    @Test
    void theAgentSendsHeartbeatsForItsGpusAndReadsItsLeaseFeed() {
        PoolsApiTest.Op op = PoolsApiTest.operator();
        long poolId = PoolsApiTest.createPool(op, "SELF");
        String uuid = PoolsApiTest.gpuUuid();
        long gpuId = PoolsApiTest.registerGpu(op, poolId, uuid);
        QuarkusTransaction.requiringNew().run(() -> {
            GpuEntity gpu = GpuEntity.findById(gpuId);
            gpu.moveTo(GpuStatus.CERTIFIED, Instant.now(), "test certificate");
            gpu.moveTo(GpuStatus.MINTING, Instant.now(), "test mint");
            gpu.moveTo(GpuStatus.MINTED, Instant.now(), "test mint confirmed");
        });
        String key = given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of("name", "host-1"))
                .post("/api/me/api-keys").then().statusCode(201).extract().path("key");
        String server = "http://localhost:" + RestAssured.port;

        Cli agent = Cli.run("agent", "--once", "--server", server, "--api-key", key, "--gpu", uuid);
        assertThat(agent.exitCode()).as(agent.err()).isZero();
        assertThat(agent.out()).contains("heartbeat: 1 of 1 GPU(s) counted", "lease feed: 0 lease(s)");

        String stranger = PoolsApiTest.gpuUuid();
        Cli unknown = Cli.run("agent", "--once", "--server", server, "--api-key", key, "--gpu", stranger);
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.out()).contains("not registered and minted under this operator: " + stranger);
        assertThat(unknown.err()).contains("counted none of this host's GPUs");
    }

    @Test
    void withoutAGpuOrDriverTheAgentSaysSoInOneLine() {
        Cli agent = Cli.run("agent", "--once", "--server", "http://localhost:" + RestAssured.port, "--api-key", "bck_x");
        assertThat(agent.exitCode()).isEqualTo(3);
        assertThat(agent.err().lines().count()).isEqualTo(1);
        assertThat(agent.err()).contains("--gpu");
    }
}
