package accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeysTest {

    private final TestWallet wallet = TestWallet.random();

    @Test
    void aKeyIsShownOnceListedWithoutItsSecretAndWorksAsABearerToken() {
        String token = wallet.signIn();
        var created = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "gpu-host-07"))
                .post("/api/me/api-keys").then()
                .statusCode(201)
                .body("key", startsWith("bck_"))
                .extract();
        String id = created.path("id");
        String key = created.path("key");

        given().auth().oauth2(token).get("/api/me/api-keys").then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].id", equalTo(id))
                .body("[0].name", equalTo("gpu-host-07"))
                .body("[0].key", nullValue())
                .body("[0].prefix", equalTo(key.substring(0, 10)))
                .body(not(containsString(key.substring(10))));

        given().auth().oauth2(key).get("/api/me").then()
                .statusCode(200).body("address", equalTo(wallet.address().toLowerCase()));
    }

    @Test
    void aRevokedKeyStopsWorking() {
        String token = wallet.signIn();
        var created = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "ci")).post("/api/me/api-keys").then().statusCode(201).extract();

        given().auth().oauth2(token).delete("/api/me/api-keys/" + created.path("id")).then().statusCode(204);

        given().auth().oauth2((String) created.path("key")).get("/api/me").then().statusCode(401);
        given().auth().oauth2(token).get("/api/me/api-keys").then()
                .body("[0].revokedAt", not(nullValue()));
    }

    @Test
    void nobodyCanRevokeAnotherWalletsKey() {
        String owner = wallet.signIn();
        var created = given().auth().oauth2(owner).contentType(ContentType.JSON)
                .body(Map.of("name", "mine")).post("/api/me/api-keys").then().statusCode(201).extract();

        String intruder = TestWallet.random().signIn();
        given().auth().oauth2(intruder).delete("/api/me/api-keys/" + created.path("id")).then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2((String) created.path("key")).get("/api/me").then().statusCode(200);
    }

    @Test
    void aKeyNeedsANameAndTheErrorNamesTheField() {
        String token = wallet.signIn();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", ""))
                .post("/api/me/api-keys").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("name"));
        given().auth().oauth2(token).get("/api/me/api-keys").then().body("$", hasSize(0));
    }

    @Test
    void keysNeedASignedInCaller() {
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/me/api-keys").then().statusCode(401);
    }

    @Test
    void malformedJsonIsABadRequestWithAMessage() {
        given().auth().oauth2(wallet.signIn()).contentType(ContentType.JSON).body("{\"name\": ")
                .post("/api/me/api-keys").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("JSON"));
    }

    @Test
    void aFormPostWithoutItsCsrfTokenIsRefusedWithAnExplanationAndCreatesNothing() {
        String token = wallet.signIn();
        given().cookie("bc_session", token).contentType(ContentType.URLENC).formParam("name", "forged")
                .accept("text/html")
                .post("/account/api-keys").then()
                .statusCode(400)
                .body(containsString("Reload the page"));
        given().auth().oauth2(token).get("/api/me/api-keys").then().body("$", hasSize(0));
    }
}
