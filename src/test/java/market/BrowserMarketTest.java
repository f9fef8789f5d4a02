package market;

import static io.restassured.RestAssured.given;
import static market.MarketWorld.customer;
import static market.MarketWorld.hourFromNow;
import static market.MarketWorld.order;
import static market.MarketWorld.pool;
import static market.MarketWorld.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import accounts.TestChromium;
import accounts.TestWallet;
import chain.Chain;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import credits.BrowserBurnTest;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/**
 * The market's pages in headless Chromium, each wallet an injected EIP-1193 wallet whose key the
 * test holds and which signs real transactions on the app's embedded anvil: a customer with DCs
 * reserves 2 GPUs for a day on /market, splits the slot by count and lists one piece on
 * /market/slots; another wallet buys it on /market/listings; both see their slots; that wallet's
 * spot rental is preempted by a reservation, with the notice on /market/rentals first.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class BrowserMarketTest {

    private static final Duration SYNC = Duration.ofSeconds(60);
    private static final BigInteger TEN_BCT = BigInteger.TEN.pow(19);
    private static TestChromium chromium;

    @TestHTTPResource("/")
    URL root;

    @Inject
    Chain chain;

    @Inject
    MarketJobs jobs;

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

    private Page signedIn(com.microsoft.playwright.BrowserContext context, TestWallet wallet, String path) {
        Page page = context.newPage();
        BrowserBurnTest.injectChainWallet(page, wallet, chain.info().embeddedRpc().orElseThrow());
        page.navigate(root + "signin?next=" + path);
        page.click("#signin-button");
        page.waitForURL(url -> url.equals(root + path.substring(1)));
        return page;
    }

    /** Gas and 100 test BCT from the faucet, on chain. */
    private void faucet(MarketWorld.Customer customer) throws InterruptedException {
        given().auth().oauth2(customer.token()).contentType(io.restassured.http.ContentType.JSON).post("/api/credits/faucet").then().statusCode(202);
        long deadline = System.nanoTime() + SYNC.toNanos();
        while (chain.etherBalance(customer.address()).orElse(BigInteger.ZERO).signum() == 0
                || chain.tokenBalance(customer.address()).orElse(BigInteger.ZERO).compareTo(TEN_BCT) < 0) {
            assertThat(System.nanoTime()).as("the faucet's ether and tokens on chain").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Reloads the page until {@code selector} is on it (event sync has mirrored what it shows). */
    static void reloadUntil(Page page, String selector) throws InterruptedException {
        long deadline = System.nanoTime() + SYNC.toNanos();
        while (page.querySelector(selector) == null) {
            assertThat(System.nanoTime()).as("%s on %s", selector, page.url()).isLessThan(deadline);
            Thread.sleep(300);
            page.reload();
        }
    }

    static void waitGone(Page page, String selector, String status) {
        try {
            page.waitForSelector(selector, new Page.WaitForSelectorOptions().setState(WaitForSelectorState.DETACHED)
                    .setTimeout(SYNC.toMillis()));
        } catch (RuntimeException e) {
            throw new AssertionError(selector + " still there; the page says: " + page.textContent(status), e);
        }
    }

    static List<String> slotIds(Page page) {
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) page.evalOnSelectorAll("tr.slot", "rows => rows.map(r => r.dataset.slot)");
        return ids;
    }

    @Test
    void aCustomerReservesSplitsAndListsAPieceAnotherWalletBuysItAndASpotRentalIsPreempted() throws Exception {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Pool spotPool = pool(1);
        MarketWorld.Customer seller = customer(50_000_000);
        MarketWorld.Customer buyer = customer(10_000_000);
        faucet(seller);
        faucet(buyer);
        try (var sellerContext = chromium.newContext(); var buyerContext = chromium.newContext()) {
            // the customer reserves 2 GPUs for a day from the next hour: quote, then buy
            Page a = signedIn(sellerContext, seller.wallet(), "/market");
            assertThat(a.textContent("#offer-" + pool.id())).contains("2 of 2");
            a.click("#offer-" + pool.id() + " .order-this");
            assertThat(a.inputValue("#order-pool")).isEqualTo(String.valueOf(pool.id()));
            a.selectOption("#order-kind", "RESERVED");
            a.fill("#order-gpus", "2");
            a.fill("#order-start", hourFromNow(1).toString());
            a.fill("#order-hours", "24");
            a.click("#quote-button");
            a.waitForFunction("document.getElementById('quote').dataset.priceDc !== undefined");
            assertThat(a.textContent("#quote")).contains("9600000 DC in full", "2 GPUs free"); // on-demand rate 200,000 × 24 h × 2
            assertThat(a.querySelectorAll("#offer-" + pool.id() + " svg.availability rect")).hasSize(24);
            a.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-market.png")).setFullPage(true));
            a.click("#buy-button");
            a.waitForURL("**/market/rentals#rental-*");
            String orderId = a.url().substring(a.url().indexOf("#rental-") + "#rental-".length());
            assertThat(a.getAttribute("#rental-" + orderId, "data-status")).isEqualTo("SCHEDULED");
            assertThat(TestCredits.escrowed(seller.address())).isEqualTo(9_600_000);

            // its slot (token id = order id) arrives on chain; split it by count and list one piece
            a.navigate(root + "market/slots");
            reloadUntil(a, "#slot-" + orderId);
            assertThat(a.getAttribute("#slot-" + orderId, "data-gpus")).isEqualTo("2");
            a.fill("#slot-" + orderId + " .split-count-form input[name=gpus]", "1");
            a.click("#slot-" + orderId + " .split-count-form button");
            waitGone(a, "#slot-" + orderId, "#slots-status");
            a.waitForSelector("tr.slot");
            List<String> pieces = slotIds(a);
            assertThat(pieces).hasSize(2);
            String sold = pieces.get(0);
            String kept = pieces.get(1);
            assertThat(a.getAttribute("#slot-" + sold, "data-gpus")).isEqualTo("1");
            a.fill("#slot-" + sold + " .list-form input[name=price]", "10");
            a.click("#slot-" + sold + " .list-form button");
            a.waitForSelector("#slot-" + sold + "[data-listed='" + TEN_BCT + "']", new Page.WaitForSelectorOptions().setTimeout(SYNC.toMillis()));
            assertThat(a.textContent("#slot-" + sold + " .listing")).contains("10 BCT");

            // another wallet buys the piece: approve the tokens, then buy
            Page b = signedIn(buyerContext, buyer.wallet(), "/market/listings");
            reloadUntil(b, "#listing-" + sold);
            assertThat(b.textContent("#listing-" + sold)).contains("10 BCT");
            b.click("#listing-" + sold + " .buy-button");
            waitGone(b, "#listing-" + sold, "#listings-status");
            assertThat(b.textContent("#sales")).contains("10 BCT");
            assertThat(b.querySelectorAll("svg.sale-prices circle")).isNotEmpty();
            assertThat(chain.tokenBalance(seller.address()).orElseThrow()).isEqualTo(BigInteger.valueOf(110).multiply(BigInteger.TEN.pow(18)));

            // both see their slots
            b.navigate(root + "market/slots");
            assertThat(slotIds(b)).containsExactly(sold);
            a.reload();
            assertThat(slotIds(a)).containsExactly(kept);

            // the buyer rents the spot pool's GPU on spot; a reservation over it gives notice, then preempts it
            b.navigate(root + "market?kind=SPOT");
            b.selectOption("#order-pool", String.valueOf(spotPool.id()));
            b.fill("#order-gpus", "1");
            b.click("#buy-button");
            b.waitForURL("**/market/rentals#rental-*");
            String spotId = b.url().substring(b.url().indexOf("#rental-") + "#rental-".length());
            assertThat(b.getAttribute("#rental-" + spotId, "data-kind")).isEqualTo("SPOT");
            assertThat(b.getAttribute("#rental-" + spotId, "data-status")).isEqualTo("STARTING");
            assertThat(b.querySelector("#rental-" + spotId + " .stop-button")).isNotNull();

            order(seller, reservation(spotPool.id(), 1, hourFromNow(0), hourFromNow(1))).then().statusCode(201);
            b.reload();
            assertThat(b.getAttribute("#rental-" + spotId, "data-status")).isEqualTo("PREEMPTING");
            assertThat(b.textContent("#rental-" + spotId + " .preemption")).contains("Preemption notice", "stops at");
            Instant stopsAt = Instant.parse(given().auth().oauth2(buyer.token()).get("/api/market/orders/" + spotId).then().statusCode(200)
                    .extract().path("notice.stopsAt"));
            jobs.run(stopsAt);
            b.reload();
            assertThat(b.getAttribute("#rental-" + spotId, "data-status")).isEqualTo("PREEMPTED");
            assertThat(b.textContent("#rental-" + spotId + " .preemption")).contains("Preempted at");
            assertThat(b.querySelector("#rental-" + spotId + " .stop-button")).isNull();
            b.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-market-rentals.png")).setFullPage(true));
            a.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-market-slots.png")).setFullPage(true));
        }
    }

    @Test
    void aHolderSplitsBySomeHourLendsListsCancelsAndMergesBack() throws Exception {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer holder = customer(10_000_000);
        faucet(holder);
        String id = order(holder, reservation(pool.id(), 1, hourFromNow(2), hourFromNow(4))).then().statusCode(201).extract().path("id");
        try (var context = chromium.newContext()) {
            Page page = signedIn(context, holder.wallet(), "/market/slots");
            reloadUntil(page, "#slot-" + id);
            assertThat(page.querySelector("#merge-form")).isNull(); // one slot: nothing to merge
            page.fill("#slot-" + id + " .split-time-form input[name=at]", hourFromNow(3).toString());
            page.click("#slot-" + id + " .split-time-form button");
            waitGone(page, "#slot-" + id, "#slots-status");
            page.waitForSelector("tr.slot");
            List<String> pieces = slotIds(page);
            assertThat(pieces).hasSize(2);
            String early = pieces.get(0);
            assertThat(page.getAttribute("#slot-" + early, "data-end")).isEqualTo(hourFromNow(3).toString());

            String friend = TestWallet.random().address().toLowerCase(java.util.Locale.ROOT);
            page.fill("#slot-" + early + " .user-form input[name=user]", friend);
            page.click("#slot-" + early + " .user-form button");
            page.waitForSelector("#slot-" + early + "[data-user='" + friend + "']", new Page.WaitForSelectorOptions().setTimeout(SYNC.toMillis()));

            page.fill("#slot-" + early + " .list-form input[name=price]", "2.5");
            page.click("#slot-" + early + " .list-form button");
            page.waitForSelector("#slot-" + early + "[data-listed='2500000000000000000']", new Page.WaitForSelectorOptions().setTimeout(SYNC.toMillis()));
            page.click("#slot-" + early + " .cancel-button");
            page.waitForSelector("#slot-" + early + "[data-listed='']", new Page.WaitForSelectorOptions().setTimeout(SYNC.toMillis()));

            page.click("#merge-form button"); // the two pieces are preselected
            waitGone(page, "#slot-" + early, "#slots-status");
            page.waitForSelector("tr.slot");
            List<String> merged = slotIds(page);
            assertThat(merged).hasSize(1).doesNotContainAnyElementsOf(pieces);
            assertThat(page.getAttribute("#slot-" + merged.get(0), "data-start")).isEqualTo(hourFromNow(2).toString());
            assertThat(page.getAttribute("#slot-" + merged.get(0), "data-end")).isEqualTo(hourFromNow(4).toString());
        }
    }

    @Test
    void aWalletBuysPartOfAListedReservationAndTheRestStaysListed() throws Exception {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer seller = customer(50_000_000);
        MarketWorld.Customer buyer = customer(0);
        faucet(seller);
        faucet(buyer);
        String id = order(seller, reservation(pool.id(), 2, hourFromNow(2), hourFromNow(4))).then().statusCode(201).extract().path("id");
        try (var sellerContext = chromium.newContext(); var buyerContext = chromium.newContext()) {
            Page a = signedIn(sellerContext, seller.wallet(), "/market/slots");
            reloadUntil(a, "#slot-" + id);
            a.fill("#slot-" + id + " .list-form input[name=price]", "10");
            a.click("#slot-" + id + " .list-form button");
            a.waitForSelector("#slot-" + id + "[data-listed='" + TEN_BCT + "']", new Page.WaitForSelectorOptions().setTimeout(SYNC.toMillis()));

            // the buyer takes 1 of the 2 GPUs for the first of the 2 hours: a quarter of the GPU-hours, a quarter of the price
            Page b = signedIn(buyerContext, buyer.wallet(), "/market/listings");
            reloadUntil(b, "#listing-" + id);
            b.click("#listing-" + id + " .buy-part summary");
            String form = "#listing-" + id + " .buy-part-form";
            assertThat(b.inputValue(form + " input[name=from]")).isEqualTo(hourFromNow(2).toString());
            assertThat(b.textContent(form + " .part-cost")).isEqualTo("costs 10 BCT");
            b.fill(form + " input[name=to]", hourFromNow(5).toString());
            assertThat(b.textContent(form + " .part-cost")).isEqualTo("The part must lie inside the listed window.");
            b.fill(form + " input[name=to]", hourFromNow(3).toString());
            b.fill(form + " input[name=gpus]", "1");
            assertThat(b.textContent(form + " .part-cost")).isEqualTo("costs 2.5 BCT");
            b.click(form + " button");
            waitGone(b, "#listing-" + id, "#listings-status");
            assertThat(chain.tokenBalance(seller.address()).orElseThrow()).isEqualTo(new BigInteger("102500000000000000000"));

            // the buyer holds the part; the rest is listed at the rest of the price, in proportion to GPU-hours
            b.navigate(root + "market/slots");
            reloadUntil(b, "tr.slot");
            String bought = slotIds(b).get(0);
            assertThat(slotIds(b)).containsExactly(bought);
            assertThat(b.getAttribute("#slot-" + bought, "data-gpus")).isEqualTo("1");
            assertThat(b.getAttribute("#slot-" + bought, "data-start")).isEqualTo(hourFromNow(2).toString());
            assertThat(b.getAttribute("#slot-" + bought, "data-end")).isEqualTo(hourFromNow(3).toString());
            a.reload();
            List<String> rest = slotIds(a);
            assertThat(rest).hasSize(2).doesNotContain(id, bought);
            @SuppressWarnings("unchecked")
            List<String> listed = (List<String>) a.evalOnSelectorAll("tr.slot", "rows => rows.map(r => r.dataset.listed).sort()");
            assertThat(listed).containsExactly("2500000000000000000", "5000000000000000000");
        }
    }

    @Test
    void aSpotRentalIsStoppedFromItsPage() {
        MarketWorld.Pool pool = pool(1);
        MarketWorld.Customer renter = customer(10_000_000);
        String id = order(renter, MarketWorld.payAsYouGo(pool.id(), "SPOT", 1)).then().statusCode(201).extract().path("id");
        try (var context = chromium.newContext()) {
            Page page = signedIn(context, renter.wallet(), "/market/rentals");
            page.onDialog(dialog -> dialog.accept());
            page.click("#rental-" + id + " .stop-button");
            page.waitForSelector("#rental-" + id + "[data-status='STOPPED']");
            assertThat(page.querySelector("#rental-" + id + " .stop-button")).isNull();
        }
    }

    @Test
    void theMarketplaceFiltersAndOnlyThePoolsOperatorSeesItsAllocations() {
        MarketWorld.Pool pool = pool(2);
        MarketWorld.Customer renter = customer(50_000_000);
        order(renter, reservation(pool.id(), 1, hourFromNow(1), hourFromNow(3))).then().statusCode(201);
        // spot 120,000 DC per GPU-hour: under a cap of 120,000 the pool is listed, under 119,999 not
        given().accept("text/html").get("/market?kind=SPOT&maxPrice=120000").then().statusCode(200)
                .body(containsString("id=\"offer-" + pool.id() + "\""));
        given().accept("text/html").get("/market?kind=SPOT&maxPrice=119999").then().statusCode(200)
                .body(not(containsString("id=\"offer-" + pool.id() + "\"")));
        given().accept("text/html").get("/market?gpus=2&start=" + hourFromNow(1) + "&end=" + hourFromNow(2)).then().statusCode(200)
                .body(not(containsString("id=\"offer-" + pool.id() + "\"")));
        given().accept("text/html").get("/market?maxPrice=lots").then().statusCode(400);

        given().cookie("bc_session", pool.operator().token()).accept("text/html").get("/operator/pools/" + pool.id()).then()
                .statusCode(200).body(containsString("/market/pools/" + pool.id() + "/allocations"));
        given().cookie("bc_session", pool.operator().token()).accept("text/html").get("/market/pools/" + pool.id() + "/allocations")
                .then().statusCode(200).body(containsString("svg class=\"chart allocations\""))
                .body(containsString("RESERVED")).body(not(containsString(renter.address())));
        given().cookie("bc_session", renter.token()).accept("text/html").get("/market/pools/" + pool.id() + "/allocations")
                .then().statusCode(403);
        given().accept("text/html").redirects().follow(false).get("/market/slots").then().statusCode(303);
    }
}
