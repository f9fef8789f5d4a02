package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Workload reports with real heartbeats from a signed-in operator's API key: taken only for leases
 * the feed gives the caller's GPUs, bounded, kept as the latest state per lease and GPU, and the
 * RUNNING minutes recorded once each, whatever the number of reports in them.
 */
@QuarkusTest
class WorkloadReportsTest {

    @Inject
    Pools pools;

    @Inject
    WorkloadReports reports;

    private record Host(TestPools.Op op, String key, String uuid, long gpuId) {
    }

    private static Host host() {
        TestPools.Op op = TestPools.operator();
        String uuid = TestPools.gpuUuid();
        long gpuId = TestPools.registerGpu(op, TestPools.createPool(op, "SELF"), uuid);
        TestPools.arrangeMinted(gpuId);
        return new Host(op, TestPools.apiKey(op), uuid, gpuId);
    }

    private static String lease(Host host, Instant start, Instant end) {
        String leaseId = "L-" + UUID.randomUUID();
        TestLeases.put(host.gpuId(), new LeaseSource.Lease(host.uuid(), leaseId, "SPOT", start, end,
                new Workload("docker.io/library/ubuntu:24.04", "ssh-ed25519 AAAAC3Nz me@laptop", Map.of())));
        return leaseId;
    }

    private static Map<String, Object> report(String leaseId, String state, String reason, String endpoint) {
        Map<String, Object> report = new HashMap<>();
        report.put("leaseId", leaseId);
        report.put("state", state);
        report.put("reason", reason);
        report.put("endpoint", endpoint);
        return report;
    }

    private static ValidatableResponse heartbeat(String key, String uuid, List<Map<String, Object>> workloads) {
        return given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", List.of(uuid), "workloads", workloads))
                .post("/api/agent/heartbeats").then();
    }

