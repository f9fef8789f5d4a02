package accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SignInTest {

    private final TestWallet wallet = TestWallet.random();

    private String host() {
        return "localhost:" + RestAssured.port;
    }

    private ValidatableResponse post(String message, String signature) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("message", message, "signature", signature))
                .post("/api/auth/siwe").then();
    }

    @Test
    void validSignatureSignsInAndTheTokenIdentifiesTheWallet() {
        String message = wallet.message(host(), TestWallet.nonce(), Instant.now(), Duration.ofMinutes(5));
        String token = post(message, wallet.sign(message))
                .statusCode(200)
                .cookie("bc_session", notNullValue())
                .body("address", equalTo(wallet.address().toLowerCase()))
                .extract().path("token");

        given().auth().oauth2(token).get("/api/me").then()
                .statusCode(200)
                .body("address", equalTo(wallet.address().toLowerCase()))
                .body("roles", hasItem("customer"))
                .body("roles", not(hasItem("admin")));
    }

    @Test
    void theSessionCookieAlsoSignsIn() {
        String message = wallet.message(host(), TestWallet.nonce(), Instant.now(), Duration.ofMinutes(5));
        String cookie = post(message, wallet.sign(message)).statusCode(200).extract().cookie("bc_session");

        given().cookie("bc_session", cookie).get("/api/me").then()
                .statusCode(200).body("address", equalTo(wallet.address().toLowerCase()));
    }

    @Test
    void aNonceWorksOnlyOnce() {
        String nonce = TestWallet.nonce();
        String message = wallet.message(host(), nonce, Instant.now(), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(200);

        String again = wallet.message(host(), nonce, Instant.now().plusSeconds(1), Duration.ofMinutes(5));
        post(again, wallet.sign(again)).statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("nonce"));
    }

    @Test
    void aNonceThatWasNeverIssuedIsRefused() {
        String message = wallet.message(host(), "abcdef0123456789", Instant.now(), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("nonce"));
    }

    @Test
    void aMessageForAnotherDomainIsRefused() {
        String message = wallet.message("evil.example:443", TestWallet.nonce(), Instant.now(), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("evil.example"));
    }

    @Test
    void anExpiredMessageIsRefused() {
        String message = wallet.message(host(), TestWallet.nonce(), Instant.now().minusSeconds(600), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("expired"));
    }

    @Test
    void aMessageForAnotherChainIsRefused() {
        String message = wallet.message(host(), TestWallet.nonce(), Instant.now(), Duration.ofMinutes(5))
                .replace("Chain ID: 31337", "Chain ID: 1");
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("chain 1"));
    }

    @Test
    void aTamperedSignatureIsRefused() {
        String message = wallet.message(host(), TestWallet.nonce(), Instant.now(), Duration.ofMinutes(5));
        String signature = wallet.sign(message);
        char last = signature.charAt(10);
        String tampered = signature.substring(0, 10) + (last == 'a' ? 'b' : 'a') + signature.substring(11);
        post(message, tampered).statusCode(401).body("detail", containsString("Sign-in refused"));
    }

    @Test
    void aSignatureByAnotherWalletIsRefused() {
        String message = wallet.message(host(), TestWallet.nonce(), Instant.now(), Duration.ofMinutes(5));
        post(message, TestWallet.random().sign(message)).statusCode(401).body("detail", containsString("signature was made by"));
    }

    @Test
    void aRefusedSignInLeavesTheNonceUsable() {
        String nonce = TestWallet.nonce();
        String message = wallet.message(host(), nonce, Instant.now(), Duration.ofMinutes(5));
        post(message, TestWallet.random().sign(message)).statusCode(401);
        post(message, wallet.sign(message)).statusCode(200);
    }

    @Test
    void aMalformedMessageIsABadRequestThatSaysWhy() {
        post("hello", wallet.sign("hello")).statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("EIP-4361"));
    }

    @Test
    void aMissingFieldIsNamed() {
        given().contentType(ContentType.JSON).body(Map.of("message", "x"))
                .post("/api/auth/siwe").then()
                .statusCode(400)
                .body("errors.field", hasItem("signature"));
    }

    @Test
    void theServerCanPrepareTheMessageForAWallet() {
        String message = given().contentType(ContentType.JSON).body(Map.of("address", wallet.address()))
                .post("/api/auth/message").then().statusCode(200).extract().path("message");
        post(message, wallet.sign(message)).statusCode(200);
    }

    @Test
    void protectedEndpointsNeedAToken() {
        given().get("/api/me").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        given().auth().oauth2("bcs_not-a-real-token").get("/api/me").then().statusCode(401);
    }

    @Test
    void signingOutEndsTheSession() {
        String token = wallet.signIn();
        given().auth().oauth2(token).contentType(ContentType.JSON).post("/api/auth/signout").then().statusCode(204);
        given().auth().oauth2(token).get("/api/me").then().statusCode(401);
    }

    @Test
    void onlyAdminsSeeTheAccountList() {
        given().auth().oauth2(wallet.signIn()).get("/api/admin/accounts").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(TestWallet.ADMIN.signIn()).get("/api/admin/accounts").then().statusCode(200)
                .body("address", hasItem(TestWallet.ADMIN.address().toLowerCase()))
                .body("find { it.address == '" + TestWallet.ADMIN.address().toLowerCase() + "' }.roles", hasItem("admin"));
    }
}
