package gpu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gpu.report.ReportJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's workloads with a real exec script (src/test/resources/agent/fake-runtime.sh): started, checked and stopped as the feed says. */
class WorkloadsTest {

    private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");
    private static final List<String> HOST = List.of("GPU-aaaa", "GPU-bbbb");

    @TempDir
    Path dir;

    private final StringWriter log = new StringWriter();

    private static ObjectNode entry(String gpu, String leaseId, String image, Instant end) {
        ObjectNode entry = ReportJson.mapper().createObjectNode();
        entry.put("gpuUuid", gpu).put("leaseId", leaseId).put("kind", "RESERVED").put("start", START.toString())
                .put("end", end == null ? null : end.toString());
        ObjectNode workload = entry.putObject("workload");
        workload.put("image", image).put("sshPublicKey", "ssh-ed25519 AAAAC3Nz me@laptop");
        workload.putObject("env").put("GREETING", "hello world; $(id)");
        return entry;
    }

    private static JsonNode feed(ObjectNode... entries) {
        ArrayNode feed = ReportJson.mapper().createArrayNode();
        List.of(entries).forEach(feed::add);
        return feed;
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }

    private static Workloads.Report report(Workloads workloads, String leaseId) {
        return workloads.reports().stream().filter(r -> r.leaseId().equals(leaseId)).findFirst().orElse(null);
    }

    @Test
    void aLeaseIsStartedAtItsStartWithThisHostsGpusOnlyAndStoppedWhenItLeavesTheFeed() throws Exception {
        FakeRuntime runtime = FakeRuntime.in(dir);
        Instant end = START.plus(Duration.ofHours(1));
        JsonNode feed = feed(entry("GPU-aaaa", "L-1", "ghcr.io/acme/train:1", end), entry("gpu-BBBB", "L-1", "ghcr.io/acme/train:1", end),
                entry("GPU-cccc", "L-1", "ghcr.io/acme/train:1", end)); // GPU-cccc is another host's
        try (Workloads workloads = new Workloads(WorkloadRuntime.named(runtime.option(), "unused"), new PrintWriter(log, true), Clock.systemUTC())) {
            workloads.follow(feed, START.minusSeconds(1), HOST);
            assertThat(workloads.reports()).isEmpty();
            assertThat(Workloads.nextBoundary(feed, START.minusSeconds(1), HOST)).contains(START);

            workloads.follow(feed, START, HOST);
            await(() -> report(workloads, "L-1").state() == Workloads.State.RUNNING);
            assertThat(report(workloads, "L-1").endpoint()).isEqualTo("gpu-host-1.example:2201");
            assertThat(runtime.state("L-1").orElseThrow()).startsWith("running")
                    .contains("gpus=GPU-aaaa,GPU-bbbb\n", "kind=RESERVED", "end=" + end, "image=ghcr.io/acme/train:1",
                            "key=ssh-ed25519 AAAAC3Nz me@laptop", "env_GREETING=hello world; $(id)", "api_key=\n");

            workloads.follow(feed, START.plusSeconds(30), HOST); // still wanted: started once only, checked
            workloads.follow(feed(), START.plusSeconds(60), HOST); // preempted: gone from the feed
            await(() -> runtime.state("L-1").orElseThrow().startsWith("stopped"));
            await(() -> report(workloads, "L-1").state() == Workloads.State.STOPPED);
            assertThat(workloads.reports()).isEmpty(); // STOPPED was reported once, then forgotten
        }
    }

    @Test
    void aWorkloadThatFailsToStartOrExitsIsReportedFailedWithItsReasonAndNotRestarted() throws Exception {
        FakeRuntime runtime = FakeRuntime.in(dir);
        JsonNode feed = feed(entry("GPU-aaaa", "L-bad", "example.org/fails:1", null), entry("GPU-bbbb", "L-ok", "ubuntu", null));
        try (Workloads workloads = new Workloads(WorkloadRuntime.named(runtime.option(), "unused"), new PrintWriter(log, true), Clock.systemUTC())) {
            workloads.follow(feed, START, HOST);
            await(() -> report(workloads, "L-bad").state() == Workloads.State.FAILED);
            assertThat(report(workloads, "L-bad").reason()).isEqualTo("pulling example.org/fails:1: manifest unknown");
            await(() -> report(workloads, "L-ok").state() == Workloads.State.RUNNING);

            java.nio.file.Files.writeString(dir.resolve("state").resolve("L-ok"), "exited\n"); // the workload exits by itself
            workloads.follow(feed, START.plusSeconds(30), HOST);
            await(() -> report(workloads, "L-ok").state() == Workloads.State.FAILED);
            assertThat(report(workloads, "L-ok").reason()).isEqualTo("exited");
            workloads.follow(feed, START.plusSeconds(60), HOST);
            Thread.sleep(300);
            assertThat(runtime.state("L-ok").orElseThrow()).startsWith("exited"); // not started again
            assertThat(report(workloads, "L-bad").state()).isEqualTo(Workloads.State.FAILED);
        }
    }

    @Test
    void aLeaseWhoseEndHasComeIsStopped() throws Exception {
        FakeRuntime runtime = FakeRuntime.in(dir);
        Instant end = START.plusSeconds(120);
        JsonNode feed = feed(entry("GPU-aaaa", "L-2", "ubuntu", end));
        try (Workloads workloads = new Workloads(WorkloadRuntime.named(runtime.option(), "unused"), new PrintWriter(log, true), Clock.systemUTC())) {
            workloads.follow(feed, START, HOST);
            await(() -> report(workloads, "L-2").state() == Workloads.State.RUNNING);
            assertThat(Workloads.nextBoundary(feed, START, HOST)).contains(end);
            workloads.follow(feed, end, HOST);
            await(() -> runtime.state("L-2").orElseThrow().startsWith("stopped"));
        }
    }
}
