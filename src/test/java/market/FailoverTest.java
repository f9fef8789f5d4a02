package market;

import static io.restassured.RestAssured.given;
import static market.MarketWorld.customer;
import static market.MarketWorld.hourFromNow;
import static market.MarketWorld.order;
import static market.MarketWorld.pool;
import static market.MarketWorld.reservation;
import static market.MeteringWorld.cost;
import static market.MeteringWorld.minutes;
import static market.MeteringWorld.online;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;
import pools.GpuStatus;
import pools.LeaseSource;
import pools.Pools;
import pools.TestPools;

/**
 * A reserved GPU that goes offline inside its window, with the job run at fixed instants: the hold
 * moves to a healthy free GPU of the pool from that minute on; with none free, each unserved
 * GPU-minute is refunded from escrow to the slot's holder, exactly and once. Served plus refunded is
 * the price.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class FailoverTest {

    /** A 1-hour reservation is under the shortest reserved term: the on-demand price, 200,000 DC per GPU-hour. */
    private static final long RATE = 200_000;

    @Inject
    MarketJobs jobs;
    @Inject
    MarketLeases leases;
    @Inject
    Pools pools;
    @Inject
    Chain chain;

    private static long heldGpu(long orderId) {
        return MarketWorld.count("select gpu_id from market_hold where order_id = " + orderId + " order by lower(during) limit 1");
    }

    /** A real heartbeat from the GPU's host, and the status pools' job gives it for that (ACTIVE). */
    private void healthy(MarketWorld.Pool pool, int index) throws InterruptedException {
        given().auth().oauth2(TestPools.apiKey(pool.operator())).contentType(ContentType.JSON)
                .body(Map.of("gpus", List.of(pool.uuids().get(index)))).post("/api/agent/heartbeats").then().statusCode(200);
        long gpu = pool.gpuIds().get(index);
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (pools.gpu(gpu).orElseThrow().status() != GpuStatus.ACTIVE) {
            assertThat(System.nanoTime()).as("GPU %d active", gpu).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void aReservedGpuThatGoesOfflineIsReplacedByAHealthyFreeOneAndTheMinutesBetweenAreRefunded() throws Exception {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer customer = customer(10_000_000);
        Instant start = hourFromNow(1);
        Instant end = start.plus(Duration.ofHours(1));
        Response placed = order(customer, reservation(pool.id(), 1, start, end));
        placed.then().statusCode(201).body("priceDc", equalTo((int) RATE));
        long id = Long.parseLong(placed.path("id"));
        long failing = heldGpu(id);
        int other = pool.gpuIds().get(0) == failing ? 1 : 0;
        long replacement = pool.gpuIds().get(other);
        healthy(pool, other);
        online(failing, minutes(start, 10));
        MeteringWorld.status(failing, "OFFLINE"); // what pools' status job does after bc.pools.offline-after without heartbeats

        Instant at = start.plus(12, ChronoUnit.MINUTES);
        jobs.run(at.plusSeconds(30));
        assertThat(MeteringWorld.holdsOf(id)).containsExactly(Map.entry(failing, start + "/" + at), Map.entry(replacement, at + "/" + end));
        assertThat(QuarkusTransaction.requiringNew().call(() -> leases.leases(pool.gpuIds(), at.plusSeconds(30))))
                .extracting(LeaseSource.Lease::leaseId).containsExactly(MarketLeases.leaseId(id, replacement));
        assertThat(MarketWorld.overlappingHolds()).isZero();
        assertThat(MarketWorld.count("select gpu_id from credits_escrow_gpu_move where escrow_id = 'market-order-" + id + "' and from_at = '"
                + at + "'")).as("the escrow follows: settlement burns the rest on the replacement").isEqualTo(replacement);

        online(replacement, minutes(at, 48));
        for (int run = 0; run < 3; run++) {
            jobs.run(end.plus(2, ChronoUnit.MINUTES));
        }
        long refunded = cost(RATE, start, minutes(start.plus(10, ChronoUnit.MINUTES), 2));
        assertThat(refunded).isEqualTo(3333 + 3334);
        given().auth().oauth2(customer.token()).get("/api/market/orders/" + id).then().statusCode(200)
                .body("status", equalTo("ENDED")).body("refundedMinutes", equalTo(2)).body("refundedDc", equalTo((int) refunded))
                .body("chargedMinutes", equalTo(58)).body("chargedDc", equalTo((int) (RATE - refunded)));
        assertThat(TestCredits.balance(customer.address())).isEqualTo(10_000_000 - RATE + refunded);
    }

    @Test
    void unservedMinutesAreRefundedToWhoHoldsTheSlotThenNotToWhoPaid() throws Exception {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer reseller = customer(10_000_000);
        Instant start = hourFromNow(1);
        Response placed = order(reseller, reservation(pool.id(), 1, start, start.plus(Duration.ofHours(1))));
        long id = Long.parseLong(placed.then().statusCode(201).extract().path("id"));
        BigInteger tokenId = new BigInteger(placed.<String>path("slotTokenId"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (chain.token(AssetKind.TIME_SLOT, tokenId).isEmpty()) {
            assertThat(System.nanoTime()).as("the slot on chain").isLessThan(deadline);
            Thread.sleep(100);
        }
        TestWallet buyer = TestWallet.random();
        MeteringWorld.transfer(chain, reseller.wallet(), buyer.address(), tokenId);
        online(pool.gpuIds().get(0), minutes(start, 59)); // the last minute of the window the GPU was down

        jobs.run(start.plus(61, ChronoUnit.MINUTES));
        jobs.run(start.plus(61, ChronoUnit.MINUTES));
        long lastMinute = cost(RATE, start, List.of(start.plus(59, ChronoUnit.MINUTES)));
        assertThat(TestCredits.balance(buyer.address())).isEqualTo(lastMinute);
        assertThat(TestCredits.balance(reseller.address())).isEqualTo(10_000_000 - RATE);
        assertThat(MeteringWorld.postings(id)).isEqualTo(1);
    }

    @Test
    void withNoFreeGpuTheUnservedMinutesAreRefundedExactlyAndOnce() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer customer = customer(10_000_000);
        Instant start = hourFromNow(1);
        Instant end = start.plus(Duration.ofHours(1));
        long id = Long.parseLong(order(customer, reservation(pool.id(), 1, start, end)).then().statusCode(201).extract().path("id"));
        long gpu = pool.gpuIds().get(0);
        online(gpu, minutes(start, 20));
        MeteringWorld.status(gpu, "OFFLINE");

        for (int run = 0; run < 4; run++) {
            jobs.run(start.plus(25, ChronoUnit.MINUTES)); // no GPU to move to: the hold stays
            jobs.run(end.plus(1, ChronoUnit.MINUTES));
        }
        assertThat(MeteringWorld.holdsOf(id)).containsExactly(Map.entry(gpu, start + "/" + end));
        long refunded = cost(RATE, start, minutes(start.plus(20, ChronoUnit.MINUTES), 40));
        assertThat(refunded).isEqualTo(RATE - 66_666); // minutes 21..60: 200,000 less floor(200,000 × 20 / 60)
        assertThat(TestCredits.balance(customer.address())).isEqualTo(10_000_000 - RATE + refunded);
        assertThat(MeteringWorld.postings(id)).isEqualTo(40);
        given().auth().oauth2(customer.token()).get("/api/market/orders/" + id).then()
                .body("refundedMinutes", equalTo(40)).body("refundedDc", equalTo((int) refunded)).body("chargedMinutes", equalTo(20))
                .body("chargedDc", equalTo(66_666)).body("meteredThrough", equalTo(end.toString()));
    }
}
