package market;

import static io.restassured.RestAssured.given;
import static market.MarketWorld.customer;
import static market.MarketWorld.hourFromNow;
import static market.MarketWorld.order;
import static market.MarketWorld.pool;
import static market.MarketWorld.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import credits.TestCredits;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/** Offers, availability and quotes (DESIGN section 10, "Market (public)"): what is free when, changing nothing. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class MarketCatalogTest {

    /** The offer of pool {@code poolId} in a list, or null when the list leaves it out. */
    private static Map<String, Object> offer(JsonPath offers, long poolId) {
        return offers.getList("findAll { it.poolId == " + poolId + " }", Map.class).stream().findFirst()
                .map(m -> (Map<String, Object>) m).orElse(null);
    }

    private static JsonPath offers(Map<String, ?> query) {
        return given().queryParams(query).get("/api/market/pools").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void offersShowPricesAndTheGpusFreeOverTheAskedWindow() {
        MarketWorld.Pool pool = pool(3);
        Instant start = hourFromNow(2);
        order(customer(50_000_000), reservation(pool.id(), 2, start, start.plus(Duration.ofHours(2)))).then().statusCode(201);

        Map<String, Object> busy = offer(offers(Map.of("start", start.toString(), "end", start.plus(Duration.ofHours(1)).toString())), pool.id());
        assertThat(busy).containsEntry("freeGpus", 1).containsEntry("gpusInService", 3).containsEntry("modelId", "h100-sxm")
                .containsEntry("region", "eu-central").containsEntry("mode", "SELF").containsKey("reputation");
        assertThat(busy.get("prices")).isEqualTo(Map.of("spotDcPerHour", 120_000, "onDemandDcPerHour", 200_000,
                "reserved", List.of(Map.of("termDays", 30, "dcPerHour", 180_000), Map.of("termDays", 365, "dcPerHour", 150_000))));
        Instant later = start.plus(Duration.ofHours(2));
        assertThat(offer(offers(Map.of("start", later.toString(), "end", later.plus(Duration.ofHours(1)).toString())), pool.id()))
                .containsEntry("freeGpus", 3);
        assertThat(offer(offers(Map.of("kind", "SPOT")), pool.id())).as("spot counts now").containsEntry("freeGpus", 3);
        assertThat(offer(offers(Map.of("gpus", 2, "start", start.toString(), "end", later.toString())), pool.id()))
                .as("too few free over the window").isNull();
        assertThat(offer(offers(Map.of("model", "a100-sxm")), pool.id())).isNull();
        assertThat(offer(offers(Map.of("model", "h100-sxm", "region", "eu-central")), pool.id())).isNotNull();
        assertThat(offer(offers(Map.of("region", "us-east")), pool.id())).isNull();
    }

    @Test
    void malformedOfferQueriesAreRefusedWithWhatIsWrong() {
        Instant start = hourFromNow(1);
        record Case(Map<String, ?> query, String says) {
        }
        for (Case c : List.of(
                new Case(Map.of("gpus", 0), "gpus"),
                new Case(Map.of("kind", "LONG"), "kind"),
                new Case(Map.of("start", "tomorrow"), "start"),
                new Case(Map.of("start", start.toString(), "end", start.minusSeconds(3600).toString()), "after it starts"),
                new Case(Map.of("start", start.toString(), "end", start.plus(Duration.ofDays(40)).toString()), "at most"),
                new Case(Map.of("model", "x".repeat(61)), "model"))) {
            given().queryParams(c.query()).get("/api/market/pools").then().statusCode(400).body("detail", containsString(c.says()));
        }
    }

    @Test
    void availabilityCountsTheGpusFreeForReservationHourByHour() {
        MarketWorld.Pool pool = pool(3);
        Instant start = hourFromNow(2);
        order(customer(50_000_000), reservation(pool.id(), 2, start, start.plus(Duration.ofHours(2)))).then().statusCode(201);
        order(customer(50_000_000), reservation(pool.id(), 1, start.plus(Duration.ofHours(1)), start.plus(Duration.ofHours(3))))
                .then().statusCode(201);

        given().queryParam("start", start.minus(Duration.ofHours(1)).toString()).queryParam("end", start.plus(Duration.ofHours(4)).toString())
                .get("/api/market/pools/" + pool.id() + "/availability").then().statusCode(200)
                .body("poolId", equalTo((int) pool.id())).body("gpusInService", equalTo(3)).body("hours", hasSize(5))
                .body("hours.start", equalTo(List.of(start.minus(Duration.ofHours(1)).toString(), start.toString(),
                        start.plus(Duration.ofHours(1)).toString(), start.plus(Duration.ofHours(2)).toString(),
                        start.plus(Duration.ofHours(3)).toString())))
                .body("hours.free", equalTo(List.of(3, 1, 0, 2, 3)));
        given().get("/api/market/pools/" + pool.id() + "/availability").then().statusCode(200).body("hours", hasSize(24));
        given().get("/api/market/pools/999999999/availability").then().statusCode(404);
    }

    @Test
    void aQuoteSaysWhatAnOrderWouldCostAndHowManyAreFreeAndChangesNothing() {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer customer = customer(50_000_000);
        Instant start = hourFromNow(3);
        long orders = MarketWorld.count("select count(*) from market_order");
        given().contentType(ContentType.JSON).body(reservation(pool.id(), 2, start, start.plus(Duration.ofHours(24))))
                .post("/api/market/quotes").then().statusCode(200)
                .body("priceDc", equalTo(200_000 * 24 * 2)).body("freeGpus", equalTo(2)).body("start", equalTo(start.toString()));
        given().contentType(ContentType.JSON).body(reservation(pool.id(), 1, start, start.plus(Duration.ofDays(30))))
                .post("/api/market/quotes").then().statusCode(200).body("priceDc", equalTo(180_000 * 24 * 30));
        given().contentType(ContentType.JSON).body(MarketWorld.payAsYouGo(pool.id(), "SPOT", 3)).post("/api/market/quotes").then()
                .statusCode(200).body("priceDc", equalTo(120_000 * 3)).body("freeGpus", equalTo(2));
        given().contentType(ContentType.JSON).body(Map.of("poolId", pool.id(), "kind", "SPOT", "gpus", 0)).post("/api/market/quotes")
                .then().statusCode(400);
        assertThat(MarketWorld.count("select count(*) from market_order")).isEqualTo(orders);
        assertThat(TestCredits.balance(customer.address())).isEqualTo(50_000_000);
    }
}
