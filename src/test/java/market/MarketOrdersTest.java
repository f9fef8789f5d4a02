package market;

import static io.restassured.RestAssured.given;
import static market.MarketWorld.customer;
import static market.MarketWorld.hourFromNow;
import static market.MarketWorld.order;
import static market.MarketWorld.payAsYouGo;
import static market.MarketWorld.pool;
import static market.MarketWorld.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import credits.TestCredits;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/** The order API end to end: what each kind costs and holds, idempotency, and every refusal. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class MarketOrdersTest {

    private static final long ON_DEMAND = 200_000;
    private static final long RESERVED_30_DAYS = 180_000;

    @Test
    void aReservationIsPaidInFullIntoEscrowAndHoldsItsGpus() {
        MarketWorld.Pool pool = pool(3);
        MarketWorld.Customer customer = customer(20_000_000);
        Instant start = hourFromNow(2);
        Response response = order(customer, reservation(pool.id(), 2, start, start.plus(Duration.ofHours(24))));
        response.then().statusCode(201)
                .body("kind", equalTo("RESERVED")).body("status", equalTo("SCHEDULED")).body("poolId", equalTo((int) pool.id()))
                .body("gpus", equalTo(2)).body("start", equalTo(start.toString())).body("end", equalTo(start.plusSeconds(86_400).toString()))
                .body("priceDc", equalTo((int) (ON_DEMAND * 24 * 2))) // a day is under the shortest term (30 days): on-demand price
                .body("chargedDc", equalTo(0)).body("slotTokenId", equalTo(response.path("id")))
                .body("guaranteedUntil", nullValue()).body("notice", nullValue());
        assertThat(TestCredits.balance(customer.address())).isEqualTo(20_000_000 - ON_DEMAND * 48);
        assertThat(TestCredits.escrowed(customer.address())).isEqualTo(ON_DEMAND * 48);
        long id = Long.parseLong(response.path("id"));
        assertThat(MarketWorld.count("select count(*) from market_hold where order_id = " + id + " and kind = 'RESERVED'")).isEqualTo(2);
        assertThat(MarketWorld.count("select count(*) from chain_outbox where effect_key = 'market:slot:" + id + "'")).isEqualTo(1);

        given().auth().oauth2(customer.token()).get("/api/market/orders/" + id).then().statusCode(200).body("id", equalTo(String.valueOf(id)));
        given().auth().oauth2(customer.token()).get("/api/market/orders").then().statusCode(200).body("[0].id", equalTo(String.valueOf(id)));
        // a prepaid reservation is not stopped
        given().auth().oauth2(customer.token()).contentType(ContentType.JSON).post("/api/market/orders/" + id + "/stop").then().statusCode(409)
                .body("detail", containsString("reservation"));
    }

    @Test
    void aReservationOfThirtyDaysOrMoreIsPricedAtTheThirtyDayTerm() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer customer = customer(200_000_000);
        Instant start = hourFromNow(1);
        order(customer, reservation(pool.id(), 1, start, start.plus(Duration.ofDays(31)))).then().statusCode(201)
                .body("priceDc", equalTo((int) (RESERVED_30_DAYS * 24 * 31)));
    }

    @Test
    void theSameKeyGivesTheSameOrderAndAnotherBodyUnderItIsAConflict() {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer customer = customer(20_000_000);
        Instant start = hourFromNow(3);
        Map<String, Object> body = reservation(pool.id(), 1, start, start.plus(Duration.ofHours(2)));
        String first = order(customer, "key-1", body).then().statusCode(201).extract().path("id");
        long balance = TestCredits.balance(customer.address());
        String again = order(customer, "key-1", body).then().statusCode(201).extract().path("id");
        assertThat(again).isEqualTo(first);
        assertThat(TestCredits.balance(customer.address())).as("paid once").isEqualTo(balance);
        order(customer, "key-1", reservation(pool.id(), 2, start, start.plus(Duration.ofHours(2)))).then().statusCode(409)
                .body("detail", containsString("another body"));
        // another customer's key is another order
        order(customer(20_000_000), "key-1", body).then().statusCode(201).body("id", org.hamcrest.Matchers.not(equalTo(first)));
    }

    @Test
    void tooFewFreeGpusIsAConflictThatSaysHowManyAreFreeAndChangesNothing() {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer customer = customer(20_000_000);
        Instant start = hourFromNow(1);
        order(customer, reservation(pool.id(), 1, start, start.plus(Duration.ofHours(4)))).then().statusCode(201);
        long balance = TestCredits.balance(customer.address());
        long orders = MarketWorld.count("select count(*) from market_order");
        order(customer, reservation(pool.id(), 2, start.plus(Duration.ofHours(3)), start.plus(Duration.ofHours(5)))).then().statusCode(409)
                .body("detail", containsString("Only 1 GPU of pool " + pool.id() + " is free"));
        assertThat(TestCredits.balance(customer.address())).isEqualTo(balance);
        assertThat(MarketWorld.count("select count(*) from market_order")).isEqualTo(orders);
        // after the first reservation ends both are free again
        order(customer, reservation(pool.id(), 2, start.plus(Duration.ofHours(4)), start.plus(Duration.ofHours(5)))).then().statusCode(201);
    }

    @Test
    void tooFewCreditsIsAPaymentRequiredThatSaysWhatIsMissing() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer poor = customer(1_000);
        Instant start = hourFromNow(1);
        order(poor, reservation(pool.id(), 1, start, start.plus(Duration.ofHours(1)))).then().statusCode(402)
                .body("detail", containsString("199000 DC short"));
        // pay-as-you-go needs its first 5 minutes covered: 5/60 of 120,000 DC for spot = 10,000
        order(poor, payAsYouGo(pool.id(), "SPOT", 1)).then().statusCode(402).body("detail", containsString("needs 10000 DC"))
                .body("detail", containsString("9000 DC short"));
        assertThat(MarketWorld.count("select count(*) from market_hold h join market_order o on o.id = h.order_id where o.customer = '"
                + poor.address().toLowerCase() + "'")).isZero();
    }

    @Test
    void malformedOrdersAreRefusedWithWhatIsWrong() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer customer = customer(20_000_000);
        Instant start = hourFromNow(1);
        record Case(Object body, String says) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("kind", "SPOT", "gpus", 1), "poolId"),
                new Case(Map.of("poolId", pool.id(), "kind", "LONG", "gpus", 1), "kind"),
                new Case(Map.of("poolId", pool.id(), "kind", "SPOT", "gpus", 0), "gpus"),
                new Case(Map.of("poolId", pool.id(), "kind", "SPOT", "gpus", 1001), "gpus"),
                new Case(Map.of("poolId", pool.id(), "kind", "RESERVED", "gpus", 1), "start"),
                new Case(Map.of("poolId", pool.id(), "kind", "SPOT", "gpus", 1, "start", start.toString()), "only reservations"),
                new Case(reservation(pool.id(), 1, start.plusSeconds(60), start.plus(Duration.ofHours(2))), "whole hours"),
                new Case(reservation(pool.id(), 1, start.minus(Duration.ofHours(2)), start), "this hour"),
                new Case(reservation(pool.id(), 1, start, start.plus(Duration.ofDays(400))), "at most"),
                new Case(reservation(pool.id(), 1, start.plus(Duration.ofHours(2)), start), "after it starts"),
                new Case(Map.of("poolId", pool.id(), "kind", "SPOT", "gpus", 1, "workload", Map.of("image", "Not An Image!")), "workload.image"));
        for (Case c : cases) {
            order(customer, c.body()).then().statusCode(400).contentType(containsString("problem+json")).body("detail", containsString(c.says()));
        }
        given().auth().oauth2(customer.token()).contentType(ContentType.JSON).body(payAsYouGo(pool.id(), "SPOT", 1))
                .post("/api/market/orders").then().statusCode(400).body("detail", containsString("Idempotency-Key"));
        order(customer, "x".repeat(101), payAsYouGo(pool.id(), "SPOT", 1)).then().statusCode(400);
        order(customer, payAsYouGo(999_999_999L, "SPOT", 1)).then().statusCode(404);
        assertThat(MarketWorld.count("select count(*) from market_order where customer = '" + customer.address().toLowerCase() + "'")).isZero();
    }

    @Test
    void ordersNeedASignedInCallerAndAreOnlyTheirCustomers() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer customer = customer(20_000_000);
        given().header("Idempotency-Key", "anon").contentType(ContentType.JSON).body(payAsYouGo(pool.id(), "SPOT", 1))
                .post("/api/market/orders").then().statusCode(401);
        String id = order(customer, payAsYouGo(pool.id(), "SPOT", 1)).then().statusCode(201).extract().path("id");
        MarketWorld.Customer stranger = customer(0);
        given().auth().oauth2(stranger.token()).get("/api/market/orders/" + id).then().statusCode(404);
        given().auth().oauth2(stranger.token()).contentType(ContentType.JSON).post("/api/market/orders/" + id + "/stop").then().statusCode(404);
        given().get("/api/market/orders").then().statusCode(401);
    }

    @Test
    void aPayAsYouGoRentalHoldsFromNowAndStoppingFreesItsGpus() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer customer = customer(20_000_000);
        Response onDemand = order(customer, Map.of("poolId", pool.id(), "kind", "ON_DEMAND", "gpus", 1,
                "workload", Map.of("image", "docker.io/library/ubuntu:24.04", "sshPublicKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA me@x")));
        onDemand.then().statusCode(201).body("status", equalTo("STARTING")).body("priceDc", equalTo((int) ON_DEMAND))
                .body("guaranteedUntil", notNullValue()).body("end", nullValue());
        Instant start = Instant.parse(onDemand.path("start"));
        assertThat(Instant.parse(onDemand.<String>path("guaranteedUntil"))).isEqualTo(start.plus(Duration.ofDays(7)));
        assertThat(TestCredits.balance(customer.address())).as("pay-as-you-go takes nothing at purchase").isEqualTo(20_000_000);
        // the GPU is taken for on-demand and reservations over the guarantee
        order(customer, payAsYouGo(pool.id(), "ON_DEMAND", 1)).then().statusCode(409).body("detail", containsString("No GPU"));
        order(customer, reservation(pool.id(), 1, hourFromNow(5), hourFromNow(6))).then().statusCode(409);

        String id = onDemand.path("id");
        given().auth().oauth2(customer.token()).contentType(ContentType.JSON).post("/api/market/orders/" + id + "/stop").then().statusCode(200)
                .body("status", equalTo("STOPPED")).body("end", notNullValue());
        given().auth().oauth2(customer.token()).contentType(ContentType.JSON).post("/api/market/orders/" + id + "/stop").then().statusCode(200)
                .body("status", equalTo("STOPPED"));
        order(customer, reservation(pool.id(), 1, hourFromNow(5), hourFromNow(6))).then().statusCode(201);
    }

    @Test
    void anOrderIsRunningWithItsEndpointOnceTheNodeAgentReportsItsWorkloadRunning() throws InterruptedException {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer customer = customer(20_000_000);
        String id = order(customer, Map.of("poolId", pool.id(), "kind", "SPOT", "gpus", 1,
                "workload", Map.of("image", "docker.io/library/ubuntu:24.04"))).then().statusCode(201)
                .body("status", equalTo("STARTING")).body("endpoint", nullValue()).extract().path("id");
        String leaseId = "order-" + id + "-gpu-" + pool.gpuIds().get(0);
        String key = pools.TestPools.apiKey(pool.operator());
        given().auth().oauth2(key).get("/api/agent/leases").then().statusCode(200).body("leases.leaseId", org.hamcrest.Matchers.hasItem(leaseId));
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("gpus", List.of(pool.uuids().get(0)), "workloads",
                        List.of(Map.of("leaseId", leaseId, "state", "RUNNING", "endpoint", "gpu-7.dc.example:49153"))))
                .post("/api/agent/heartbeats").then().statusCode(200).body("accepted", equalTo(1));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(40)); // reports are written within the heartbeat flush interval
        while (!"RUNNING".equals(given().auth().oauth2(customer.token()).get("/api/market/orders/" + id).path("status"))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
        }
        given().auth().oauth2(customer.token()).get("/api/market/orders/" + id).then().statusCode(200)
                .body("status", equalTo("RUNNING")).body("endpoint", equalTo("gpu-7.dc.example:49153"));
        given().auth().oauth2(customer.token()).get("/api/market/orders").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.endpoint", equalTo("gpu-7.dc.example:49153"));
        // the heartbeat made the GPU active; without more it would go offline a minute and a half later, in another test's
        // time (one that checks the database does not change): it leaves its pool instead, which no job moves on for 72 h
        given().auth().oauth2(pool.operator().token()).contentType(ContentType.JSON).body(Map.of("reason", "test over"))
                .post("/api/gpus/" + pool.gpuIds().get(0) + "/leave").then().statusCode(200).body("status", equalTo("LEAVING"));
    }
}
