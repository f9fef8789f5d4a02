package accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The e-mail address for receipts (any account), and who may manage passkeys and recovery codes. */
@QuarkusTest
class AccountProfileTest {

    private static Map<String, Object> email(String value) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", value);
        return body;
    }

    @Test
    void anEmailAddressIsOptionalShownByMeAndABadOneIsRefusedWithAReasonChangingNothing() {
        String token = TestWallet.random().signIn();
        given().auth().oauth2(token).get("/api/me").then().statusCode(200)
                .body("kind", equalTo("wallet")).body("email", nullValue());

        given().auth().oauth2(token).contentType(ContentType.JSON).body(email("  ada@example.com ")).put("/api/me/email").then()
                .statusCode(200).body("email", equalTo("ada@example.com"));
        for (String bad : List.of("ada", "ada@localhost", "ada@exa mple.com", "a@b@example.com", "ada\u0000@example.com",
                "<script>@example.com", "a".repeat(250) + "@example.com")) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(email(bad)).put("/api/me/email").then()
                    .statusCode(400).contentType("application/problem+json").body("detail", containsString("email"));
        }
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"email\": 5.5e3000}").put("/api/me/email").then()
                .statusCode(400);
        given().auth().oauth2(token).get("/api/me").then().body("email", equalTo("ada@example.com"));

        given().auth().oauth2(token).contentType(ContentType.JSON).body(email(null)).put("/api/me/email").then()
                .statusCode(200).body("email", nullValue());
        given().auth().oauth2(token).get("/api/me").then().body("email", nullValue());
        given().contentType(ContentType.JSON).body(email("ada@example.com")).put("/api/me/email").then().statusCode(401);
    }

    @Test
    void onlyAPasskeyAccountManagesPasskeysAndOnlyItsOwn() {
        String wallet = TestWallet.random().signIn();
        given().auth().oauth2(wallet).get("/api/me/passkeys").then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(wallet).contentType(ContentType.JSON).post("/api/me/passkeys/options").then().statusCode(403)
                .body("detail", containsString("a wallet account signs in with its wallet"));
        given().auth().oauth2(wallet).contentType(ContentType.JSON).post("/api/me/recovery-code").then().statusCode(403);

        TestPasskeys.Account ada = TestPasskeys.create();
        TestPasskeys.Account bob = TestPasskeys.create();
        given().auth().oauth2(ada.token()).get("/api/me").then().body("kind", equalTo("passkey"));
        String adas = given().auth().oauth2(ada.token()).get("/api/me/passkeys").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].name", equalTo("Passkey 1")).extract().path("[0].id");

        given().auth().oauth2(bob.token()).contentType(ContentType.JSON).body(Map.of("name", "Mine now"))
                .patch("/api/me/passkeys/" + adas).then().statusCode(404);
        given().auth().oauth2(bob.token()).delete("/api/me/passkeys/" + adas).then().statusCode(404);
        given().auth().oauth2(ada.token()).delete("/api/me/passkeys/not-an-id").then().statusCode(404);
        for (String bad : List.of("", " ", "x".repeat(65), "Phone\u0007", "<b>Phone</b>")) {
            given().auth().oauth2(ada.token()).contentType(ContentType.JSON).body(Map.of("name", bad))
                    .patch("/api/me/passkeys/" + adas).then().statusCode(400).body("detail", containsString("name"));
        }
        given().auth().oauth2(ada.token()).delete("/api/me/passkeys/" + adas).then().statusCode(409)
                .body("detail", containsString("last passkey"));
        given().auth().oauth2(ada.token()).get("/api/me/passkeys").then().body("$", hasSize(1)).body("[0].name", equalTo("Passkey 1"));

        // an answer that no authenticator made adds nothing
        given().auth().oauth2(ada.token()).contentType(ContentType.JSON)
                .body(Map.of("credential", Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key",
                        "response", Map.of("clientDataJSON", "e30", "attestationObject", "oA"))))
                .post("/api/me/passkeys").then().statusCode(400).body("detail", containsString("did not verify"));
        given().auth().oauth2(ada.token()).get("/api/me/passkeys").then().body("$", hasSize(1));
    }

    @Test
    void aWrongRecoveryCodeIsRefusedAndLeavesTheRightOneWorking() {
        TestPasskeys.Account ada = TestPasskeys.create();
        String wrong = RecoveryCode.random().text();
        given().contentType(ContentType.JSON).body(Map.of("address", ada.address(), "code", wrong)).post("/api/passkeys/recovery")
                .then().statusCode(401).body("detail", containsString("does not open that account"));
        given().contentType(ContentType.JSON).body(Map.of("address", ada.address(), "code", "not a code")).post("/api/passkeys/recovery")
                .then().statusCode(400).body("detail", containsString("code"));
        String wallet = TestWallet.random().address();
        given().contentType(ContentType.JSON).body(Map.of("address", wallet, "code", ada.recoveryCode())).post("/api/passkeys/recovery")
                .then().statusCode(401);

        String token = given().contentType(ContentType.JSON).body(Map.of("address", ada.address(), "code", ada.recoveryCode()))
                .post("/api/passkeys/recovery").then().statusCode(200)
                .body("address", equalTo(ada.address())).body("next", containsString("Add a new passkey"))
                .extract().path("token");
        given().auth().oauth2(token).get("/api/me").then().statusCode(200).body("address", equalTo(ada.address()));
        String renewed = given().auth().oauth2(token).contentType(ContentType.JSON).post("/api/me/recovery-code").then().statusCode(201)
                .extract().path("recoveryCode");
        assertThat(renewed).isNotEqualTo(ada.recoveryCode()).matches("([A-Z2-7]{4}-){6}[A-Z2-7]{2}");
    }
}
