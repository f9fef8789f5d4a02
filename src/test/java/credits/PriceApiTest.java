package credits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import accounts.TestWallet;
import chain.Chain;
import chain.ContractName;
import chain.contracts.CreditsBurner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** The price oracle and quotes through the real API, pushed to the real embedded chain. */
@QuarkusTest
public class PriceApiTest {

    @Inject
    Chain chain;

    static String admin() {
        return TestWallet.ADMIN.signIn();
    }

    static JsonPath setPrice(String token, String usd) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("usdPerToken", usd))
                .put("/api/admin/credits/price").then().statusCode(202).extract().jsonPath();
    }

    /** Sets a price and waits until the contract uses it (GET /api/credits/price names it). */
    public static JsonPath setPriceOnChain(String usd) throws InterruptedException {
        JsonPath set = setPrice(admin(), usd);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var answer = given().get("/api/credits/price").then().extract();
            if (answer.statusCode() == 200 && answer.jsonPath().getString("observedAt").equals(set.getString("observedAt"))
                    && answer.jsonPath().getString("priceE8").equals(set.getString("priceE8"))) {
                return answer.jsonPath();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The price " + usd + " was not confirmed on chain; history: "
                        + given().queryParam("limit", 3).get("/api/credits/price/history").asString());
            }
            Thread.sleep(50);
        }
    }

    private CreditsBurner burner() {
        Web3j web3j = Web3j.build(new HttpService(chain.info().embeddedRpc().orElseThrow()));
        return CreditsBurner.load(chain.contractAddress(ContractName.CreditsBurner).orElseThrow(), web3j,
                new ReadonlyTransactionManager(web3j, "0x" + "00".repeat(20)), new DefaultGasProvider());
    }

    @Test
    void anAdminSetsThePriceAndTheContractBurnsAtItWithTheTimeItWasSet() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        JsonPath price = setPriceOnChain("0.37");

        assertThat(price.getString("priceE8")).isEqualTo("37000000");
        assertThat(price.getString("usdPerToken")).isEqualTo("0.37");
        assertThat(price.getBoolean("stale")).isFalse();
        Instant observed = Instant.parse(price.getString("observedAt"));
        assertThat(observed).isBetween(before, Instant.now());
        assertThat(Instant.parse(price.getString("staleAt"))).isEqualTo(observed.plus(Duration.ofHours(1)).plusSeconds(1));
        // what the outbox sent is on chain: the price and the moment it was observed
        CreditsBurner burner = burner();
        assertThat(burner.priceE8().send()).isEqualTo(BigInteger.valueOf(37_000_000));
        assertThat(burner.priceUpdatedAt().send()).isEqualTo(BigInteger.valueOf(observed.getEpochSecond()));
        assertThat(burner.quote(BigInteger.TEN.pow(18)).send()).isEqualTo(BigInteger.valueOf(37_000));
    }

    @Test
    void theHistoryKeepsEveryPriceNewestFirstWithItsWayToTheChain() throws Exception {
        setPriceOnChain("0.5");
        setPriceOnChain("0.75");
        List<Map<String, Object>> history = given().queryParam("limit", 2).get("/api/credits/price/history")
                .then().statusCode(200).extract().jsonPath().getList("");
        assertThat(history).extracting(h -> h.get("usdPerToken")).containsExactly("0.75", "0.50");
        assertThat(history).extracting(h -> h.get("onChain")).containsExactly("CONFIRMED", "CONFIRMED");
        assertThat(history).allSatisfy(h -> assertThat((String) h.get("txHash")).matches("0x[0-9a-f]{64}"));
    }

    @Test
    void onlyAnAdminSetsThePriceAndABadPriceIsRefusedAndStoresNothing() {
        int before = given().queryParam("limit", 500).get("/api/credits/price/history").then().extract().jsonPath().getList("").size();
        given().contentType(ContentType.JSON).body(Map.of("usdPerToken", "1")).put("/api/admin/credits/price").then().statusCode(401);
        given().auth().oauth2(TestWallet.random().signIn()).contentType(ContentType.JSON).body(Map.of("usdPerToken", "1"))
                .put("/api/admin/credits/price").then().statusCode(403);
        String token = admin();
        for (String bad : new String[] {"0", "0.000000001", "1000000.01", "1e3", "-1", "abc", "9".repeat(100), ""}) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("usdPerToken", bad))
                    .put("/api/admin/credits/price").then().statusCode(400).body("detail", containsString("usdPerToken"));
        }
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("usdPerToken", 0.25))
                .put("/api/admin/credits/price").then().statusCode(400);
        int after = given().queryParam("limit", 500).get("/api/credits/price/history").then().extract().jsonPath().getList("").size();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aQuoteIsTheContractsOwnAnswerRoundedDown() throws Exception {
        setPriceOnChain("0.25");
        CreditsBurner burner = burner();
        for (String tokens : new String[] {"1000000000000000000", "40000000000000", "39999999999999", "123456789012345678901234"}) {
            JsonPath quote = given().contentType(ContentType.JSON).body(Map.of("tokens", tokens)).post("/api/credits/quote")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(BigInteger.valueOf(quote.getLong("dc"))).as(tokens).isEqualTo(burner.quote(new BigInteger(tokens)).send());
            assertThat(quote.getString("smallestBurn")).isEqualTo("40000000000000");
            assertThat(quote.getString("priceE8")).isEqualTo("25000000");
        }
        given().contentType(ContentType.JSON).body(Map.of("tokens", "1000000000000000000")).post("/api/credits/quote")
                .then().body("dc", equalTo(25_000));
    }

    @Test
    void aQuoteOfMoreThanAnAccountCanHoldOrOfNoNumberIsRefused() throws Exception {
        setPriceOnChain("0.25");
        String max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE).toString();
        given().contentType(ContentType.JSON).body(Map.of("tokens", max)).post("/api/credits/quote")
                .then().statusCode(400).body("detail", containsString("more than an account can hold"));
        for (String bad : new String[] {"-1", "1.5", "1e18", "0x10", "9".repeat(79), BigInteger.TWO.pow(256).toString()}) {
            given().contentType(ContentType.JSON).body(Map.of("tokens", bad)).post("/api/credits/quote")
                    .then().statusCode(400).body("detail", containsString("tokens"));
        }
    }

    @Test
    void theAdminPageShowsThePriceInEffectItsHistoryAsAChartAndOnlyToAdmins() throws Exception {
        setPriceOnChain("0.30");
        String page = given().auth().oauth2(admin()).accept(ContentType.HTML).get("/admin/credits/price")
                .then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"price-usd\">0.30 USD per token").contains("<svg id=\"price-chart\"")
                .contains("<polyline").contains("id=\"price-history\"");
        given().auth().oauth2(TestWallet.random().signIn()).accept(ContentType.HTML).get("/admin/credits/price")
                .then().statusCode(403);
    }
}
