package market;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/**
 * Demo mode on ({@code bc.demo.enabled=true}), on a database of its own (the seeded network stays out
 * of the other tests' database): the server seeds the demo network by itself on start, its pools and
 * offers are in the JSON API, its GPUs are minted with demo certificates and come into service
 * through the simulated agents' heartbeats, every page shows the demo banner, and a second seeding
 * finds the marker row and seeds nothing.
 */
@QuarkusTest
@TestProfile(DemoNetworkTest.DemoOn.class)
class DemoNetworkTest {

    public static class DemoOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bc.demo.enabled", "true", "bc.pools.heartbeat-interval", "5s", "bc.pools.status-interval", "1s",
                    "bc.credits.sandbox-price.enabled", "true");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreshDatabase.class));
        }
    }

    /** The tests' embedded PostgreSQL, with a database and a data directory (for the chain) of this test's own. */
    public static class FreshDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> settings = new HashMap<>(EmbeddedPostgresResource.jdbcSettings());
            String url = settings.get("quarkus.datasource.jdbc.url");
            String name = "bc_demo_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, settings.get("quarkus.datasource.username"),
                    settings.get("quarkus.datasource.password")); Statement s = c.createStatement()) {
                s.execute("create database " + name);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            settings.put("quarkus.datasource.jdbc.url", url.substring(0, url.lastIndexOf('/') + 1) + name);
            settings.put("bc.data-dir", Path.of("target", "test-run", name).toAbsolutePath().toString());
            return settings;
        }

        @Override
        public void stop() {
        }
    }

    @Inject
    DemoNetwork demo;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Market market;

    @Inject
    credits.Oracle oracle;

    private static final List<String> POOLS = DemoNetwork.OPERATORS.stream().flatMap(o -> o.pools().stream())
            .map(DemoNetwork.DemoPool::name).toList();

    @Test
    void seedsOnceAndItsPoolsAndOffersAreInTheApi() throws Exception {
        JsonPath offers = await(() -> {
            JsonPath now = given().get("/api/market/pools").then().statusCode(200).extract().jsonPath();
            List<Integer> inService = now.getList("findAll { it.name.startsWith('Demo ') }.gpusInService", Integer.class);
            return inService.size() == POOLS.size() && inService.stream().allMatch(n -> n > 0) ? now : null;
        });
        assertTrue(offers.getList("name", String.class).containsAll(POOLS), "every demo pool is offered");
        assertEquals(List.of("DISTRIBUTED", "SELF", "SINGLE_SOURCE"), offers.getList("findAll { it.name.startsWith('Demo ') }.mode",
                String.class).stream().distinct().sorted().toList(), "pools of each mode");
        assertTrue(offers.getList("findAll { it.name.startsWith('Demo ') }.modelId", String.class).stream().distinct().count() >= 3,
                "several GPU models");
        given().get("/api/pools").then().statusCode(200).body("name", hasItems(POOLS.toArray(String[]::new)));

        // the GPUs came into service with demo certificates, marked as such, and the agents' heartbeats
        long poolId = offers.getLong("find { it.name == 'Demo H100 cluster' }.poolId");
        JsonPath gpus = given().get("/api/pools/" + poolId + "/gpus").then().statusCode(200).extract().jsonPath();
        String hash = gpus.getString("[0].certificateHash");
        given().get("/api/gpu/certificates/" + hash).then().statusCode(200).body("demo", org.hamcrest.Matchers.equalTo(true));
        await(() -> given().get("/api/pools/" + poolId + "/gpus").then().extract().jsonPath().getList("status", String.class)
                .contains("ACTIVE") ? true : null);

        assertFalse(demo.seedOnce(), "the marker row: a second start seeds nothing");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from market_demo")) {
            r.next();
            assertEquals(1, r.getLong(1));
        }
    }

    @Test
    void demoCustomersRentSomeOfTheDemoGpusWithDemoCreditsOnceTheyAreInService() throws Exception {
        long expected = DemoNetwork.CUSTOMERS.stream().mapToLong(c -> c.orders().size()).sum();
        String customers = DemoNetwork.CUSTOMERS.stream().map(c -> "'" + c.wallet().value() + "'").collect(Collectors.joining(", "));
        await(() -> count("select count(*) from market_order where customer in (" + customers + ")") == expected ? true : null);
        assertEquals(3, count("select count(distinct kind) from market_order where customer in (" + customers + ")"),
                "reservations, on-demand and spot rentals");
        // the simulated agents run them: each spot rental is reported RUNNING, with an endpoint
        DemoNetwork.DemoCustomer student = DemoNetwork.CUSTOMERS.get(2);
        await(() -> market.orders(student.caller()).stream().allMatch(o -> o.status() == OrderStatus.RUNNING && o.endpoint() != null)
                ? true : null);

        // the credits came from the DEMO source, and the ledger's health counts them apart
        long granted = DemoNetwork.CUSTOMERS.stream().mapToLong(DemoNetwork.DemoCustomer::dc).sum();
        assertEquals(granted, count("select balance from credits_account where kind = 'MINTED' and source = 'DEMO'"));
        assertEquals(granted, given().get("/q/health/ready").then().extract().jsonPath()
                .getLong("checks.find { it.name == 'credits-ledger' }.data.mintedByDemoDc"));
        assertFalse(demo.placeOrdersOnce(Instant.now()), "placed once");
        assertEquals(expected, count("select count(*) from market_order where customer in (" + customers + ")"));
    }

    @Test
    void theEmbeddedChainsSandboxPriceIsOnChainSoVisitorsCanBurnFaucetTokensForDcs() throws Exception {
        JsonPath price = await(() -> {
            var answer = given().get("/api/credits/price").then().extract();
            return answer.statusCode() == 200 ? answer.jsonPath() : null;
        });
        assertEquals("25000000", price.getString("priceE8"), "bc.credits.sandbox-price.usd, 0.25 by default");
        assertFalse(price.getBoolean("stale"));
        given().contentType(io.restassured.http.ContentType.JSON).body(Map.of("tokens", "1000000000000000000"))
                .post("/api/credits/quote").then().statusCode(200).body("dc", org.hamcrest.Matchers.equalTo(25_000));
        assertFalse(oracle.keepSandboxPrice(), "a fresh price is not stated again");
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void everyPageShowsTheDemoBanner() {
        for (String page : List.of("/", "/pools", "/gpu")) {
            given().accept("text/html").get(page).then().statusCode(200).body(containsString("id=\"demo-banner\""));
        }
    }

    interface Poll<T> {
        T get() throws Exception;
    }

    private static <T> T await(Poll<T> poll) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            T value = poll.get();
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("not within 90 s");
            }
            Thread.sleep(500);
        }
    }
}
