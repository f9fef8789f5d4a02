package credits;

import static org.assertj.core.api.Assertions.assertThat;

import accounts.BrowserSignInTest;
import accounts.TestChromium;
import accounts.TestWallet;
import accounts.WalletAddress;
import com.microsoft.playwright.Page;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A customer's credits page in headless Chromium: signed in with a wallet, reached from the navigation. */
@QuarkusTest
class BrowserCreditsTest {

    private static TestChromium chromium;

    @TestHTTPResource("/")
    URL root;

    @Inject
    Ledger ledger;

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
    void aCustomerSeesTheirBalanceEscrowAndHistory() {
        TestWallet wallet = TestWallet.random();
        WalletAddress address = new WalletAddress(wallet.address());
        Instant start = Instant.parse("2026-12-01T12:00:00Z");
        QuarkusTransaction.requiringNew().run(() -> {
            ledger.mint("browser:" + address + ":mint", MintSource.CARD, address, DataCredits.of(2_500_000), "card payment", "cs_test_1");
            ledger.escrow("browser:" + address + ":escrow", address, "browser-" + address, DataCredits.of(400_000),
                    new EscrowTerms(900_004, List.of(900_040L), start, start.plusSeconds(7_200)), "reservation of 2 h");
        });
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            BrowserSignInTest.injectWallet(page, wallet);
            page.navigate(root + "signin?next=/");
            page.click("#signin-button");
            page.waitForURL(root.toString());
            page.click("nav a[href='/credits']");
            page.waitForURL("**/credits");

            assertThat(page.textContent("#balance-dc")).contains("2,100,000 DC").contains("21.00 USD");
            assertThat(page.textContent("#escrow-dc")).contains("400,000 DC");
            List<String> rows = page.locator("#history tbody tr").allTextContents();
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).contains("escrow").contains("−400,000").contains("+400,000").contains("reservation of 2 h");
            assertThat(rows.get(1)).contains("mint").contains("+2,500,000").contains("card payment");
        }
    }
}
