package credits;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import accounts.TestWallet;
import accounts.WalletAddress;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Card payments end to end over HTTP: stripe-java creates checkout sessions at the Stripe stand-in
 * (WireMock), and webhooks signed with Stripe's documented scheme credit, take back and record
 * debts in the real database.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
public class CardPaymentsTest {

    static final String WEBHOOK = "/api/credits/stripe/webhook";

    @StripeStandIn.Server
    WireMockServer stripe;

    @Inject
    Credits credits;

    @Inject
    Ledger ledger;

    /** A signed-in customer. */
    record Customer(TestWallet wallet, String token) {
        static Customer signIn() {
            TestWallet wallet = TestWallet.random();
            return new Customer(wallet, wallet.signIn());
        }

        WalletAddress address() {
            return WalletAddress.of(wallet.address());
        }
    }

    @Test
    void checkoutCreatesAStripeSessionForTheCallersWallet() {
        Customer customer = Customer.signIn();
        String sessionId = given().auth().oauth2(customer.token()).contentType(ContentType.JSON).body(Map.of("usd", "25.00"))
                .post("/api/credits/checkout").then().statusCode(200)
                .body("sessionId", startsWith("cs_test_"))
                .body("url", containsString(StripeStandIn.CHECKOUT_PAGE))
                .body("usd", equalTo("25.00"))
                .body("dc", equalTo(2_500_000))
                .extract().path("sessionId");

        LoggedRequest sent = stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))).stream()
                .filter(r -> decoded(r).contains("client_reference_id=" + customer.address())).findFirst().orElseThrow();
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + StripeStandIn.SECRET_KEY);
        assertThat(decoded(sent)).contains("mode=payment", "line_items[0][quantity]=1", "line_items[0][price_data][currency]=usd",
                "line_items[0][price_data][unit_amount]=2500", "success_url=http://localhost:8080/credits?card=paid",
                "cancel_url=http://localhost:8080/credits?card=cancelled");

        given().auth().oauth2(customer.token()).get("/api/credits/card").then().statusCode(200)
                .body("enabled", equalTo(true)).body("debtDc", equalTo(0))
                .body("purchases[0].sessionId", equalTo(sessionId)).body("purchases[0].status", equalTo("open"))
                .body("purchases[0].usd", equalTo("25.00"));
    }

    @Test
    void amountsAreBoundedWhereTheyAreParsed() {
        Customer customer = Customer.signIn();
        for (String bad : List.of("0.99", "10000.01", "25.001", "-5", "1e3", "25,00", "", " ", "9".repeat(40), "NaN")) {
            given().auth().oauth2(customer.token()).contentType(ContentType.JSON).body(Map.of("usd", bad))
                    .post("/api/credits/checkout").then().statusCode(400).body("detail", containsString("usd"));
        }
        given().contentType(ContentType.JSON).body(Map.of("usd", "25.00")).post("/api/credits/checkout").then().statusCode(401);
        assertThat(sessionsOf(customer)).isEmpty();
    }

    @Test
    void aPaidCheckoutCreditsOnceHoweverOftenItIsDelivered() {
        Customer customer = Customer.signIn();
        String sessionId = checkout(customer, "25.00");
        String paymentIntent = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String event = event("evt_" + uuid(), "checkout.session.completed", completedSession(sessionId, customer, 2500, paymentIntent));

        deliver(event).statusCode(200).body("firstDelivery", equalTo(true)).body("outcome", containsString("credited 2500000 DC"));
        deliver(event).statusCode(200).body("firstDelivery", equalTo(false));
        deliver(event).statusCode(200).body("firstDelivery", equalTo(false));
        // another event about the same session (Stripe sends both for delayed payment methods)
        deliver(event("evt_" + uuid(), "checkout.session.async_payment_succeeded", completedSession(sessionId, customer, 2500, paymentIntent)))
                .statusCode(200).body("firstDelivery", equalTo(true)).body("outcome", containsString("already credited"));

        assertThat(balanceOf(customer)).isEqualTo(2_500_000L);
        given().auth().oauth2(customer.token()).get("/api/credits/card").then().statusCode(200)
                .body("purchases[0].status", equalTo("paid"));
    }

    @Test
    void deliveriesAtTheSameMomentCreditOnce() throws Exception {
        Customer customer = Customer.signIn();
        String sessionId = checkout(customer, "7.00");
        String paymentIntent = "pi_" + uuid();
        List<String> events = List.of(
                event("evt_" + uuid(), "checkout.session.completed", completedSession(sessionId, customer, 700, paymentIntent)),
                event("evt_" + uuid(), "checkout.session.async_payment_succeeded", completedSession(sessionId, customer, 700, paymentIntent)));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String payload = events.get(i % 2);
                answers.add(pool.submit(() -> {
                    start.await();
                    return deliver(payload).extract().statusCode();
                }));
            }
            start.countDown();
            for (var answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(balanceOf(customer)).isEqualTo(700_000L);
    }

    @Test
    void anUnpaidCompletedSessionCreditsNothingUntilItIsPaid() {
        Customer customer = Customer.signIn();
        String sessionId = checkout(customer, "5.00");
        String unpaid = completedSession(sessionId, customer, 500, "pi_" + uuid()).replace("\"payment_status\":\"paid\"", "\"payment_status\":\"unpaid\"");
        deliver(event("evt_" + uuid(), "checkout.session.completed", unpaid)).statusCode(200).body("outcome", containsString("ignored"));
        assertThat(balanceOf(customer)).isZero();
    }

    @Test
    void anExpiredSessionIsMarkedExpiredOnceAndALateCompletionNeverCreditsIt() {
        Customer customer = Customer.signIn();
        String sessionId = checkout(customer, "12.00");
        String expired = event("evt_" + uuid(), "checkout.session.expired", expiredSession(sessionId, customer, 1200));

        deliver(expired).statusCode(200).body("firstDelivery", equalTo(true)).body("outcome", containsString("expired session " + sessionId));
        deliver(expired).statusCode(200).body("firstDelivery", equalTo(false)).body("outcome", equalTo("already handled"));
        // another delivery of the news under another event id changes nothing either
        deliver(event("evt_" + uuid(), "checkout.session.expired", expiredSession(sessionId, customer, 1200))).statusCode(200)
                .body("firstDelivery", equalTo(true)).body("outcome", containsString("already expired"));
        given().auth().oauth2(customer.token()).get("/api/credits/card").then().statusCode(200)
                .body("purchases[0].sessionId", equalTo(sessionId)).body("purchases[0].status", equalTo("expired"));

        // a completion arriving late (Stripe never completes an expired session) is acknowledged and credits nothing
        deliver(event("evt_" + uuid(), "checkout.session.completed", completedSession(sessionId, customer, 1200, "pi_" + uuid())))
                .statusCode(200).body("firstDelivery", equalTo(true)).body("outcome", containsString("never credited"));
        deliver(event("evt_" + uuid(), "checkout.session.async_payment_succeeded", completedSession(sessionId, customer, 1200, "pi_" + uuid())))
                .statusCode(200).body("outcome", containsString("never credited"));
        assertThat(balanceOf(customer)).isZero();
        given().auth().oauth2(customer.token()).get("/api/credits/card").then().body("purchases[0].status", equalTo("expired"))
                .body("purchases[0].paidAt", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(customer.token()).accept("text/html").get("/credits").then().statusCode(200)
                .body(containsString("<td>12.00</td><td>1,200,000 DC</td><td>expired</td>"));
    }

    @Test
    void anExpiryAfterPaymentLeavesThePurchasePaidAndOneOfAnotherSessionIsIgnored() {
        Customer customer = Customer.signIn();
        String sessionId = checkout(customer, "4.00");
        deliver(event("evt_" + uuid(), "checkout.session.completed", completedSession(sessionId, customer, 400, "pi_" + uuid())))
                .statusCode(200).body("outcome", containsString("credited"));
        deliver(event("evt_" + uuid(), "checkout.session.expired", expiredSession(sessionId, customer, 400))).statusCode(200)
                .body("outcome", containsString("was paid, not expired"));
        given().auth().oauth2(customer.token()).get("/api/credits/card").then().body("purchases[0].status", equalTo("paid"));
        assertThat(balanceOf(customer)).isEqualTo(400_000L);

        deliver(event("evt_" + uuid(), "checkout.session.expired", expiredSession("cs_test_" + uuid(), customer, 400))).statusCode(200)
                .body("outcome", containsString("ignored: no checkout session of ours"));
    }

    @Test
    void aBadSignatureOrAStaleTimestampIsRefusedAndCreditsNothing() {
        Customer customer = Customer.signIn();
        String sessionId = checkout(customer, "10.00");
        String event = event("evt_" + uuid(), "checkout.session.completed", completedSession(sessionId, customer, 1000, "pi_" + uuid()));
        long now = Instant.now().getEpochSecond();

        send(event, StripeStandIn.signature(event, now, "whsec_someone_elses")).statusCode(400)
                .body("detail", containsString("Stripe-Signature"));
        send(event, StripeStandIn.signature(event.replace("1000", "100000"), now)).statusCode(400);
        send(event.replace("1000", "100000"), StripeStandIn.signature(event, now)).statusCode(400);
        send(event, StripeStandIn.signature(event, now - 301)).statusCode(400).body("detail", containsString("300 s"));
        send(event, null).statusCode(400).body("detail", containsString("Stripe-Signature"));
        send(event, "t=" + now + ",v1=" + "00".repeat(32)).statusCode(400);
        assertThat(balanceOf(customer)).isZero();

        // the same event, properly signed, is then applied: the refusals recorded nothing
        deliver(event).statusCode(200).body("firstDelivery", equalTo(true));
        assertThat(balanceOf(customer)).isEqualTo(1_000_000L);
    }

    @Test
    void anUnknownEventTypeIsAcknowledgedAndIgnored() {
        String id = "evt_" + uuid();
        deliver(event(id, "customer.created", "{\"id\":\"cus_1\",\"object\":\"customer\"}")).statusCode(200)
                .body("eventId", equalTo(id)).body("outcome", containsString("ignored"));
    }

    @Test
    void anEventOfAnotherApiVersionIsHandled() {
        Customer customer = Customer.signIn();
        String sessionId = checkout(customer, "3.00");
        // an account pinned to an old API version: fields the library no longer knows, and an expanded payment intent
        String old = "{\"id\":\"" + sessionId + "\",\"object\":\"checkout.session\",\"client_reference_id\":\"" + customer.address()
                + "\",\"payment_status\":\"paid\",\"currency\":\"usd\",\"amount_total\":300,\"display_items\":[{\"amount\":300}],"
                + "\"payment_intent\":{\"id\":\"pi_" + uuid() + "\",\"object\":\"payment_intent\"},\"shipping\":{\"unknown\":true}}";
        String event = event("evt_" + uuid(), "checkout.session.completed", old).replace(com.stripe.Stripe.API_VERSION, "2019-05-16");
        assertThat(event).contains("\"api_version\":\"2019-05-16\"");
        deliver(event).statusCode(200).body("outcome", containsString("credited 300000 DC"));
        assertThat(balanceOf(customer)).isEqualTo(300_000L);
    }

    @Test
    void aRefundAfterPartialSpendTakesBackTheBalanceAndLeavesADebtThatBlocksBuying() {
        Customer customer = Customer.signIn();
        String paymentIntent = "pi_" + uuid();
        pay(customer, "10.00", paymentIntent);
        spend(customer, 700_000L);

        // a partial refund of 2.00 USD: 200,000 DC, all still held
        deliver(event("evt_" + uuid(), "charge.refunded", charge(paymentIntent, 1000, 200))).statusCode(200)
                .body("outcome", containsString("took back 200000 DC"));
        assertThat(balanceOf(customer)).isEqualTo(100_000L);

        // then the rest (the running total is 10.00 USD): 800,000 DC more, of which the wallet holds 100,000
        String fullRefund = event("evt_" + uuid(), "charge.refunded", charge(paymentIntent, 1000, 1000));
        deliver(fullRefund).statusCode(200).body("outcome", containsString("700000 DC owed"));
        deliver(fullRefund).statusCode(200).body("firstDelivery", equalTo(false));
        // an older event arriving late changes nothing
        deliver(event("evt_" + uuid(), "charge.refunded", charge(paymentIntent, 1000, 200))).statusCode(200)
                .body("outcome", containsString("already taken back"));
        assertThat(balanceOf(customer)).isZero();

        given().auth().oauth2(customer.token()).get("/api/credits/card").then().statusCode(200)
                .body("debtDc", equalTo(700_000)).body("purchases[0].refundedUsd", equalTo("10.00"));
        given().auth().oauth2(customer.token()).contentType(ContentType.JSON).body(Map.of("usd", "25.00"))
                .post("/api/credits/checkout").then().statusCode(409).body("detail", containsString("owes 700,000 DC (7.00 USD)"));

        // the next credits that reach the wallet (tokens burned: 1,000,000 DC) settle the debt first
        QuarkusTransaction.requiringNew().run(() -> ledger.mint("test-burn:" + uuid(), MintSource.BURN, customer.address(),
                DataCredits.of(1_000_000), "tokens burned", "a test's burn"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (debtOf(customer) > 0 && System.nanoTime() < deadline) {
            sleep(200);
        }
        assertThat(debtOf(customer)).isZero();
        assertThat(balanceOf(customer)).isEqualTo(300_000L);
        checkout(customer, "1.00");
    }

    @Test
    void aDisputeTakesBackAndAWonDisputeGivesBackAndSettlesItsDebt() {
        Customer customer = Customer.signIn();
        String paymentIntent = "pi_" + uuid();
        pay(customer, "20.00", paymentIntent);
        spend(customer, 1_500_000L);
        String disputeId = "dp_" + uuid();

        String created = event("evt_" + uuid(), "charge.dispute.created", dispute(disputeId, paymentIntent, 2000, "needs_response"));
        deliver(created).statusCode(200).body("outcome", containsString("took back 500000 DC of 2000000 DC"));
        deliver(event("evt_" + uuid(), "charge.dispute.created", dispute(disputeId, paymentIntent, 2000, "needs_response")))
                .statusCode(200).body("outcome", containsString("already"));
        assertThat(balanceOf(customer)).isZero();
        given().auth().oauth2(customer.token()).get("/api/credits/card").then().body("debtDc", equalTo(1_500_000));

        deliver(event("evt_" + uuid(), "charge.dispute.closed", dispute(disputeId, paymentIntent, 2000, "won"))).statusCode(200)
                .body("outcome", containsString("won"));
        deliver(event("evt_" + uuid(), "charge.dispute.funds_reinstated", dispute(disputeId, paymentIntent, 2000, "won")))
                .statusCode(200).body("outcome", containsString("already reinstated"));
        assertThat(balanceOf(customer)).isEqualTo(500_000L);
        given().auth().oauth2(customer.token()).get("/api/credits/card").then().body("debtDc", equalTo(0));
        checkout(customer, "1.00");
    }

    @Test
    void aRefundOfAPaymentThatIsNotOursIsAcknowledgedAndIgnored() {
        deliver(event("evt_" + uuid(), "charge.refunded", charge("pi_" + uuid(), 1000, 1000))).statusCode(200)
                .body("outcome", containsString("ignored"));
    }

    // --- helpers

    private static String uuid() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String decoded(LoggedRequest request) {
        return URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
    }

    static String checkout(Customer customer, String usd) {
        return given().auth().oauth2(customer.token()).contentType(ContentType.JSON).body(Map.of("usd", usd))
                .post("/api/credits/checkout").then().statusCode(200).extract().path("sessionId");
    }

    private static void pay(Customer customer, String usd, String paymentIntent) {
        String sessionId = checkout(customer, usd);
        long cents = new java.math.BigDecimal(usd).movePointRight(2).longValueExact();
        deliver(event("evt_" + uuid(), "checkout.session.completed", completedSession(sessionId, customer, cents, paymentIntent)))
                .statusCode(200).body("outcome", containsString("credited"));
    }

    private List<?> sessionsOf(Customer customer) {
        return given().auth().oauth2(customer.token()).get("/api/credits/card").then().statusCode(200).extract().path("purchases");
    }

    private static long debtOf(Customer customer) {
        return ((Number) given().auth().oauth2(customer.token()).get("/api/credits/card").then().statusCode(200)
                .extract().path("debtDc")).longValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long balanceOf(Customer customer) {
        return ((Number) given().auth().oauth2(customer.token()).get("/api/credits/balance").then().statusCode(200)
                .extract().path("dc")).longValue();
    }

    /** What the market does with a rental: burns DCs from the balance. */
    private void spend(Customer customer, long dc) {
        QuarkusTransaction.requiringNew().run(() -> credits.burnFromBalance("test-spend:" + uuid(), customer.address(), 900_001, 900_001,
                Instant.now(), DataCredits.of(dc), "a test's rental"));
    }

    static String event(String id, String type, String object) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"" + com.stripe.Stripe.API_VERSION + "\",\"created\":"
                + Instant.now().getEpochSecond() + ",\"livemode\":false,\"pending_webhooks\":1,\"request\":{\"id\":null,"
                + "\"idempotency_key\":null},\"type\":\"" + type + "\",\"data\":{\"object\":" + object + "}}";
    }

    static String completedSession(String sessionId, Customer customer, long cents, String paymentIntent) {
        return "{\"id\":\"" + sessionId + "\",\"object\":\"checkout.session\",\"mode\":\"payment\",\"status\":\"complete\","
                + "\"payment_status\":\"paid\",\"client_reference_id\":\"" + customer.address() + "\",\"currency\":\"usd\","
                + "\"amount_subtotal\":" + cents + ",\"amount_total\":" + cents + ",\"payment_intent\":\"" + paymentIntent + "\"}";
    }

    /** What checkout.session.expired carries: the abandoned session, status expired, nothing paid. */
    private static String expiredSession(String sessionId, Customer customer, long cents) {
        return "{\"id\":\"" + sessionId + "\",\"object\":\"checkout.session\",\"mode\":\"payment\",\"status\":\"expired\","
                + "\"payment_status\":\"unpaid\",\"client_reference_id\":\"" + customer.address() + "\",\"currency\":\"usd\","
                + "\"amount_subtotal\":" + cents + ",\"amount_total\":" + cents + ",\"payment_intent\":null}";
    }

    private static String charge(String paymentIntent, long amount, long refunded) {
        return "{\"id\":\"ch_" + uuid() + "\",\"object\":\"charge\",\"amount\":" + amount + ",\"amount_refunded\":" + refunded
                + ",\"currency\":\"usd\",\"refunded\":" + (amount == refunded) + ",\"payment_intent\":\"" + paymentIntent + "\"}";
    }

    private static String dispute(String disputeId, String paymentIntent, long amount, String status) {
        return "{\"id\":\"" + disputeId + "\",\"object\":\"dispute\",\"amount\":" + amount + ",\"currency\":\"usd\",\"charge\":\"ch_"
                + uuid() + "\",\"payment_intent\":\"" + paymentIntent + "\",\"status\":\"" + status + "\"}";
    }

    /** Stripe's webhook that the checkout session {@code sessionId} of {@code address} was paid, {@code cents} in all. */
    public static void paid(String sessionId, String address, long cents) {
        deliver(event("evt_" + uuid(), "checkout.session.completed", "{\"id\":\"" + sessionId + "\",\"object\":\"checkout.session\","
                + "\"mode\":\"payment\",\"status\":\"complete\",\"payment_status\":\"paid\",\"client_reference_id\":\"" + address
                + "\",\"currency\":\"usd\",\"amount_subtotal\":" + cents + ",\"amount_total\":" + cents
                + ",\"payment_intent\":\"pi_" + uuid() + "\"}")).statusCode(200);
    }

    static ValidatableResponse deliver(String payload) {
        return send(payload, StripeStandIn.signature(payload, Instant.now().getEpochSecond()));
    }

    private static ValidatableResponse send(String payload, String signature) {
        var request = given().contentType("application/json; charset=utf-8").body(payload);
        if (signature != null) {
            request = request.header("Stripe-Signature", signature);
        }
        return request.post(WEBHOOK).then();
    }
}
