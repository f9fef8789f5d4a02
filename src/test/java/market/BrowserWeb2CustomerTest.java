package market;

import static market.BrowserMarketTest.reloadUntil;
import static market.BrowserMarketTest.slotIds;
import static market.BrowserMarketTest.waitGone;
import static market.MarketWorld.hourFromNow;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.BrowserSignInTest;
import accounts.TestChromium;
import accounts.TestWallet;
import chain.Chain;
import chain.ContractName;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import credits.CardPaymentsTest;
import credits.StripeStandIn;
import credits.TestCredits;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import platform.EmbeddedPostgresResource;

/**
 * Issue 11's walk, in headless Chromium with virtual authenticators (the DevTools WebAuthn domain)
 * and no browser wallet: a customer signs up with a passkey, pays by card (the Stripe stand-in),
 * reserves two GPUs, splits the slot, and gives a piece to a second passkey account, which sets its
 * workload; every on-chain act is signed by the platform with the customers' managed wallets (gas
 * paid by it) and is on the embedded anvil. The customer then links a wallet of its own, waits out
 * the withdrawal delay, withdraws the rest to it, and signs in with that wallet too. The second
 * account asking the platform to sign for the first one's wallet is refused (403).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class BrowserWeb2CustomerTest {

    private static final Duration SYNC = Duration.ofSeconds(60);
    private static TestChromium chromium;

    @TestHTTPResource("/")
    URL root;

    @Inject
    Chain chain;

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

    /** Signs up with a passkey on /signin (a virtual authenticator of this context) and lands on {@code next}. */
    private Page signUp(BrowserContext context, String name, String next) {
        Page page = context.newPage();
        TestChromium.virtualAuthenticator(page);
        page.navigate(root + "signin?next=" + next);
        page.fill("#passkey-name", name);
        page.click("#passkey-signup-button");
        try {
            page.waitForSelector("#recovery-code-panel:not([hidden])");
            page.click("#recovery-code-saved");
            page.waitForURL(url -> url.equals(root + next.substring(1)));
        } catch (RuntimeException e) {
            throw new AssertionError("the page says: " + page.textContent("#passkey-status"), e);
        }
        return page;
    }

    private static String managedAddress(Page page) {
        return (String) page.evaluate("document.querySelector('meta[name=bc-managed-wallet]').content");
    }

    /** A JSON API call from the page, with its session: [status, body]. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(Page page, String method, String path, String json) {
        return (Map<String, Object>) page.evaluate("async ([method, path, body]) => { const r = await fetch(path, { method: method,"
                + " headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: body });"
                + " return { status: r.status, body: await r.text() }; }", java.util.Arrays.asList(method, path, json));
    }

    private static String word(String hex) {
        return "0".repeat(64 - hex.length()) + hex;
    }

    @Test
    void aPasskeyCustomerPaysByCardRentsSplitsGivesAPieceAwayLinksAWalletAndWithdrawsTheRest() throws Exception {
        MarketWorld.Pool pool = MarketWorld.pool(2);
        TestWallet own = TestWallet.random();
        try (BrowserContext adaContext = chromium.newContext(); BrowserContext bobContext = chromium.newContext();
             BrowserContext walletContext = chromium.newContext()) {
            // sign up with a passkey and pay 10 USD by card on Stripe's (stand-in) checkout
            Page ada = signUp(adaContext, "Ada", "/credits");
            String adaWallet = managedAddress(ada);
            assertThat(adaWallet).matches("0x[0-9a-f]{40}");
            assertThat(ada.textContent("#burn")).contains("The platform makes the burn for you"); // no wallet asked for
            ada.fill("#card-usd", "10.00");
            ada.click("#card-checkout button");
            ada.waitForSelector("#stand-in-checkout");
            String session = ada.url().substring(ada.url().indexOf(StripeStandIn.CHECKOUT_PAGE) + StripeStandIn.CHECKOUT_PAGE.length());
            CardPaymentsTest.paid(session, adaWallet, 1000);
            assertThat(TestCredits.balance(adaWallet)).isEqualTo(1_000_000);

            // reserve both GPUs for two hours from the next hour (2 × 2 h × 200,000 DC)
            ada.navigate(root + "market");
            ada.click("#offer-" + pool.id() + " .order-this");
            ada.selectOption("#order-kind", "RESERVED");
            ada.fill("#order-gpus", "2");
            ada.fill("#order-start", hourFromNow(1).toString());
            ada.fill("#order-hours", "2");
            ada.click("#buy-button");
            ada.waitForURL("**/market/rentals#rental-*");
            String orderId = ada.url().substring(ada.url().indexOf("#rental-") + "#rental-".length());
            assertThat(TestCredits.escrowed(adaWallet)).isEqualTo(800_000);

            // split the slot by count: no wallet asked, the platform signs with the managed wallet and pays the gas
            ada.navigate(root + "market/slots");
            assertThat(ada.isHidden("#wallet-missing")).isTrue();
            reloadUntil(ada, "#slot-" + orderId);
            ada.fill("#slot-" + orderId + " .split-count-form input[name=gpus]", "1");
            ada.click("#slot-" + orderId + " .split-count-form button");
            waitGone(ada, "#slot-" + orderId, "#slots-status");
            ada.waitForSelector("tr.slot");
            List<String> pieces = slotIds(ada);
            assertThat(pieces).hasSize(2);
            String given = pieces.get(0);
            String kept = pieces.get(1);
            assertThat(chain.etherBalance(adaWallet).orElseThrow()).as("the gas top-up").isPositive();

            // a second passkey account gets one piece and sets its workload
            Page bob = signUp(bobContext, "Bob", "/market/slots");
            String bobWallet = managedAddress(bob);
            ada.fill("#slot-" + given + " .transfer-form input[name=to]", bobWallet);
            ada.click("#slot-" + given + " .transfer-form button");
            waitGone(ada, "#slot-" + given, "#slots-status");
            assertThat(chain.timeSlot(new BigInteger(given)).orElseThrow().holder()).isEqualTo(bobWallet);
            reloadUntil(bob, "#slot-" + given);
            Map<String, Object> workload = fetch(bob, "PUT", "/api/market/slots/" + given + "/workload",
                    "{\"workload\": {\"image\": \"docker.io/library/ubuntu:24.04\", \"sshPublicKey\": \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA bob@x\"}}");
            assertThat(workload.get("status")).as("%s", workload.get("body")).isEqualTo(200);
            assertThat((String) workload.get("body")).contains("docker.io/library/ubuntu:24.04");

            // Bob may not have the platform sign for Ada's wallet: neither her slot, nor with her wallet named
            String slots = chain.contractAddress(ContractName.TimeSlotNFT).orElseThrow();
            String takeKept = "0x" + Hash.sha3String("transferFrom(address,address,uint256)").substring(2, 10) + word(adaWallet.substring(2))
                    + word(bobWallet.substring(2)) + word(new BigInteger(kept).toString(16));
            Map<String, Object> steal = fetch(bob, "POST", "/api/wallet/acts", "{\"to\": \"" + slots + "\", \"data\": \"" + takeKept + "\"}");
            assertThat(steal.get("status")).isEqualTo(403);
            assertThat((String) steal.get("body")).contains("only for your own managed wallet");
            Map<String, Object> asAda = fetch(bob, "POST", "/api/wallet/acts",
                    "{\"from\": \"" + adaWallet + "\", \"to\": \"" + slots + "\", \"data\": \"" + takeKept + "\"}");
            assertThat(asAda.get("status")).isEqualTo(403);
            // nor send a slot to an address outside custody that is not its linked wallet
            String away = "0x" + Hash.sha3String("transferFrom(address,address,uint256)").substring(2, 10) + word(bobWallet.substring(2))
                    + word(TestWallet.random().address().substring(2).toLowerCase(Locale.ROOT)) + word(new BigInteger(given).toString(16));
            assertThat(fetch(bob, "POST", "/api/wallet/acts", "{\"to\": \"" + slots + "\", \"data\": \"" + away + "\"}").get("status"))
                    .isEqualTo(403);

            // Ada links a wallet of her own; a withdrawal waits out the delay, then takes the rest to it
            Page account = adaContext.newPage();
            BrowserSignInTest.injectWallet(account, own);
            account.navigate(root + "account");
            account.click("#link-wallet-button");
            account.waitForSelector("#custody[data-linked='" + own.address().toLowerCase(Locale.ROOT) + "']");
            account.click("#withdraw-button");
            account.waitForSelector("#custody-status.error");
            assertThat(account.textContent("#custody-status")).contains("withdrawals to it start at");
            Instant from = Instant.parse(account.textContent("#withdrawals-from").trim());
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), from).toMillis() + 200));
            account.click("#withdraw-button");
            account.waitForSelector("#custody-status[data-withdrawn='1']", new Page.WaitForSelectorOptions().setTimeout(SYNC.toMillis()));
            assertThat(chain.timeSlot(new BigInteger(kept)).orElseThrow().holder()).isEqualTo(own.address().toLowerCase(Locale.ROOT));
            account.reload();
            account.waitForSelector("#acts tr.act");
            @SuppressWarnings("unchecked")
            List<String> log = (List<String>) account.evalOnSelectorAll("#acts tr.act", "rows => rows.map(r => r.dataset.act + ' ' + r.dataset.status)");
            assertThat(log).containsExactly("WITHDRAWAL CONFIRMED", "TRANSFER CONFIRMED", "SPLIT CONFIRMED");
            account.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-web2-account.png")).setFullPage(true));

            // the linked wallet signs in to Ada's account
            Page viaWallet = walletContext.newPage();
            BrowserSignInTest.injectWallet(viaWallet, own);
            viaWallet.navigate(root + "signin?next=/account");
            viaWallet.click("#signin-button");
            viaWallet.waitForURL(url -> url.equals(root + "account"));
            assertThat(viaWallet.textContent("#address").trim().toLowerCase(Locale.ROOT)).isEqualTo(adaWallet);
        }
    }
}
