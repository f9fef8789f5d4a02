package pools;

import static org.assertj.core.api.Assertions.assertThat;

import gpu.cli.Cli;
import gpu.cli.FakeRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the real node agent ('bc-cli agent --runtime exec:…', in this JVM) against the test
 * server, a lease from the test lease source: the workload starts at the lease's start, is reported
 * RUNNING with its endpoint, its running minutes are recorded, and it is stopped when the lease
 * leaves the feed (preempted).
 */
@QuarkusTest
class AgentWorkloadsTest {

    @Inject
    Pools pools;

    @TempDir
    Path dir;

    private static void await(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void theAgentStartsTheWorkloadAtTheLeasesStartReportsItRunningAndStopsItWhenTheLeaseLeavesTheFeed() throws Exception {
        TestPools.Op op = TestPools.operator();
        String uuid = TestPools.gpuUuid();
        long gpuId = TestPools.registerGpu(op, TestPools.createPool(op, "SELF"), uuid);
        TestPools.arrangeMinted(gpuId);
        String key = TestPools.apiKey(op);
        FakeRuntime runtime = FakeRuntime.in(dir);
        Instant start = Instant.now().plusSeconds(3);
        String leaseId = "L-e2e-" + gpuId;
        TestLeases.put(gpuId, new LeaseSource.Lease(uuid, leaseId, "SPOT", start, null,
                new Workload("ghcr.io/acme/train:1", "ssh-ed25519 AAAAC3Nz me@laptop", Map.of("GREETING", "hi"))));

        AtomicReference<Cli> result = new AtomicReference<>();
        Thread agent = new Thread(() -> result.set(Cli.run("agent", "--server", "http://localhost:" + RestAssured.port,
                "--api-key", key, "--gpu", uuid, "--runtime", runtime.option())));
        agent.start();
        try {
            await("the workload starts", Duration.ofSeconds(20), () -> runtime.state(leaseId).isPresent());
            assertThat(Instant.now()).isAfterOrEqualTo(start);
            assertThat(runtime.state(leaseId).orElseThrow()).startsWith("running").contains("gpus=" + uuid, "env_GREETING=hi");

            await("it is reported running", Duration.ofSeconds(20), () -> pools.workloads(List.of(leaseId)).stream()
                    .anyMatch(s -> s.state() == WorkloadState.RUNNING && "gpu-host-1.example:2201".equals(s.endpoint())));
            await("its minutes are recorded", Duration.ofSeconds(20), () -> !pools.runningMinutes(leaseId, start.minusSeconds(60),
                    Instant.now().plusSeconds(60)).isEmpty());
            assertThat(pools.runningMinutes(leaseId, start.minusSeconds(3600), start.minusSeconds(60))).isEmpty();

            TestLeases.remove(leaseId); // preempted
            await("it is stopped", Duration.ofSeconds(45), () -> runtime.state(leaseId).orElseThrow().startsWith("stopped"));
        } finally {
            agent.interrupt();
            agent.join(10_000);
        }
        assertThat(result.get().out()).contains("workload " + leaseId + ": RUNNING at gpu-host-1.example:2201", "workload " + leaseId + ": STOPPED");
    }
}
