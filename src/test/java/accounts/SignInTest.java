package accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;
import platform.PlatformConfig;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SignInTest {

    private final TestWallet wallet = TestWallet.random();

    @Inject
    PlatformConfig platform;

    /** The domain every message must name: the authority of bc.public-url (the test profile sets no bc.siwe.domain). */
    private String configuredDomain() {
        return URI.create(platform.publicUrl()).getRawAuthority();
    }

    private ValidatableResponse post(String message, String signature) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("message", message, "signature", signature))
                .post("/api/auth/siwe").then();
    }

    @Test
    void validSignatureSignsInAndTheTokenIdentifiesTheWallet() {
        String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5));
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
        String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5));
        String cookie = post(message, wallet.sign(message)).statusCode(200).extract().cookie("bc_session");

        given().cookie("bc_session", cookie).get("/api/me").then()
                .statusCode(200).body("address", equalTo(wallet.address().toLowerCase()));
    }

    @Test
    void aNonceWorksOnlyOnce() {
        TestWallet.Terms terms = TestWallet.terms();
        String message = wallet.message(terms, Instant.now(), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(200);

        String again = wallet.message(terms.domain(), terms.uri(), terms.nonce(), Instant.now().plusSeconds(1), Duration.ofMinutes(5));
        post(again, wallet.sign(again)).statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("nonce"));
    }

    @Test
    void aNonceThatWasNeverIssuedIsRefused() {
        TestWallet.Terms terms = TestWallet.terms();
        String message = wallet.message(terms.domain(), terms.uri(), "abcdef0123456789", Instant.now(), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("nonce"));
    }

    @Test
    void aMessageForAnotherDomainIsRefused() {
        String message = wallet.message("evil.example:443", "https://evil.example:443", TestWallet.nonce(), Instant.now(), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("evil.example"));
    }

    @Test
    void aMessageSignedForAPhishingSiteIsRefusedEvenWhenReplayedWithThatSiteAsHost() {
        TestWallet.Terms terms = TestWallet.terms();
        String phished = wallet.message("evil.example", "https://evil.example/login", terms.nonce(), Instant.now(), Duration.ofMinutes(5));
        given().header("Host", "evil.example").contentType(ContentType.JSON)
                .body(Map.of("message", phished, "signature", wallet.sign(phished)))
                .post("/api/auth/siwe").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("the message is for evil.example, but this is " + configuredDomain()));

        String genuine = wallet.message(terms, Instant.now(), Duration.ofMinutes(5));
        post(genuine, wallet.sign(genuine)).statusCode(200); // the refused attempt did not use up the nonce
    }

    @Test
    void theServerNamesItsConfiguredDomainWhateverHostTheRequestCarries() {
        given().header("Host", "evil.example").get("/api/auth/nonce").then()
                .statusCode(200)
                .body("domain", equalTo(configuredDomain()))
                .body("chainId", equalTo(31337));

        String message = given().header("Host", "evil.example").contentType(ContentType.JSON)
                .body(Map.of("address", wallet.address().toLowerCase()))
                .post("/api/auth/message").then().statusCode(200).extract().path("message");
        assertThat(message)
                .startsWith("http://" + configuredDomain() + " wants you to sign in with your Ethereum account:\n" + wallet.address() + "\n")
                .contains("\nURI: http://" + configuredDomain() + "\n")
                .doesNotContain("evil.example");

        String page = given().header("Host", "evil.example").accept("text/html").get("/signin").then()
                .statusCode(200).extract().asString();
        assertThat(page).contains("data-domain=\"" + configuredDomain() + "\"").doesNotContain("evil.example");
    }

    @Test
    void aMessageForAnotherSchemeIsRefused() {
        TestWallet.Terms terms = TestWallet.terms();
        String message = "https://" + wallet.message(terms, Instant.now(), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("over http"));
    }

    @Test
    void oversizedFieldsAreRefusedBeforeAnyWorkWithTheFieldNamed() {
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "x".repeat(SiweMessage.MAX_LENGTH + 1), "signature", "0x" + "ab".repeat(65)))
                .post("/api/auth/siwe").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("message"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hello", "signature", "0x" + "ab".repeat(10_000)))
                .post("/api/auth/siwe").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("signature"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hello", "signature", "0xnot-hex"))
                .post("/api/auth/siwe").then()
                .statusCode(400)
                .body("errors.find { it.field == 'signature' }.message", containsString("130 hex digits"));
        given().contentType(ContentType.JSON)
                .body(Map.of("address", "0x" + "a".repeat(10_000)))
                .post("/api/auth/message").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("address"));
    }

    @Test
    void anExpiredMessageIsRefused() {
        String message = wallet.message(TestWallet.terms(), Instant.now().minusSeconds(600), Duration.ofMinutes(5));
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("expired"));
    }

    @Test
    void aMessageForAnotherChainIsRefused() {
        String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5))
                .replace("Chain ID: 31337", "Chain ID: 1");
        post(message, wallet.sign(message)).statusCode(401).body("detail", containsString("chain 1"));
    }

    @Test
    void aTamperedSignatureIsRefused() {
        String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5));
        String signature = wallet.sign(message);
        char last = signature.charAt(10);
        String tampered = signature.substring(0, 10) + (last == 'a' ? 'b' : 'a') + signature.substring(11);
        post(message, tampered).statusCode(401).body("detail", containsString("Sign-in refused"));
    }

    @Test
    void aSignatureByAnotherWalletIsRefused() {
        String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5));
        post(message, TestWallet.random().sign(message)).statusCode(401).body("detail", containsString("signature was made by"));
    }

    @Test
    void aRefusedSignInLeavesTheNonceUsable() {
        String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5));
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
