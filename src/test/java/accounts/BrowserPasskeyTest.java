package accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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
 * the session works for the JSON API as a wallet's does. Then the account's passkeys: a second one
 * added from a second authenticator, renamed, the first removed, the last refused; and the recovery
 * code, shown once at sign-up, which signs in once and not twice.
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

    @Test
    void aCustomerSignsUpWithAPasskeySignsOutAndSignsInAgainWithIt() throws Exception {
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            TestChromium.virtualAuthenticator(page);
            page.navigate(root + "signin?next=/account");
            page.fill("#passkey-name", "Ada");
            page.click("#passkey-signup-button");
            try {
                page.waitForSelector("#recovery-code-panel:not([hidden])");
            } catch (RuntimeException e) {
                throw new AssertionError("the page says: " + page.textContent("#passkey-status"), e);
            }
            assertThat(page.textContent("#recovery-code")).matches("([A-Z2-7]{4}-){6}[A-Z2-7]{2}");
            page.click("#recovery-code-saved");
            page.waitForURL("**/account");
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
    void aSecondPasskeyIsAddedRenamedAndSignsInTheLastIsKeptAndTheRecoveryCodeSignsInOnce() {
        try (var context = chromium.newContext()) {
            Page first = context.newPage(); // the phone, say: its authenticator holds the first passkey
            TestChromium.virtualAuthenticator(first);
            first.navigate(root + "signin?next=/account");
            first.click("#passkey-signup-button");
            first.waitForSelector("#recovery-code-panel:not([hidden])");
            String recoveryCode = first.textContent("#recovery-code").trim();
            first.click("#recovery-code-saved");
            first.waitForURL("**/account");
            String address = first.textContent("#address").trim().toLowerCase();
            assertThat(first.locator("#passkey-list tbody tr").count()).isEqualTo(1);
            assertThat(first.inputValue("#passkey-list .passkey-name")).isEqualTo("Passkey 1");
            assertThat(first.textContent("#recovery-state")).contains("has a recovery code");
            assertThat(query("select count(*) from accounts_recovery_code where address = '" + address + "'")).isEqualTo("1");

            first.click("#passkey-list .passkey-remove");
            first.waitForSelector("#passkeys-status.error");
            assertThat(first.textContent("#passkeys-status")).contains("last passkey");
            assertThat(passkeys(address)).isEqualTo("1");

            Page second = context.newPage(); // the laptop: same session, another authenticator
            TestChromium.virtualAuthenticator(second);
            second.navigate(root + "account");
            second.fill("#new-passkey-name", "Laptop");
            second.click("#add-passkey-button");
            second.waitForFunction("document.querySelectorAll('#passkey-list tbody tr').length === 2");
            assertThat(second.inputValue("#passkey-list tbody tr:nth-child(2) .passkey-name")).isEqualTo("Laptop");
            assertThat(passkeys(address)).isEqualTo("2");

            second.fill("#passkey-list tbody tr:nth-child(2) .passkey-name", "Work laptop");
            second.click("#passkey-list tbody tr:nth-child(2) .passkey-rename");
            second.waitForSelector("#passkeys-status:has-text('Renamed to Work laptop')");
            assertThat(query("select name from accounts_passkey where address = '" + address + "' order by created_at desc limit 1"))
                    .isEqualTo("Work laptop");

            second.fill("#email-input", "ada@example.com");
            second.click("#email-form button");
            second.waitForSelector("#email-status:has-text('ada@example.com')");
            assertThat(query("select email from accounts_user where address = '" + address + "'")).isEqualTo("ada@example.com");

            second.click("text=Sign out");
            second.waitForURL(root.toString());
            second.navigate(root + "signin?next=/account");
            second.click("#passkey-signin-button");
            second.waitForURL("**/account");
            assertThat(second.textContent("#address").trim().toLowerCase()).isEqualTo(address);
            assertThat(query("select last_used_at is not null from accounts_passkey where address = '" + address
                    + "' and name = 'Work laptop'")).isEqualTo("t");

            second.click("#passkey-list tbody tr:nth-child(1) .passkey-remove"); // the phone is lost
            second.waitForFunction("document.querySelectorAll('#passkey-list tbody tr').length === 1");
            assertThat(second.inputValue("#passkey-list .passkey-name")).isEqualTo("Work laptop");
            assertThat(passkeys(address)).isEqualTo("1");

            // the laptop is lost too: the recovery code opens the account, once
            second.click("text=Sign out");
            second.waitForURL(root.toString());
            second.navigate(root + "signin");
            second.click("#recovery summary");
            second.fill("#recovery-address", address);
            second.fill("#recovery-code-input", recoveryCode.toLowerCase());
            second.click("#recovery-button");
            try {
                second.waitForURL("**/account");
            } catch (RuntimeException e) {
                throw new AssertionError("the page says: " + second.textContent("#recovery-status"), e);
            }
            assertThat(second.textContent("#address").trim().toLowerCase()).isEqualTo(address);
            assertThat(second.textContent("#recovery-state")).contains("no recovery code");
            second.click("#new-recovery-code-button");
            second.waitForSelector("#new-recovery-code:not([hidden])");
            String renewed = second.textContent("#new-recovery-code-value").trim();
            assertThat(renewed).matches("([A-Z2-7]{4}-){6}[A-Z2-7]{2}").isNotEqualTo(recoveryCode);

            second.click("text=Sign out");
            second.waitForURL(root.toString());
            second.navigate(root + "signin");
            second.click("#recovery summary");
            second.fill("#recovery-address", address);
            second.fill("#recovery-code-input", recoveryCode);
            second.click("#recovery-button");
            second.waitForSelector("#recovery-status.error");
            assertThat(second.textContent("#recovery-status")).contains("was used already");
            assertThat(second.url()).contains("/signin");
            given().contentType(ContentType.JSON).body(Map.of("address", address, "code", renewed)).post("/api/passkeys/recovery")
                    .then().statusCode(200);
        }
    }

    private String passkeys(String address) {
        return query("select count(*) from accounts_passkey where address = '" + address + "'");
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
