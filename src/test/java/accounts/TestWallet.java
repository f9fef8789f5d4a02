package accounts;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/** A wallet whose key the test holds: it signs EIP-4361 messages as a browser wallet would. */
public final class TestWallet {

    /** The admin of the test profile ({@code %test.bc.admin.wallets}): private key 1. */
    public static final TestWallet ADMIN = new TestWallet(ECKeyPair.create(BigInteger.ONE));

    private final ECKeyPair key;

    private TestWallet(ECKeyPair key) {
        this.key = key;
    }

    public static TestWallet random() {
        try {
            return new TestWallet(Keys.createEcKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public ECKeyPair key() {
        return key;
    }

    /** The EIP-55 form, as wallets show it. */
    public String address() {
        return Keys.toChecksumAddress("0x" + Keys.getAddress(key));
    }

    public String sign(String message) {
        return PersonalSignature.sign(message, key);
    }

    /** What the server under test asks a sign-in message to name, with a fresh nonce ({@code GET /api/auth/nonce}). */
    public record Terms(String nonce, String domain, String uri) {
    }

    public static Terms terms() {
        var answer = given().get("/api/auth/nonce").then().statusCode(200).extract();
        return new Terms(answer.path("nonce"), answer.path("domain"), answer.path("uri"));
    }

    public static String nonce() {
        return terms().nonce();
    }

    /** An EIP-4361 message on chain 31337 for what the server asks (domain, URI, nonce). */
    public String message(Terms terms, Instant issuedAt, Duration validity) {
        return message(terms.domain(), terms.uri(), terms.nonce(), issuedAt, validity);
    }

    /** An EIP-4361 message for {@code domain} and {@code uri} on chain 31337, with the address in its EIP-55 form. */
    public String message(String domain, String uri, String nonce, Instant issuedAt, Duration validity) {
        return domain + " wants you to sign in with your Ethereum account:\n"
                + address() + "\n\n"
                + "Sign in to Berkeley Compute.\n\n"
                + "URI: " + uri + "\n"
                + "Version: 1\n"
                + "Chain ID: 31337\n"
                + "Nonce: " + nonce + "\n"
                + "Issued At: " + issuedAt.truncatedTo(ChronoUnit.SECONDS) + "\n"
                + "Expiration Time: " + issuedAt.plus(validity).truncatedTo(ChronoUnit.SECONDS);
    }

    /** Signs in through the real API (a message for the domain the server names) and gives the bearer token. */
    public String signIn() {
        String message = message(terms(), Instant.now(), Duration.ofMinutes(5));
        return given().contentType(ContentType.JSON)
                .body(Map.of("message", message, "signature", sign(message)))
                .post("/api/auth/siwe")
                .then().statusCode(200)
                .extract().path("token");
    }
}
