package credits;

import static org.assertj.core.api.Assertions.assertThat;

import accounts.BrowserSignInTest;
import accounts.TestChromium;
import accounts.TestWallet;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The credits page's card section in headless Chromium: the form sends the customer to Stripe's checkout (the stand-in). */
@QuarkusTest
class BrowserCardTest {

    private static TestChromium chromium;

    @TestHTTPResource("/")
    URL root;

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
    void aCustomerPaysByCardOnStripesCheckoutAndComesBackToTheCreditsPage() {
        TestWallet wallet = TestWallet.random();
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            BrowserSignInTest.injectWallet(page, wallet);
            page.navigate(root + "signin?next=/credits");
            page.click("#signin-button");
            page.waitForURL("**/credits");
            assertThat(page.textContent("#buy-by-card")).contains("1 US cent buys 1,000 DC");

            page.fill("#card-usd", "12.50");
            page.click("#card-checkout button");
            page.waitForSelector("#stand-in-checkout");
            assertThat(page.url()).contains(StripeStandIn.CHECKOUT_PAGE + "cs_test_");

            // Stripe sends the customer back to the success URL; the session is listed, open until the webhook says paid
            page.navigate(root + "credits?card=paid");
            assertThat(page.textContent("#card-paid")).contains("your payment went through");
            assertThat(page.textContent("#card-purchases")).contains("12.50", "1,250,000 DC", "open");

            page.fill("#card-usd", "0.50");
            page.click("#card-checkout button");
            page.waitForSelector("#error");
            assertThat(page.textContent("#error")).contains("usd: an amount from 1.00 to 10000.00 USD");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-card.png")).setFullPage(true));
        }
    }
}
