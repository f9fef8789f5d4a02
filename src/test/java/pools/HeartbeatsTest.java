package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import accounts.Caller;
import accounts.WalletAddress;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

/** Heartbeats on the real database: what a request may cost, what it may name, and a change of interval. */
@QuarkusTest
class HeartbeatsTest {

    @Inject
    SessionFactory sessionFactory;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Operators operators;

    @Inject
    PoolsConfig config;

    @Inject
    Uptime uptime;

    @Inject
    EntityManager em;

    long mintedGpu(TestPools.Op op, String uuid) {
        long gpuId = TestPools.registerGpu(op, TestPools.createPool(op, "SELF"), uuid);
        TestPools.arrangeMinted(gpuId);
        return gpuId;
    }

    @Test
    void aHeartbeatNamingAThousandUnknownGpusCostsAFewStatementsNotOneEach() {
        TestPools.Op op = TestPools.operator();
        String known = TestPools.gpuUuid();
        mintedGpu(op, known);
        String key = TestPools.apiKey(op);
        List<String> uuids = new ArrayList<>();
        uuids.add(known);
        for (int i = 0; i < 1000; i++) {
            uuids.add(TestPools.gpuUuid());
        }
        // warm up what is cached per caller (the API key, the caller's operators)
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", List.of(known)))
                .post("/api/agent/heartbeats").then().statusCode(200).body("accepted", equalTo(1));

        Statistics statistics = sessionFactory.getStatistics();
        statistics.setStatisticsEnabled(true);
        long before = statistics.getPrepareStatementCount();
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", uuids))
                .post("/api/agent/heartbeats").then()
                .statusCode(200)
                .body("accepted", equalTo(1))
                .body("unknown", hasSize(1000));
        long statements = statistics.getPrepareStatementCount() - before;
        statistics.setStatisticsEnabled(false);

        // one statement looks the 1,001 UUIDs up; the rest is whatever other jobs of this instance ran meanwhile
        assertThat(statements).as("statements while one heartbeat named 1,000 unknown GPUs").isLessThan(50);
    }

    @Test
    void aHeartbeatWithTooManyGpusOrAnOverlongUuidIsRefusedNamingTheField() {
        TestPools.Op op = TestPools.operator();
        String key = TestPools.apiKey(op);
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1025; i++) {
            tooMany.add(TestPools.gpuUuid());
        }
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", tooMany))
                .post("/api/agent/heartbeats").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("gpus"))
                .body("detail", containsString("1024"));
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", List.of("GPU-" + "a".repeat(100))))
                .post("/api/agent/heartbeats").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("gpus[0]"))
                .body("detail", containsString("64"));
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", List.of()))
                .post("/api/agent/heartbeats").then()
                .statusCode(400).body("errors[0].field", equalTo("gpus"));
    }

    /** The same settings with another heartbeat interval: what a restart with a changed setting runs with. */
    PoolsConfig withInterval(Duration interval) {
        PoolsConfig base = config;
        return new PoolsConfig() {
            public Duration heartbeatInterval() {
                return interval;
            }

            public Duration offlineAfter() {
                return base.offlineAfter();
            }

            public Duration shareChangeNotice() {
                return base.shareChangeNotice();
            }

            public Duration policyInterval() {
                return base.policyInterval();
            }

            public Duration statusInterval() {
                return base.statusInterval();
            }

            public Duration heartbeatFlushInterval() {
                return base.heartbeatFlushInterval();
            }

            public Duration maxNoticePeriod() {
                return base.maxNoticePeriod();
            }

            public Duration maxPolicyWindow() {
                return base.maxPolicyWindow();
            }

            public Duration maxWarningGrace() {
                return base.maxWarningGrace();
            }
        };
    }

    /** An instance as it runs after a restart with {@code interval}, at {@code at}: one heartbeat, then its flush. */
    void heartbeatAfterRestart(Caller caller, String uuid, Duration interval, Instant at) {
        Heartbeats instance = new Heartbeats(dataSource, operators, withInterval(interval), Clock.fixed(at, ZoneOffset.UTC));
        assertThat(instance.accept(caller, List.of(uuid)).receipt().accepted()).isEqualTo(1);
        instance.flush();
    }

    @Test
    void changingTheHeartbeatIntervalWithinAnHourKeepsEveryIntervalsUptime() {
        TestPools.Op op = TestPools.operator();
        String uuid = TestPools.gpuUuid();
        long gpuId = mintedGpu(op, uuid);
        Caller caller = new Caller(WalletAddress.of(op.wallet().address()), Set.of(Caller.CUSTOMER));
        Instant hour = Instant.parse("2024-06-01T10:00:00Z");

        heartbeatAfterRestart(caller, uuid, Duration.ofSeconds(60), hour.plusSeconds(30));       // 0:00–1:00 of 60 intervals
        heartbeatAfterRestart(caller, uuid, Duration.ofSeconds(30), hour.plusSeconds(615));      // 10:00–10:30 of 120
        heartbeatAfterRestart(caller, uuid, Duration.ofSeconds(45), hour.plusSeconds(1200));     // 19:30–20:15 of 80
        heartbeatAfterRestart(caller, uuid, Duration.ofSeconds(60), hour.plusSeconds(30));       // again: changes nothing

        long online = QuarkusTransaction.requiringNew().call(() ->
                uptime.onlineSeconds(List.of(gpuId), hour, hour.plus(Duration.ofHours(1))).getOrDefault(gpuId, 0L));
        assertThat(online).as("60 + 30 + 45 seconds, whatever interval each heartbeat was counted in").isEqualTo(135);
        int length = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select length(mask) from pools_uptime where gpu_id = ?1").setParameter(1, gpuId).getSingleResult()).intValue());
        assertThat(length).as("the finest common division of the hour: lcm(60, 120, 80)").isEqualTo(240);

        // Two-minute epochs cut the hour into 30 windows whose online seconds add up to the hour's exactly.
        long sum = 0;
        for (int minute = 0; minute < 60; minute += 2) {
            Instant from = hour.plusSeconds(minute * 60L);
            sum += QuarkusTransaction.requiringNew().call(() ->
                    uptime.onlineSeconds(List.of(gpuId), from, from.plusSeconds(120)).getOrDefault(gpuId, 0L));
        }
        assertThat(sum).isEqualTo(135);
        long firstEpoch = QuarkusTransaction.requiringNew().call(() ->
                uptime.onlineSeconds(List.of(gpuId), hour, hour.plusSeconds(120)).getOrDefault(gpuId, 0L));
        assertThat(firstEpoch).as("0:00–1:00 and 1:00–1:00: the first minute").isEqualTo(60);
        long across = QuarkusTransaction.requiringNew().call(() ->
                uptime.onlineSeconds(List.of(gpuId), hour.plusSeconds(1230), hour.plusSeconds(4000)).getOrDefault(gpuId, 0L));
        assertThat(across).as("nothing was online from 20:30 on, into the next hour").isZero();
    }
}
