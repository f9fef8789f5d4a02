package platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import accounts.TestWallet;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each endpoint takes bodies up to its own limit (platform.web.BodyLimits), not one limit for all. */
@QuarkusTest
class BodyLimitsTest {

    private String token;

    @BeforeEach
    void signIn() {
        token = TestWallet.random().signIn();
    }

    private static String jsonOfSize(int bytes) {
        return "{\"name\": \"" + "k".repeat(bytes) + "\"}";
    }

    private int apiKeys() {
        return given().auth().oauth2(token).get("/api/me/api-keys").then().statusCode(200)
                .extract().jsonPath().getList("$").size();
    }

    @Test
    void aBodyOverTheDefaultLimitIsRefusedWith413AndChangesNothing() {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(jsonOfSize(100 * 1024))
                .post("/api/me/api-keys").then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("64 KiB"));
        assertThat(apiKeys()).isZero();
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsRefusedOnceItPassesTheLimit() throws Exception {
        byte[] body = jsonOfSize(200 * 1024).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/me/api-keys"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(response.body()).contains("64 KiB");
        assertThat(apiKeys()).isZero();
    }

    @Test
    void aSmallBodyIsTakenAsBefore() {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "laptop"))
                .post("/api/me/api-keys").then().statusCode(201);
        assertThat(apiKeys()).isOne();
    }

    @Test
    void theSettlementSimulationTakesAWholeNetworkOfSeveralMegabytes() {
        List<Map<String, Object>> gpus = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("id", "g" + i);
            gpu.put("holder", String.format("0x%040x", i + 1));
            gpu.put("onlineSeconds", 86_400);
            gpu.put("dcConsumed", 1_000);
            gpus.add(gpu);
        }
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("id", "p1");
        pool.put("operatorBps", 1000);
        pool.put("poolBps", 6000);
        pool.put("usedGpuBps", 3000);
        pool.put("operatorHolder", String.format("0x%040x", 0xaa));
        pool.put("gpus", gpus);
        Map<String, Object> scenario = Map.of("emission", "1000000000000000000000", "pools", List.of(pool));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(scenario)
                .post("/api/epochs/simulate").then().statusCode(200);
    }
}
