package credits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import accounts.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.ApiWorld;
import platform.ProductDefaultsProfile;

/** With no Stripe keys (the product's default), card payment is off and says so; nothing reaches Stripe. */
@QuarkusTest
@TestProfile(ProductDefaultsProfile.class)
class CardPaymentsOffTest {

    @Test
    void checkoutAndWebhookAnswer503WithTheReason() {
        String token = TestWallet.random().signIn();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("usd", "25.00"))
                .post("/api/credits/checkout").then().statusCode(503)
                .body("detail", containsString("Card payment is off")).body("detail", containsString("bc.stripe.secret-key"));
        String event = CardPaymentsTest.event("evt_off", "checkout.session.completed", "{\"id\":\"cs_off\"}");
        given().contentType(ContentType.JSON).header("Stripe-Signature", StripeStandIn.signature(event, Instant.now().getEpochSecond()))
                .body(event).post(CardPaymentsTest.WEBHOOK).then().statusCode(503).body("detail", containsString("Card payment is off"));
        given().auth().oauth2(token).get("/api/credits/card").then().statusCode(200)
                .body("enabled", equalTo(false)).body("offReason", containsString("no Stripe keys"));
    }

    @Test
    void theCreditsPageSaysCardPaymentIsOff() {
        String token = TestWallet.random().signIn();
        given().cookie("bc_session", token).accept("text/html").get("/credits").then().statusCode(200)
                .body(containsString("id=\"card-off\""), containsString("Card payment is off on this marketplace"))
                .body(org.hamcrest.Matchers.not(containsString("id=\"card-checkout\"")));
    }

    @Test
    void theFormSendsThePersonBackWithTheReason() {
        String token = TestWallet.random().signIn();
        ApiWorld.Csrf csrf = ApiWorld.csrf(new ApiWorld.Party(null, token, null));
        given().redirects().follow(false).cookie("bc_session", token).cookie("bc_csrf", csrf.cookie()).accept("text/html")
                .contentType(ContentType.URLENC).formParam("csrf-token", csrf.token()).formParam("usd", "25.00")
                .post("/credits/checkout").then().statusCode(303)
                .header("Location", containsString("/credits?error=Card+payment+is+off"));
    }
}
