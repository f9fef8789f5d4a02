package accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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
    void anOverlongOrControlCharacterNameIsRefusedWithTheFieldNamedAndCreatesNothing() {
        String token = wallet.signIn();
        for (String name : new String[] {"x".repeat(101), "x".repeat(10_000), "gpu\u0000host", "gpu\nhost"}) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", name))
                    .post("/api/me/api-keys").then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem("name"));
        }
        given().auth().oauth2(token).get("/api/me/api-keys").then().body("$", hasSize(0));
    }

    @Test
    void revokingAnIdThatIsNoUuidIsNotFoundNamingTheId() {
        String token = wallet.signIn();
        for (String id : new String[] {"not-a-uuid", "x".repeat(200), "0b6f3c1e-8f0d-4d57-9c39-2f1f5d3a7c1"}) {
            given().auth().oauth2(token).delete("/api/me/api-keys/" + id).then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("detail", startsWith("id: "));
        }
    }

    @Test
    void theOpenApiDocumentStatesRequiredFieldsBoundsAndExamplesOfTheAccountsEndpoints() {
        var doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getList("components.schemas.CreateApiKey.required", String.class)).contains("name");
        assertThat(doc.getInt("components.schemas.CreateApiKey.properties.name.maxLength")).isEqualTo(100);
        assertThat(doc.getList("components.schemas.CreateApiKey.properties.name.examples")).contains("gpu-host-07");
        assertThat(doc.getList("components.schemas.SignInRequest.required", String.class)).contains("message", "signature");
        assertThat(doc.getInt("components.schemas.SignInRequest.properties.message.maxLength")).isEqualTo(SiweMessage.MAX_LENGTH);
        assertThat(doc.getInt("components.schemas.SignInRequest.properties.signature.maxLength")).isEqualTo(132);
        assertThat(doc.getString("components.schemas.SignInRequest.properties.signature.pattern")).isNotBlank();
        assertThat(doc.getList("components.schemas.MessageRequest.required", String.class)).contains("address");
        assertThat(doc.getInt("components.schemas.MessageRequest.properties.address.maxLength")).isEqualTo(42);
        assertThat(doc.getList("components.schemas.MessageRequest.properties.address.examples", String.class))
                .singleElement().asString().startsWith("0x");
        assertThat(doc.getList("components.schemas.NonceResponse.required", String.class)).contains("nonce", "domain", "uri", "chainId");
        var revoke = doc.getList("paths.'/api/me/api-keys/{id}'.delete.parameters", Map.class);
        assertThat(revoke).anySatisfy(p -> {
            assertThat(p.get("name")).isEqualTo("id");
            assertThat(p.get("required")).isEqualTo(true);
            assertThat(p.get("example") != null || p.get("examples") != null).as("an example of " + p).isTrue();
            assertThat(((Map<?, ?>) p.get("schema")).get("maxLength")).isEqualTo(36);
        });
        assertThat(doc.getMap("paths.'/api/auth/siwe'.post.responses")).containsKey("429");
        assertThat(doc.getMap("paths.'/api/auth/nonce'.get.responses")).containsKey("429");
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
