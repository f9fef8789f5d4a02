package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Time-driven rules, run at instants the test chooses: the member policy, heartbeats into uptime, leaving. */
@QuarkusTest
class MembershipPolicyTest {

    @Inject
    PoolsJobs jobs;

    @Inject
    Heartbeats heartbeats;

    @Inject
    EntityManager em;

    String memberStatus(long poolId, long operatorId) {
        List<Map<String, Object>> members = given().get("/api/pools/" + poolId + "/members").then().extract().path("$");
        return members.stream().filter(m -> ((Number) m.get("operatorId")).longValue() == operatorId)
                .map(m -> (String) m.get("status")).findFirst().orElseThrow();
    }

    @Test
    void aMemberBelowTheUptimePolicyIsWarnedThenRemovedOnSchedule() {
        TestPools.Op owner = TestPools.operator();
        TestPools.Op member = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED"); // 95% over 24 h, 24 h grace
        TestPools.join(poolId, owner, member);
        long gpuId = TestPools.registerGpu(member, poolId, TestPools.gpuUuid());
        TestPools.arrangeMinted(gpuId);

        Instant t0 = Instant.parse("2030-03-01T12:10:00Z");
        QuarkusTransaction.requiringNew().run(() -> jobs.enforcePolicies(t0));
        assertThat(memberStatus(poolId, member.operatorId())).isEqualTo("WARNED");

        QuarkusTransaction.requiringNew().run(() -> jobs.enforcePolicies(t0.plus(Duration.ofHours(23))));
        assertThat(memberStatus(poolId, member.operatorId())).as("still within the grace period").isEqualTo("WARNED");

        QuarkusTransaction.requiringNew().run(() -> jobs.enforcePolicies(t0.plus(Duration.ofHours(24))));
        assertThat(memberStatus(poolId, member.operatorId())).isEqualTo("REMOVED");

        given().get("/api/pools/" + poolId + "/audit").then()
                .body("[0].action", equalTo("removed"))
                .body("[0].actor", equalTo("policy"))
                .body("[0].reason", containsString("uptime 0.00% (minimum 95.00%)"))
                .body("[1].action", equalTo("warned"));
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("LEAVING"));
    }

    @Test
    void aWarnedMemberWhoseUptimeRecoversKeepsItsPlace() {
        TestPools.Op owner = TestPools.operator();
        TestPools.Op member = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED");
        TestPools.join(poolId, owner, member);
        long gpuId = TestPools.registerGpu(member, poolId, TestPools.gpuUuid());
        TestPools.arrangeMinted(gpuId);

        Instant t0 = Instant.parse("2030-05-01T00:05:00Z");
        QuarkusTransaction.requiringNew().run(() -> jobs.enforcePolicies(t0));
        assertThat(memberStatus(poolId, member.operatorId())).isEqualTo("WARNED");

        // every interval of the 24 hours before t0 + 12 h had a heartbeat
        long lastHour = Uptime.hourOf(t0.plus(Duration.ofHours(12)));
        QuarkusTransaction.requiringNew().run(() -> {
            for (long hour = lastHour - 24; hour < lastHour; hour++) {
                em.createNativeQuery("insert into pools_uptime (gpu_id, hour, mask) values (?1, ?2, cast(?3 as varbit))")
                        .setParameter(1, gpuId).setParameter(2, hour).setParameter(3, "1".repeat(120)).executeUpdate();
            }
        });
        QuarkusTransaction.requiringNew().run(() -> jobs.enforcePolicies(t0.plus(Duration.ofHours(12))));
        assertThat(memberStatus(poolId, member.operatorId())).isEqualTo("ACTIVE");
        given().get("/api/pools/" + poolId + "/audit").then().body("[0].action", equalTo("warning cleared"));
    }

    @Test
    void heartbeatsFromTheAgentBecomeUptimeAndMakeTheGpuActive() {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        String uuid = TestPools.gpuUuid();
        long gpuId = TestPools.registerGpu(op, poolId, uuid);
        TestPools.arrangeMinted(gpuId);
        String key = TestPools.apiKey(op);

        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", List.of(uuid.toLowerCase().replace("gpu-", "GPU-"))))
                .post("/api/agent/heartbeats").then().statusCode(200).body("accepted", equalTo(1));
        heartbeats.flush();
        // The scheduled status job may hold the GPU's row (the job skips rows another run has
        // locked), so the test's own run is repeated until one of them has seen the heartbeat.
        for (int tries = 0; tries < 40 && !"ACTIVE".equals(given().get("/api/gpus/" + gpuId).then().extract().path("gpu.status")); tries++) {
            QuarkusTransaction.requiringNew().run(() -> jobs.followHeartbeats(Instant.now()));
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }

        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("ACTIVE")).body("history.to", org.hamcrest.Matchers.hasItem("ACTIVE"));
        List<Integer> chart = given().get("/api/pools/" + poolId + "/uptime?days=1").then().statusCode(200).extract().path("uptimeBps");
        assertThat(chart.get(chart.size() - 1)).as("one interval of 120 this hour").isEqualTo(10_000 / 120);

        QuarkusTransaction.requiringNew().run(() -> jobs.followHeartbeats(Instant.now().plus(Duration.ofMinutes(5))));
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("OFFLINE"));
    }

    @Test
    void aGpuInServiceLeavesAfterTheNoticePeriodUnlessItBacksAReservation() {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF"); // 72 h notice
        long leaving = TestPools.registerGpu(op, poolId, TestPools.gpuUuid());
        long reserved = TestPools.registerGpu(op, poolId, TestPools.gpuUuid());
        TestPools.arrangeMinted(leaving);
        TestPools.arrangeMinted(reserved);
        RefusingLeavingGuard.BACKING.add(reserved);

        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of())
                .post("/api/gpus/" + reserved + "/leave").then()
                .statusCode(409).body("detail", containsString("reservation"));
        given().get("/api/gpus/" + reserved).then().body("gpu.status", equalTo("MINTED"));

        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of())
                .post("/api/gpus/" + leaving + "/leave").then()
                .statusCode(200).body("status", equalTo("LEAVING")).body("leavesAt", org.hamcrest.Matchers.notNullValue());
        QuarkusTransaction.requiringNew().run(() -> jobs.finishLeaving(Instant.now().plus(Duration.ofHours(71))));
        given().get("/api/gpus/" + leaving).then().body("gpu.status", equalTo("LEAVING"));
        QuarkusTransaction.requiringNew().run(() -> jobs.finishLeaving(Instant.now().plus(Duration.ofHours(73))));
        given().get("/api/gpus/" + leaving).then().body("gpu.status", equalTo("RETIRED"));
    }
}
