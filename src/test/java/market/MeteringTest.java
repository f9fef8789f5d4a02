package market;

import static io.restassured.RestAssured.given;
import static market.MarketWorld.customer;
import static market.MarketWorld.hourFromNow;
import static market.MarketWorld.order;
import static market.MarketWorld.payAsYouGo;
import static market.MarketWorld.pool;
import static market.MarketWorld.reservation;
import static market.MeteringWorld.cost;
import static market.MeteringWorld.minutes;
import static market.MeteringWorld.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import accounts.TestWallet;
import chain.AssetKind;
import chain.Chain;
import credits.TestCredits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;
import pools.LeaseSource;
import pools.TestPools;

/**
 * Per-minute metering with the job run at fixed instants: a minute the agent reported the workload
 * running in is charged once at the cumulative-floor rate, down minutes are free, a preempted spot
 * rental is charged no more from its stop, a payer running low is warned and stopped at exactly zero,
 * and a slot transferred on the real chain is paid by its new holder from the transfer minute on.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class MeteringTest {

    private static final long ON_DEMAND = 200_000;
    private static final long SPOT = 120_000;

    @Inject
    MarketJobs jobs;
    @Inject
    Metering metering;
    @Inject
    MarketLeases leases;
    @Inject
    Chain chain;

    private static Response get(MarketWorld.Customer customer, long id) {
        return given().auth().oauth2(customer.token()).get("/api/market/orders/" + id);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void minutesTheWorkloadRanInAreChargedOnceEachAndDownMinutesNot() throws Exception {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer customer = customer(10_000_000);
        Response placed = order(customer, payAsYouGo(pool.id(), "ON_DEMAND", 2));
        placed.then().statusCode(201);
        long id = Long.parseLong(placed.path("id"));
        Instant first = Instant.parse(placed.path("start")).truncatedTo(ChronoUnit.MINUTES);
        long gpuA = pool.gpuIds().get(0);
        long gpuB = pool.gpuIds().get(1);
        List<Instant> ranOnA = new ArrayList<>(minutes(first, 3));
        ranOnA.add(first.plus(4, ChronoUnit.MINUTES)); // minute 4 (k = 4) the GPU was down: no report
        running(id, gpuA, ranOnA);
        running(id, gpuB, minutes(first.plus(1, ChronoUnit.MINUTES), 2));
        running(id, gpuB, List.of(first.plus(7, ChronoUnit.MINUTES))); // not complete at the run below

        Instant now = first.plus(6, ChronoUnit.MINUTES).plusSeconds(30);
        // two replicas at once, then again: each (order, GPU, minute) is charged once
        CompletableFuture<Void> one = CompletableFuture.runAsync(() -> metering.run(now));
        CompletableFuture<Void> two = CompletableFuture.runAsync(() -> metering.run(now));
        CompletableFuture.allOf(one, two).get();
        metering.run(now);

        long expected = cost(ON_DEMAND, first, ranOnA) + cost(ON_DEMAND, first, minutes(first.plus(1, ChronoUnit.MINUTES), 2));
        assertThat(TestCredits.balance(customer.address())).isEqualTo(10_000_000 - expected);
        assertThat(MeteringWorld.postings(id)).isEqualTo(6);
        get(customer, id).then().statusCode(200).body("chargedDc", equalTo((int) expected)).body("chargedMinutes", equalTo(6))
                .body("meteredThrough", equalTo(first.plus(6, ChronoUnit.MINUTES).toString())).body("lowBalance", nullValue());
        // the cumulative floor: minutes 1, 2, 3 and 5 on one GPU at 200,000 DC/h
        assertThat(cost(ON_DEMAND, first, ranOnA)).isEqualTo(3333 + 3333 + 3334 + 3333);

        metering.run(first.plus(9, ChronoUnit.MINUTES).plusSeconds(30));
        assertThat(TestCredits.balance(customer.address()))
                .isEqualTo(10_000_000 - expected - cost(ON_DEMAND, first, List.of(first.plus(7, ChronoUnit.MINUTES))));
    }

    @Test
    void aRunningMinuteReportedOverRealHeartbeatsIsCharged() throws Exception {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer customer = customer(10_000_000);
        Response placed = order(customer, payAsYouGo(pool.id(), "SPOT", 1));
        long id = Long.parseLong(placed.path("id"));
        String key = TestPools.apiKey(pool.operator());
        String leaseId = MarketLeases.leaseId(id, pool.gpuIds().get(0));
        String serverTime = given().auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("gpus", List.of(pool.uuids().get(0)), "workloads", List.of(Map.of("leaseId", leaseId, "state", "RUNNING",
                        "endpoint", "gpu.example:2222"))))
                .post("/api/agent/heartbeats").then().statusCode(200).body("refusedReports", org.hamcrest.Matchers.empty())
                .extract().path("serverTime");
        Instant minute = Instant.parse(serverTime).truncatedTo(ChronoUnit.MINUTES);
        await("the report written", () -> get(customer, id).then().extract().path("status").equals("RUNNING"));
        metering.run(minute.plusSeconds(90));
        get(customer, id).then().body("chargedDc", equalTo(2000)).body("chargedMinutes", equalTo(1))
                .body("endpoint", equalTo("gpu.example:2222"));
    }

    @Test
    void aPayerRunningLowIsWarnedAndTheRentalStopsAtZeroWithTheBalanceExactlyZero() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer customer = customer(22_000); // 11 minutes at 2,000 DC a minute (spot, 120,000 DC/h)
        Response placed = order(customer, payAsYouGo(pool.id(), "SPOT", 1));
        placed.then().statusCode(201).body("lowBalance", nullValue());
        long id = Long.parseLong(placed.path("id"));
        long gpu = pool.gpuIds().get(0);
        Instant first = Instant.parse(placed.path("start")).truncatedTo(ChronoUnit.MINUTES);
        running(id, gpu, minutes(first, 14));

        metering.run(first.plus(1, ChronoUnit.MINUTES).plusSeconds(30)); // 1 minute charged: 10 minutes left, not under 10
        get(customer, id).then().body("chargedDc", equalTo(2000)).body("lowBalance", nullValue());
        metering.run(first.plus(2, ChronoUnit.MINUTES).plusSeconds(30));
        get(customer, id).then().body("chargedDc", equalTo(4000)).body("lowBalance.minutesLeft", equalTo(9))
                .body("status", equalTo("STARTING"));
        metering.run(first.plus(10, ChronoUnit.MINUTES).plusSeconds(30));
        get(customer, id).then().body("lowBalance.minutesLeft", equalTo(1)).body("status", equalTo("STARTING"));
        assertThat(TestCredits.balance(customer.address())).isEqualTo(2_000);

        Instant stop = first.plus(11, ChronoUnit.MINUTES).plusSeconds(30);
        metering.run(stop); // minute 11 takes the last 2,000: the balance is 0 and the rental stops
        get(customer, id).then().body("status", equalTo("STOPPED")).body("endReason", containsString("out of DCs"))
                .body("end", equalTo(stop.toString())).body("chargedDc", equalTo(22_000)).body("lowBalance", nullValue());
        assertThat(TestCredits.balance(customer.address())).isZero();
        assertThat(QuarkusTransaction.requiringNew().call(() -> leases.leases(pool.gpuIds(), stop)))
                .extracting(LeaseSource.Lease::leaseId).doesNotContain(MarketLeases.leaseId(id, gpu));

        metering.run(first.plus(15, ChronoUnit.MINUTES)); // the minute it stopped in is metered, charging what is there: nothing
        assertThat(TestCredits.balance(customer.address())).isZero();
        get(customer, id).then().body("chargedDc", equalTo(22_000))
                .body("meteredThrough", equalTo(first.plus(12, ChronoUnit.MINUTES).toString()));
    }

    @Test
    void aPreemptedSpotRentalIsChargedUntilItsStopAndNoMore() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer spotCustomer = customer(10_000_000);
        Response placed = order(spotCustomer, payAsYouGo(pool.id(), "SPOT", 1));
        long id = Long.parseLong(placed.path("id"));
        Instant start = hourFromNow(2);
        order(customer(10_000_000), reservation(pool.id(), 1, start, start.plus(Duration.ofHours(1)))).then().statusCode(201);
        running(id, pool.gpuIds().get(0), minutes(start.minus(3, ChronoUnit.MINUTES), 6)); // a report past the stop would be refused; none counts

        for (int run = 0; run < 4; run++) {
            jobs.run(start.plus(5, ChronoUnit.MINUTES));
        }
        get(spotCustomer, id).then().body("status", equalTo("PREEMPTED")).body("chargedDc", equalTo(3 * 2000))
                .body("chargedMinutes", equalTo(3));
        assertThat(TestCredits.balance(spotCustomer.address())).isEqualTo(10_000_000 - 3 * 2000);
    }

    @Test
    void aSlotTransferredOnChainIsPaidByItsNewHolderFromTheTransferMinuteOn() throws Exception {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer seller = customer(10_000_000);
        TestWallet buyer = TestWallet.random();
        TestCredits.give(buyer.address(), 10_000_000);
        Response placed = order(seller, payAsYouGo(pool.id(), "ON_DEMAND", 1));
        long id = Long.parseLong(placed.path("id"));
        BigInteger tokenId = new BigInteger(placed.<String>path("slotTokenId"));
        Instant first = Instant.parse(placed.path("start")).truncatedTo(ChronoUnit.MINUTES);
        await("the slot on chain", () -> chain.token(AssetKind.TIME_SLOT, tokenId).isPresent());

        // the transfer falls in a minute of its own after the order's first minute
        Instant transferMinute = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), transferMinute).toMillis() + 500));
        MeteringWorld.transfer(chain, seller.wallet(), buyer.address(), tokenId);
        assertThat(Instant.now()).isBefore(transferMinute.plus(1, ChronoUnit.MINUTES)); // the transfer is in that minute

        List<Instant> before = minutes(first, (int) Duration.between(first, transferMinute).toMinutes());
        List<Instant> after = minutes(transferMinute, 2);
        running(id, pool.gpuIds().get(0), before);
        running(id, pool.gpuIds().get(0), after);
        metering.run(transferMinute.plus(2, ChronoUnit.MINUTES).plusSeconds(30));

        assertThat(TestCredits.balance(seller.address())).isEqualTo(10_000_000 - cost(ON_DEMAND, first, before));
        assertThat(TestCredits.balance(buyer.address())).isEqualTo(10_000_000 - cost(ON_DEMAND, first, after));
        get(seller, id).then().body("chargedDc", equalTo((int) (cost(ON_DEMAND, first, before) + cost(ON_DEMAND, first, after))));
    }
}
