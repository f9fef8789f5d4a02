package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pools jobs run on every replica at once. These tests run two instances of a job on the real
 * PostgreSQL, held inside their transactions by a latch until both have done their work, so that
 * only database row locks (not anything in this JVM) keep them from acting twice.
 */
@QuarkusTest
class PoolsJobsConcurrencyTest {

    private static final Duration INSIDE = Duration.ofSeconds(5);

    @Inject
    PoolsJobs jobs;

    @Inject
    EntityManager em;

    /**
     * A registered GPU arranged as active, with a heartbeat just now. The tests run the jobs at
     * instants after {@code offline-after} (so the scheduled job of this instance, which runs at
     * the real time, leaves the GPU to them).
     */
    long activeGpu(TestPools.Op op, long poolId) {
        long gpuId = TestPools.registerGpu(op, poolId, TestPools.gpuUuid());
        TestPools.arrangeMinted(gpuId);
        QuarkusTransaction.requiringNew().run(() -> {
            GpuEntity gpu = GpuEntity.findById(gpuId);
            Instant now = Instant.now();
            gpu.moveTo(GpuStatus.ACTIVE, now, "test heartbeats");
            gpu.lastHeartbeatAt = now;
        });
        return gpuId;
    }

    long offlineEvents(long gpuId) {
        return QuarkusTransaction.requiringNew().call(() -> GpuEventEntity.count("gpuId = ?1 and toStatus = ?2", gpuId, GpuStatus.OFFLINE));
    }

    /**
     * Runs {@code job} in its own transaction and waits, before committing, until the other
     * instance has done its work too. Fails if the other never gets there: a job that waits for
     * another's lock (instead of skipping the rows it holds) would hold up every replica.
     */
    static CompletableFuture<Void> instance(Runnable job, CountDownLatch bothInside) {
        return CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            job.run();
            bothInside.countDown();
            try {
                if (!bothInside.await(INSIDE.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("the other instance of the job did not finish its work within " + INSIDE
                            + " while this one held its rows: it waited for a lock instead of skipping them");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    @Test
    void twoInstancesOfTheStatusJobMarkAGpuOfflineOnceAndCountOneFailure() throws Exception {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        long gpuId = activeGpu(op, poolId);
        Instant now = Instant.now().plus(Duration.ofMinutes(10));

        CountDownLatch bothInside = new CountDownLatch(2);
        CompletableFuture<Void> first = instance(() -> jobs.followHeartbeats(now), bothInside);
        CompletableFuture<Void> second = instance(() -> jobs.followHeartbeats(now), bothInside);
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);

        assertThat(offlineEvents(gpuId)).as("one history event, however many replicas ran the job").isEqualTo(1);
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("OFFLINE"));
        int failures = QuarkusTransaction.requiringNew().call(() -> GpuEventEntity.failures(List.of(gpuId), now.minus(Duration.ofDays(30)), now.plusSeconds(1)));
        assertThat(failures).as("the failures that reputation and member policies count").isEqualTo(1);
    }

    @Test
    void twoInstancesOfTheLeavingJobRetireAGpuOnce() throws Exception {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        long gpuId = activeGpu(op, poolId);
        given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(Map.of())
                .post("/api/gpus/" + gpuId + "/leave").then().statusCode(200).body("status", equalTo("LEAVING"));
        Instant later = Instant.now().plus(Duration.ofHours(73));

        CountDownLatch bothInside = new CountDownLatch(2);
        CompletableFuture<Void> first = instance(() -> jobs.finishLeaving(later), bothInside);
        CompletableFuture<Void> second = instance(() -> jobs.finishLeaving(later), bothInside);
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);

        long retired = QuarkusTransaction.requiringNew().call(() -> GpuEventEntity.count("gpuId = ?1 and toStatus = ?2", gpuId, GpuStatus.RETIRED));
        assertThat(retired).isEqualTo(1);
    }

    @Test
    void twoInstancesOfThePolicyJobWarnAMemberOnce() throws Exception {
        TestPools.Op owner = TestPools.operator();
        TestPools.Op member = TestPools.operator();
        long poolId = TestPools.createPool(owner, "DISTRIBUTED");
        TestPools.join(poolId, owner, member);
        activeGpu(member, poolId);
        Instant now = Instant.parse("2031-01-01T12:10:00Z"); // no uptime in the 24 h before: below the policy

        CountDownLatch bothInside = new CountDownLatch(2);
        CompletableFuture<Void> first = instance(() -> jobs.enforcePolicies(now), bothInside);
        CompletableFuture<Void> second = instance(() -> jobs.enforcePolicies(now), bothInside);
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);

        List<String> actions = given().get("/api/pools/" + poolId + "/audit").then().extract().path("action");
        assertThat(actions).containsExactly("warned", "approved", "requested");
    }

    @Test
    void anOperatorsLeaveIsNotOverwrittenByAJobThatLoadedTheGpuBefore() throws Exception {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        long gpuId = activeGpu(op, poolId);
        Instant now = Instant.now().plus(Duration.ofMinutes(10));

        // the job has loaded the GPU (active, no heartbeat for ten minutes) and is about to commit "offline"
        CountDownLatch loaded = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> job = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            jobs.followHeartbeats(now);
            loaded.countDown();
            try {
                commit.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(loaded.await(30, TimeUnit.SECONDS)).isTrue();

        // meanwhile its operator asks it to leave
        CompletableFuture<Response> leave = CompletableFuture.supplyAsync(() -> given().auth().oauth2(op.token())
                .contentType(ContentType.JSON).body(Map.of("reason", "moving racks")).post("/api/gpus/" + gpuId + "/leave"));
        long deadline = System.nanoTime() + INSIDE.toNanos();
        while (!leave.isDone() && waitingForALock() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        commit.countDown();
        job.get(30, TimeUnit.SECONDS);
        Response answer = leave.get(30, TimeUnit.SECONDS);

        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("LEAVING"));
        List<String> changes = QuarkusTransaction.requiringNew().call(() -> GpuEventEntity.<GpuEventEntity>list("gpuId = ?1 order by id", gpuId)
                .stream().map(e -> e.fromStatus + ">" + e.toStatus).toList());
        assertThat(changes).as("the leave waited for the job and started from what the job wrote")
                .endsWith("MINTED>ACTIVE", "ACTIVE>OFFLINE", "OFFLINE>LEAVING");
        QuarkusTransaction.requiringNew().run(() -> jobs.followHeartbeats(now.plusSeconds(1)));
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("LEAVING"));
    }

    @Test
    void listingAPoolsGpusWritesNothingAndTheJobFollowsANewCertificate() {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        String uuid = TestPools.gpuUuid();
        long gpuId = TestPools.registerGpu(op, poolId, uuid);
        gpu.FakeGpu.certifyH100(op.wallet(), op.token(), uuid); // certified after it was registered
        long events = QuarkusTransaction.requiringNew().call(() -> GpuEventEntity.count("gpuId", gpuId));

        given().get("/api/pools/" + poolId + "/gpus").then().statusCode(200).body("[0].status", equalTo("REGISTERED"));
        given().get("/api/gpus/" + gpuId).then().body("gpu.status", equalTo("REGISTERED"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> GpuEventEntity.count("gpuId", gpuId)))
                .as("a GET changes no GPU").isEqualTo(events);

        QuarkusTransaction.requiringNew().run(() -> jobs.followCertificates(Instant.now()));
        given().get("/api/pools/" + poolId + "/gpus").then().body("[0].status", equalTo("CERTIFIED"));
    }

    /** Sessions of this database that wait for a row lock right now. */
    long waitingForALock() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                .getSingleResult()).longValue());
    }
}
