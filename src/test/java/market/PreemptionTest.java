package market;

import static io.restassured.RestAssured.given;
import static market.MarketWorld.customer;
import static market.MarketWorld.hourFromNow;
import static market.MarketWorld.order;
import static market.MarketWorld.payAsYouGo;
import static market.MarketWorld.pool;
import static market.MarketWorld.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;
import pools.LeaseSource;

/**
 * Spot rentals give way with notice, run with the job at fixed instants: PREEMPTING from stopsAt −
 * 2 minutes, PREEMPTED at stopsAt, when the rental that took the GPU starts; the lease feed follows.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class PreemptionTest {

    private static final Duration NOTICE = Duration.ofMinutes(2);

    @Inject
    MarketJobs jobs;
    /** The market's lease feed and leaving guard (injected as itself: the pools tests have a LeaseSource of their own). */
    @Inject
    MarketLeases leases;
    @Inject
    MarketLeases guard;

    private static String status(MarketWorld.Customer customer, String id) {
        return given().auth().oauth2(customer.token()).get("/api/market/orders/" + id).then().statusCode(200).extract().path("status");
    }

    private List<LeaseSource.Lease> feed(List<Long> gpus, Instant at) {
        return QuarkusTransaction.requiringNew().call(() -> leases.leases(gpus, at));
    }

    @Test
    void anOnDemandOrderThatNeedsASpotGpuStartsWhenTheNoticeEnds() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer spotCustomer = customer(10_000_000);
        MarketWorld.Customer onDemandCustomer = customer(10_000_000);
        Map<String, Object> workload = Map.of("image", "docker.io/library/ubuntu:24.04");
        Response spot = order(spotCustomer, Map.of("poolId", pool.id(), "kind", "SPOT", "gpus", 1, "workload", workload));
        spot.then().statusCode(201).body("status", equalTo("STARTING")).body("notice", org.hamcrest.Matchers.nullValue());
        String spotId = spot.path("id");

        Response quote = given().contentType(ContentType.JSON).body(payAsYouGo(pool.id(), "ON_DEMAND", 1)).post("/api/market/quotes");
        quote.then().statusCode(200).body("freeGpus", equalTo(1)).body("priceDc", equalTo(200_000));
        Instant quotedStart = Instant.parse(quote.path("start"));

        Response onDemand = order(onDemandCustomer, payAsYouGo(pool.id(), "ON_DEMAND", 1));
        onDemand.then().statusCode(201).body("status", equalTo("SCHEDULED"));
        Instant start = Instant.parse(onDemand.path("start"));
        assertThat(Duration.between(quotedStart, start)).isLessThan(Duration.ofSeconds(30));
        String stopsAtText = given().auth().oauth2(spotCustomer.token()).get("/api/market/orders/" + spotId).then().statusCode(200)
                .body("status", equalTo("PREEMPTING")).extract().path("notice.stopsAt");
        Instant stopsAt = Instant.parse(stopsAtText);
        assertThat(stopsAt).isEqualTo(start);
        assertThat(Duration.between(Instant.now(), stopsAt)).isBetween(Duration.ofSeconds(90), NOTICE);

        // before stopsAt: the spot lease ends then, the on-demand lease starts then, open-ended
        List<LeaseSource.Lease> before = feed(pool.gpuIds(), stopsAt.minusSeconds(1));
        assertThat(before).extracting(LeaseSource.Lease::kind).containsExactlyInAnyOrder("SPOT", "ON_DEMAND");
        LeaseSource.Lease spotLease = before.stream().filter(l -> l.kind().equals("SPOT")).findFirst().orElseThrow();
        assertThat(spotLease.end()).isEqualTo(stopsAt);
        assertThat(spotLease.workload().image()).isEqualTo("docker.io/library/ubuntu:24.04");
        assertThat(spotLease.gpuUuid()).isEqualTo(pool.uuids().get(0));
        LeaseSource.Lease onDemandLease = before.stream().filter(l -> l.kind().equals("ON_DEMAND")).findFirst().orElseThrow();
        assertThat(onDemandLease.start()).isEqualTo(stopsAt);
        assertThat(onDemandLease.end()).isNull();

        jobs.run(stopsAt.minusSeconds(1));
        assertThat(status(spotCustomer, spotId)).isEqualTo("PREEMPTING");
        jobs.run(stopsAt);
        assertThat(status(spotCustomer, spotId)).isEqualTo("PREEMPTED");
        assertThat(status(onDemandCustomer, onDemand.path("id"))).isEqualTo("STARTING");
        assertThat(feed(pool.gpuIds(), stopsAt)).extracting(LeaseSource.Lease::kind).containsExactly("ON_DEMAND");
        assertThat(MarketWorld.overlappingHolds()).isZero();
    }

    @Test
    void aReservationGivesASpotRentalNoticeBeforeItsStartAndPreemptsItThen() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer spotCustomer = customer(10_000_000);
        String spotId = order(spotCustomer, payAsYouGo(pool.id(), "SPOT", 1)).then().statusCode(201).extract().path("id");
        Instant start = hourFromNow(2);
        MarketWorld.Customer reserver = customer(10_000_000);
        String reservationId = order(reserver, reservation(pool.id(), 1, start, start.plus(Duration.ofHours(1))))
                .then().statusCode(201).body("status", equalTo("SCHEDULED")).extract().path("id");

        given().auth().oauth2(spotCustomer.token()).get("/api/market/orders/" + spotId).then()
                .body("status", equalTo("STARTING")).body("notice.stopsAt", equalTo(start.toString()));
        jobs.run(start.minus(NOTICE).minusSeconds(1));
        assertThat(status(spotCustomer, spotId)).isEqualTo("STARTING");
        jobs.run(start.minus(NOTICE));
        assertThat(status(spotCustomer, spotId)).isEqualTo("PREEMPTING");
        jobs.run(start);
        assertThat(status(spotCustomer, spotId)).isEqualTo("PREEMPTED");
        assertThat(status(reserver, reservationId)).isEqualTo("STARTING");
        assertThat(feed(pool.gpuIds(), start)).extracting(LeaseSource.Lease::kind).containsExactly("RESERVED");
        jobs.run(start.plus(Duration.ofHours(1)));
        assertThat(status(reserver, reservationId)).isEqualTo("ENDED");
    }

    @Test
    void aSpotOrderTakesOnlyGpusNoOneElseRunsOnNow() {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer customer = customer(10_000_000);
        order(customer, payAsYouGo(pool.id(), "SPOT", 2)).then().statusCode(201);
        order(customer, payAsYouGo(pool.id(), "SPOT", 1)).then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("No GPU"));
        // reservations are not blocked by spot rentals
        order(customer, reservation(pool.id(), 2, hourFromNow(1), hourFromNow(2))).then().statusCode(201);
        assertThat(MarketWorld.overlappingHolds()).isZero();
    }

    @Test
    void aGpuBackingAReservationThatNoOtherGpuCanTakeOverStays() {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer customer = customer(50_000_000);
        Instant start = hourFromNow(1);
        order(customer, reservation(pool.id(), 1, start, start.plus(Duration.ofHours(3)))).then().statusCode(201);
        long held = MarketWorld.count("select gpu_id from market_hold h join market_order o on o.id = h.order_id where o.pool_id = "
                + pool.id() + " and h.kind = 'RESERVED'");
        long other = pool.gpuIds().stream().filter(id -> id != held).findFirst().orElseThrow();
        assertThat(QuarkusTransaction.requiringNew().call(() -> guard.reasonToStay(pool.id(), held, start))).isEmpty();
        assertThat(QuarkusTransaction.requiringNew().call(() -> guard.reasonToStay(pool.id(), other, start))).isEmpty();
        order(customer, reservation(pool.id(), 1, start, start.plus(Duration.ofHours(3)))).then().statusCode(201);
        assertThat(QuarkusTransaction.requiringNew().call(() -> guard.reasonToStay(pool.id(), held, start.plus(Duration.ofHours(1)))))
                .get().asString().contains("backs reservation");
        assertThat(QuarkusTransaction.requiringNew().call(() -> guard.reasonToStay(pool.id(), held, start.plus(Duration.ofHours(3)))))
                .isEmpty();
    }

    @Test
    void anOnDemandGuaranteeRollsForwardUntilAReservationIsInTheWayAndTheRentalEndsThere() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer renter = customer(10_000_000);
        Response onDemand = order(renter, payAsYouGo(pool.id(), "ON_DEMAND", 1));
        onDemand.then().statusCode(201);
        String id = onDemand.path("id");
        Instant start = Instant.parse(onDemand.path("start"));
        Instant reserved = hourFromNow(24 * 7 + 1); // just after the first guarantee (start + 7 days) ends, on the only GPU
        MarketWorld.Customer reserver = customer(10_000_000);
        String reservationId = order(reserver, reservation(pool.id(), 1, reserved, reserved.plus(Duration.ofHours(1))))
                .then().statusCode(201).extract().path("id");

        jobs.run(start.plus(Duration.ofHours(1)));
        given().auth().oauth2(renter.token()).get("/api/market/orders/" + id).then().statusCode(200)
                .body("guaranteedUntil", equalTo(reserved.toString())).body("status", equalTo("STARTING"));
        assertThat(feed(pool.gpuIds(), start.plus(Duration.ofHours(1)))).filteredOn(l -> l.kind().equals("ON_DEMAND"))
                .extracting(LeaseSource.Lease::end).containsExactly(reserved);
        jobs.run(reserved);
        given().auth().oauth2(renter.token()).get("/api/market/orders/" + id).then().statusCode(200)
                .body("status", equalTo("ENDED")).body("end", equalTo(reserved.toString()));
        assertThat(status(reserver, reservationId)).isEqualTo("STARTING");
        assertThat(MarketWorld.overlappingHolds()).isZero();
    }
}
