package credits;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local stand-in for Stripe's API (WireMock), which stripe-java talks to in every test: card
 * payment is on in the test profile, as it is where an operator has set the keys. It answers
 * {@code POST /v1/checkout/sessions} the way Stripe does (a session with a fresh id and its URL, where a stand-in checkout page answers), and a test may add stubs through the server
 * injected into a field annotated {@link Server}. Webhooks are signed as Stripe documents it
 * ({@link #signature}); that side of the test computes the HMAC itself, the server never does.
 */
public class StripeStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET_KEY = "sk_test_stand_in_key";
    public static final String WEBHOOK_SECRET = "whsec_test_stand_in_secret";
    /** Where the stand-in's checkout pages are: the URL a customer is sent to. */
    public static final String CHECKOUT_PAGE = "/c/pay/";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Server {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").templatingEnabled(true)
                .globalTemplating(false));
        server.start();
        server.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_stand_in")
                .withTransformers("response-template")
                .withBody("""
                        {{#assign 'id'}}cs_test_{{randomValue length=24 type='ALPHANUMERIC'}}{{/assign}}
                        {"id": "{{id}}", "object": "checkout.session", "mode": "payment", "status": "open",
                         "payment_status": "unpaid", "currency": "usd",
                         "url": "http://127.0.0.1:%d%s{{id}}"}
                        """.formatted(server.port(), CHECKOUT_PAGE))));
        server.stubFor(get(urlPathMatching(CHECKOUT_PAGE + "cs_test_[A-Za-z0-9]+")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<!doctype html><title>Stripe Checkout (stand-in)</title><h1 id=\"stand-in-checkout\">Pay with card</h1>")));
        return Map.of("bc.stripe.api-base", server.baseUrl(),
                "bc.stripe.secret-key", SECRET_KEY,
                "bc.stripe.webhook-secret", WEBHOOK_SECRET);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(Server.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** The Stripe-Signature header Stripe sends: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" with the secret>. */
    public static String signature(String payload, long unixSeconds, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((unixSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String signature(String payload, long unixSeconds) {
        return signature(payload, unixSeconds, WEBHOOK_SECRET);
    }
}
