package pools;

import static org.assertj.core.api.Assertions.assertThat;

import gpu.cli.Cli;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** The node agent ('bc-cli agent') against the running server, with the operator's API key. */
@QuarkusTest
class AgentCliTest {

    @Test
    void theAgentSendsHeartbeatsForItsGpusAndReadsItsLeaseFeed() {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        String uuid = TestPools.gpuUuid();
        long gpuId = TestPools.registerGpu(op, poolId, uuid);
        TestPools.arrangeMinted(gpuId);
        String key = TestPools.apiKey(op);
        String server = "http://localhost:" + RestAssured.port;

        Cli agent = Cli.run("agent", "--once", "--server", server, "--api-key", key, "--gpu", uuid);
        assertThat(agent.exitCode()).as(agent.err()).isZero();
        assertThat(agent.out()).contains("heartbeat: 1 of 1 GPU(s) counted", "lease feed: 0 lease(s)");

        String stranger = TestPools.gpuUuid();
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
