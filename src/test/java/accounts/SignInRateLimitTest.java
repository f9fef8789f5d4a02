package accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.microsoft.playwright.Page;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URL;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The sign-in rate limits with a low allowance (the other tests run with a very high one). */
@QuarkusTest
@TestProfile(SignInRateLimitTest.LowLimit.class)
class SignInRateLimitTest {

    public static class LowLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bc.auth.rate-limit.burst", "3", "bc.auth.rate-limit.per-minute", "1");
        }
    }

    @TestHTTPResource("/")
    URL root;

    /** Sends {@code request} until it is refused (the allowance of this client is used up) and gives the refusal. */
    private static ExtractableResponse<Response> untilRefused(Supplier<Response> request) {
        for (int i = 0; i < 10; i++) {
            Response response = request.get();
            if (response.statusCode() == 429) {
                return response.then().extract();
            }
        }
        throw new AssertionError("no 429 after 10 requests with a burst of 3");
    }

    private static long nonces() {
        return QuarkusTransaction.requiringNew().call(() -> NonceEntity.count());
    }

    @Test
    void nonceIssueIsLimitedPerAddressWith429RetryAfterAndAProblemThatSaysWhen() {
        untilRefused(() -> given().get("/api/auth/nonce"));
        long before = nonces();

        var refused = given().get("/api/auth/nonce").then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", Integer::parseInt, greaterThan(0))
                .body("status", equalTo(429))
                .body("detail", containsString("try again in"))
                .body("retryAfterSeconds", greaterThan(0))
                .extract();
        assertThat(refused.header("Retry-After")).isEqualTo(String.valueOf((int) refused.path("retryAfterSeconds")));

        given().contentType(ContentType.JSON).body(Map.of("address", TestWallet.random().address()))
                .post("/api/auth/message").then()
                .statusCode(429).header("Retry-After", Integer::parseInt, greaterThan(0));
        assertThat(nonces()).as("a refused request stores no nonce").isEqualTo(before);
    }

    @Test
    void signInAttemptsAreLimitedBeforeTheBodyIsEvenRead() {
        untilRefused(() -> given().contentType(ContentType.JSON).body(Map.of("message", "x", "signature", "0x00"))
                .post("/api/auth/siwe"));

        given().contentType(ContentType.JSON).body("{ not json")
                .post("/api/auth/siwe").then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", Integer::parseInt, greaterThan(0))
                .body("detail", containsString("Too many sign-in attempts"));
    }

    @Test
    void theSignInPageShowsWhenToRetry() {
        try (TestChromium chromium = TestChromium.launch(); var context = chromium.newContext()) {
            Page page = context.newPage();
            BrowserSignInTest.injectWallet(page, TestWallet.random());
            page.navigate(root + "signin");
            // the browser may reach the server from another loopback address than REST Assured (::1): use up its own allowance
            Object status = page.evaluate("""
                    async () => {
                      for (let i = 0; i < 10; i++) {
                        const response = await fetch('/api/auth/nonce');
                        if (response.status === 429) return 429;
                      }
                      return 0;
                    }""");
            assertThat(status).isEqualTo(429);
            page.click("#signin-button");
            page.waitForSelector("#signin-status.error");
            assertThat(page.textContent("#signin-status")).contains("Too many sign-in nonces").contains("try again in");
            assertThat(page.url()).endsWith("/signin");
        }
    }
}
