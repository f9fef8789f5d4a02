package platform.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import accounts.TestWallet;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/**
 * Every way a request can be malformed before a resource method runs (Jackson, RESTEasy, the URL)
 * gets one problem-details shape that names the field and says what JSON was expected, in JSON
 * terms, never with a Java class name; and the JSON limits refuse oversized input as it is read.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ProblemDetailsTest {

    private String token;

    @BeforeEach
    void signIn() {
        token = TestWallet.random().signIn();
    }

    private ValidatableResponse post(String path, String json) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(json).post(path).then()
                .contentType("application/problem+json")
                .body("detail", not(containsString("java.")))
                .body("detail", not(containsString("$")))
                .body("detail", not(containsString("`")));
    }

    private int apiKeys() {
        return given().auth().oauth2(token).get("/api/me/api-keys").then().statusCode(200).extract().path("size()");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedWithTheJsonItShouldHold() {
        post("/api/pools", "{\"operatorId\": \"abc\"}").statusCode(400)
                .body("detail", containsString("operatorId must be a whole number"))
                .body("errors[0].field", equalTo("operatorId"));
        post("/api/pools", "{\"prices\": 5}").statusCode(400)
                .body("detail", containsString("prices must be an object"))
                .body("errors[0].field", equalTo("prices"));
        post("/api/pools", "{\"prices\": {\"reserved\": {}}}").statusCode(400)
                .body("detail", containsString("prices.reserved must be a list"));
        post("/api/pools", "{\"shares\": {\"operatorBps\": true}}").statusCode(400)
                .body("detail", containsString("shares.operatorBps must be a whole number"));
        post("/api/me/api-keys", "{\"name\": [1]}").statusCode(400)
                .body("detail", containsString("name must be a string"));
        post("/api/pools", "[]").statusCode(400).body("errors[0].field", equalTo("body"))
                .body("detail", containsString("body must be an object"));
    }

    @Test
    void valuesOfAnotherJsonTypeAreNotCoerced() {
        int before = apiKeys();
        post("/api/me/api-keys", "{\"name\": 5}").statusCode(400).body("detail", containsString("name must be a string"));
        post("/api/me/api-keys", "{\"name\": true}").statusCode(400).body("detail", containsString("name must be a string"));
        post("/api/pools", "{\"shares\": {\"operatorBps\": \"1000\"}}").statusCode(400)
                .body("detail", containsString("shares.operatorBps must be a whole number"));
        post("/api/pools", "{\"shares\": {\"operatorBps\": 1000.5}}").statusCode(400)
                .body("detail", containsString("shares.operatorBps must be a whole number"));
        post("/api/pools", "{\"mode\": 0}").statusCode(400).body("detail", containsString("mode must be one of"));
        org.assertj.core.api.Assertions.assertThat(apiKeys()).isEqualTo(before);
    }

    @Test
    void anUnknownEnumValueListsTheValues() {
        post("/api/pools", "{\"operatorId\": 1, \"mode\": \"NOPE\"}").statusCode(400)
                .body("detail", allOf(containsString("mode must be one of"), containsString("\"SELF\""), containsString("\"DISTRIBUTED\"")))
                .body("errors[0].field", equalTo("mode"));
    }

    @Test
    void aDateInAnotherFormatShowsTheFormat() {
        post("/api/gpus/1/mint", "{\"purchaseDate\": \"yesterday\"}").statusCode(400)
                .body("detail", allOf(containsString("purchaseDate must be a date such as \"2026-01-31\""), containsString("\"yesterday\" is not")));
    }

    @Test
    void aNumberOutOfRangeSaysTheRange() {
        post("/api/pools", "{\"operatorId\": 99999999999999999999999}").statusCode(400)
                .body("detail", allOf(containsString("operatorId is out of range"), containsString("9223372036854775807")));
    }

    @Test
    void aMissingOrNullBodyIsAskedFor() {
        post("/api/pools", "").statusCode(400).body("errors[0].field", equalTo("body"))
                .body("detail", containsString("body is required"));
        post("/api/me/api-keys", "null").statusCode(400).body("errors[0].field", equalTo("body"));
    }

    @Test
    void malformedJsonSaysWhereItBreaks() {
        post("/api/pools", "{bad").statusCode(400)
                .body("errors[0].field", equalTo("body"))
                .body("detail", allOf(containsString("body is not valid JSON"), containsString("line 1, column 2")));
        post("/api/pools", "{\"name\": \"x\"").statusCode(400).body("detail", containsString("body is not valid JSON"));
    }

    @Test
    void oversizedJsonIsRefusedWhileItIsRead() {
        int before = apiKeys();
        post("/api/pools", "{\"operatorId\": " + "9".repeat(101) + "}").statusCode(400)
                .body("detail", containsString("a number longer than 100 characters"));
        post("/api/epochs/simulate", "{\"emission\": \"" + "x".repeat(65_537) + "\"}").statusCode(400) // past 64 KiB: an endpoint with a larger body limit
                .body("detail", containsString("a string longer than 65536 characters"));
        post("/api/me/api-keys", "{\"skipped\": " + "[".repeat(100) + "]".repeat(100) + ", \"name\": \"k\"}").statusCode(400)
                .body("detail", containsString("nested deeper than 64 levels"));
        post("/api/me/api-keys", "{\"" + "n".repeat(300) + "\": 1}").statusCode(400)
                .body("detail", containsString("a field name longer than 256 characters"));
        org.assertj.core.api.Assertions.assertThat(apiKeys()).isEqualTo(before);
    }

    @Test
    void aNulCharacterIsRefusedInBodiesAndAddresses() {
        int before = apiKeys();
        post("/api/me/api-keys", "{\"name\": \"a\\u0000b\"}").statusCode(400)
                .body("errors[0].field", equalTo("name"))
                .body("detail", containsString("name must not contain the NUL character"));
        post("/api/me/api-keys", "{\"name\": \"a\\u0007\\u001b[31mb\"}").statusCode(400)
                .body("detail", containsString("name must not contain control characters"));
        given().auth().oauth2(token).urlEncodingEnabled(false).get("/api/pools/1/uptime?days=1%00").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("days"));
        given().auth().oauth2(token).urlEncodingEnabled(false).delete("/api/me/api-keys/a%00b").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("path"));
        org.assertj.core.api.Assertions.assertThat(apiKeys()).isEqualTo(before);
    }

    @Test
    void aMalformedParameterIsNamed() {
        given().get("/api/pools/1/uptime?days=abc").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("days"))
                .body("detail", containsString("days must be a whole number"));
        given().get("/api/pools/abc").then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("id must be a whole number"));
        given().auth().oauth2(token).delete("/api/me/api-keys/not-a-uuid").then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("is not an API key id; ids are UUIDs"));
    }

    @Test
    void aWrongContentTypeIs415WithTheExpectedOne() {
        given().auth().oauth2(token).contentType("text/plain").body("{}").post("/api/pools").then()
                .statusCode(415).contentType("application/problem+json")
                .body("detail", allOf(containsString("application/json"), containsString("text/plain")));
        given().auth().oauth2(token).contentType("text/plain").body("x").post("/api/epochs/simulate").then()
                .statusCode(415).contentType("application/problem+json")
                .body("detail", allOf(containsString("The body must be application/json"), containsString("text/plain")));
    }

    @Test
    void anApiBodyThatIsNotJsonIs415AndChangesNothing() {
        int before = apiKeys();
        given().auth().oauth2(token).contentType("text/plain").body("{\"name\": \"plain\"}").post("/api/me/api-keys").then()
                .statusCode(415).contentType("application/problem+json")
                .body("detail", allOf(containsString("application/json"), containsString("text/plain")));
        given().auth().oauth2(token).contentType(ContentType.URLENC).formParam("name", "form").post("/api/me/api-keys").then()
                .statusCode(415).contentType("application/problem+json");
        org.assertj.core.api.Assertions.assertThat(apiKeys()).isEqualTo(before);
    }

    @Test
    void anUnsupportedMethodIs405WithTheAllowedOnes() {
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").patch("/api/pools/1").then()
                .statusCode(405).contentType("application/problem+json")
                .body("detail", containsString("PATCH is not supported at /api/pools/1"));
    }

    @Test
    void anUnacceptableAcceptIs406() {
        given().accept("application/xml").get("/api/pools").then()
                .statusCode(406).contentType("application/problem+json")
                .body("detail", allOf(containsString("application/json"), containsString("application/xml")));
    }

    @Test
    void anUnknownAddressIs404ThatPointsAtTheApiDescription() {
        given().get("/api/nope").then().statusCode(404).contentType("application/problem+json")
                .body("detail", allOf(containsString("There is nothing at GET /api/nope"), containsString("/q/openapi")));
    }

    @Test
    void aJsonCallWithoutBodyOrContentTypeReachesItsRightsCheck() throws Exception {
        // as curl -X POST sends it: no Content-Type, no body; not a body of the wrong type (415), not a form (CSRF)
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port
                                + "/api/pools/999999/members/999999/approve"))
                        .header("Authorization", "Bearer " + token)
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).isIn(403, 404);
        org.assertj.core.api.Assertions.assertThat(response.body()).doesNotContain("This form could not be accepted");
    }

    @Test
    void aFormPostThatNeedsARoleGetsAReadablePageNotA500() {
        given().cookie("bc_session", token).accept("text/html").contentType(ContentType.URLENC).formParam("name", "x")
                .redirects().follow(false)
                .post("/gpu/models/h100-sxm").then()
                .statusCode(403).contentType(containsString("text/html"))
                .body(containsString("403"));
    }

    @Test
    void aValueTheDatabaseCannotStoreIsA400NotA500() {
        // a form post is not JSON: a NUL in a field reaches the database, which refuses it
        platform.ApiWorld.Party party = new platform.ApiWorld.Party(null, token, null);
        platform.ApiWorld.Csrf csrf = platform.ApiWorld.csrf(party);
        int before = apiKeys();
        given().cookie("bc_session", token).cookie("bc_csrf", csrf.cookie()).accept("text/html")
                .contentType(ContentType.URLENC).formParam("csrf-token", csrf.token()).formParam("name", "a\u0000b")
                .redirects().follow(false)
                .post("/account/api-keys").then()
                .statusCode(org.hamcrest.Matchers.lessThan(500))
                .body(not(containsString("Something went wrong")));
        org.assertj.core.api.Assertions.assertThat(apiKeys()).isEqualTo(before);
    }

    @Test
    void validationErrorsStillListEveryField() {
        post("/api/me/api-keys", "{\"name\": \"\"}").statusCode(400)
                .body("errors.field", hasItem("name"));
    }
}