    @Test
    void aReportIsTakenForALeaseTheFeedGivesTheCallersGpuAndItsRunningMinuteRecorded() {
        Host host = host();
        Instant now = Instant.now();
        String leaseId = lease(host, now.minus(Duration.ofMinutes(5)), null);
        String serverTime = heartbeat(host.key(), host.uuid(), List.of(report(leaseId, "RUNNING", null, "gpu-7.dc.example:49153")))
                .statusCode(200).body("accepted", equalTo(1)).body("refusedReports", empty())
                .extract().path("serverTime");
        heartbeat(host.key(), host.uuid(), List.of(report(leaseId, "RUNNING", null, "gpu-7.dc.example:49153"))).statusCode(200);
        reports.flush();

        assertThat(pools.workloads(List.of(leaseId))).singleElement().satisfies(status -> {
            assertThat(status.gpuId()).isEqualTo(host.gpuId());
            assertThat(status.gpuUuid()).isEqualTo(host.uuid().toLowerCase().replace("gpu-", "GPU-"));
            assertThat(status.state()).isEqualTo(WorkloadState.RUNNING);
            assertThat(status.endpoint()).isEqualTo("gpu-7.dc.example:49153");
        });
        Instant minute = Instant.parse(serverTime).truncatedTo(ChronoUnit.MINUTES);
        List<RunningMinutes> running = pools.runningMinutes(leaseId, now.minus(Duration.ofHours(2)), now.plus(Duration.ofHours(2)));
        assertThat(running).singleElement().satisfies(gpu -> {
            assertThat(gpu.gpuId()).isEqualTo(host.gpuId());
            assertThat(gpu.minutes()).contains(minute).hasSizeLessThanOrEqualTo(2); // two reports in (at most) two minutes
        });
        assertThat(pools.runningMinutes(leaseId, minute.plusSeconds(60), minute.plusSeconds(120)).stream()
                .flatMap(gpu -> gpu.minutes().stream())).allMatch(m -> m.equals(minute.plusSeconds(60)));

        heartbeat(host.key(), host.uuid(), List.of(report(leaseId, "FAILED", "container exited with exit code 137", null))).statusCode(200);
        reports.flush();
        assertThat(pools.workloads(List.of(leaseId))).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo(WorkloadState.FAILED);
            assertThat(status.reason()).isEqualTo("container exited with exit code 137");
            assertThat(status.endpoint()).isNull();
        });
    }

    @Test
    void reportsOfLeasesTheFeedDoesNotGiveTheCallersGpusAreRefusedAndChangeNothing() {
        Host host = host();
        Host stranger = host();
        Instant now = Instant.now();
        String leaseId = lease(host, now.minus(Duration.ofMinutes(1)), null);
        String upcoming = lease(host, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));

        // another operator's GPU, naming the lease of this one
        heartbeat(stranger.key(), stranger.uuid(), List.of(report(leaseId, "RUNNING", null, "evil.example:22")))
                .statusCode(200).body("refusedReports", contains(leaseId));
        // the right operator naming this GPU's lease under another of its own GPUs is no better
        heartbeat(host.key(), host.uuid(), List.of(report("L-made-up", "RUNNING", null, null), report(upcoming, "RUNNING", null, null)))
                .statusCode(200).body("refusedReports", contains("L-made-up"));
        TestLeases.remove(leaseId); // preempted: reports for it are refused from now on
        heartbeat(host.key(), host.uuid(), List.of(report(leaseId, "RUNNING", null, null))).statusCode(200)
                .body("refusedReports", contains(leaseId));
        reports.flush();

        assertThat(pools.workloads(List.of(leaseId, "L-made-up"))).isEmpty();
        // an upcoming lease's state is kept, but no minute before its start is ever recorded as running
        assertThat(pools.workloads(List.of(upcoming))).singleElement().extracting(WorkloadStatus::state).isEqualTo(WorkloadState.RUNNING);
        assertThat(pools.runningMinutes(upcoming, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(3)))).isEmpty();
    }

    @Test
    void everyFieldOfAReportIsBoundedAndABadOneIsA400ThatChangesNothing() {
        Host host = host();
        String leaseId = lease(host, Instant.now().minus(Duration.ofMinutes(1)), null);
        heartbeat(host.key(), host.uuid(), List.of(report(leaseId, "DANCING", null, null))).statusCode(400)
                .body("detail", containsString("STARTING, RUNNING, FAILED, STOPPED"));
        heartbeat(host.key(), host.uuid(), List.of(report("L".repeat(101), "RUNNING", null, null))).statusCode(400)
                .body("detail", containsString("leaseId"));
        heartbeat(host.key(), host.uuid(), List.of(report(leaseId, "FAILED", "x".repeat(201), null))).statusCode(400)
                .body("detail", containsString("reason"));
        heartbeat(host.key(), host.uuid(), List.of(report(leaseId, "FAILED", "two\nlines", null))).statusCode(400)
                .body("detail", containsString("reason"));
        for (String endpoint : List.of("no-port", "host:99999", "host:22; rm -rf /", "-oProxyCommand=x:22")) {
            heartbeat(host.key(), host.uuid(), List.of(report(leaseId, "RUNNING", null, endpoint))).statusCode(400)
                    .body("detail", containsString("endpoint"));
        }
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= Pools.MAX_HEARTBEAT_GPUS; i++) {
            tooMany.add(report("L-" + i, "RUNNING", null, null));
        }
        // more reports than a heartbeat may carry: refused by the count, or before that by the body's size
        heartbeat(host.key(), host.uuid(), tooMany).statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(413)));
        given().contentType(ContentType.JSON).body(Map.of("gpus", List.of(host.uuid()), "workloads", List.of(report(leaseId, "RUNNING", null, null))))
                .post("/api/agent/heartbeats").then().statusCode(401);
        reports.flush();
        assertThat(pools.workloads(List.of(leaseId))).isEmpty();
    }
}
