package accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A customer without a wallet, in headless Chromium with a virtual authenticator (the DevTools
 * protocol's WebAuthn domain): signs up with a passkey on /signin, gets an account whose address is
 * a managed wallet the platform holds encrypted, signs out, and signs in again with the same passkey;
 * the session works for the JSON API as a wallet's does.
 */
@QuarkusTest
class BrowserPasskeyTest {

    private static TestChromium chromium;

    @TestHTTPResource("/")
    URL root;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void launchChromium() {
        chromium = TestChromium.launch();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** A platform authenticator with resident keys and user verification that answers at once. */
    private static void virtualAuthenticator(Page page) {
        CDPSession cdp = page.context().newCDPSession(page);
        cdp.send("WebAuthn.enable", JsonParser.parseString("{\"enableUI\": false}").getAsJsonObject());
        JsonObject options = JsonParser.parseString("""
                {"options": {"protocol": "ctap2", "transport": "internal", "hasResidentKey": true, "hasUserVerification": true,
                 "isUserVerified": true, "automaticPresenceSimulation": true}}""").getAsJsonObject();
        cdp.send("WebAuthn.addVirtualAuthenticator", options);
    }

    @Test
    void aCustomerSignsUpWithAPasskeySignsOutAndSignsInAgainWithIt() throws Exception {
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            virtualAuthenticator(page);
            page.navigate(root + "signin?next=/account");
            page.fill("#passkey-name", "Ada");
            page.click("#passkey-signup-button");
            try {
                page.waitForURL("**/account");
            } catch (RuntimeException e) {
                throw new AssertionError("the page says: " + page.textContent("#passkey-status"), e);
            }
            String address = page.textContent("#address").trim().toLowerCase();
            assertThat(address).matches("0x[0-9a-f]{40}");
            assertThat(page.textContent("#roles")).contains("customer");
            assertThat(query("select kind from accounts_user where address = '" + address + "'")).isEqualTo("PASSKEY");
            assertThat(query("select count(*) from accounts_managed_key where address = '" + address + "'")).isEqualTo("1");
            assertThat(query("select count(*) from accounts_passkey where address = '" + address + "'")).isEqualTo("1");

            page.click("text=Sign out");
            page.waitForURL(root.toString());
            page.navigate(root + "signin?next=/account");
            page.click("#passkey-signin-button");
            page.waitForURL("**/account");
            assertThat(page.textContent("#address").trim().toLowerCase()).isEqualTo(address);
        }
    }

    @Test
    void aForgedOrMalformedAnswerIsRefusedAndMakesNoAccount() {
        String accounts = query("select count(*) from accounts_user");
        given().contentType(ContentType.JSON).body(Map.of("handle", "new-00000000-0000-0000-0000-000000000000",
                        "credential", Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key",
                                "response", Map.of("clientDataJSON", "e30", "attestationObject", "oA"))))
                .post("/api/passkeys/registration").then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("did not verify"));
        given().contentType(ContentType.JSON).body(Map.of("credential", Map.of("id", "AAAA", "type", "public-key")))
                .post("/api/passkeys/sign-in").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("handle", "not-a-handle", "credential", Map.of()))
                .post("/api/passkeys/registration").then().statusCode(400);
        assertThat(query("select count(*) from accounts_user")).isEqualTo(accounts);
        given().get("/api/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("displayName", "Ada")).post("/api/passkeys/registration/options").then()
                .statusCode(200).body("handle", org.hamcrest.Matchers.startsWith("new-"))
                .body("publicKey.rp.id", equalTo("localhost"));
    }

    private String query(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
