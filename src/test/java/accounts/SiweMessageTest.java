package accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import platform.DomainException;

class SiweMessageTest {

    private static final String ADDRESS = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";

    private static final String FULL = """
            https://market.example:8443 wants you to sign in with your Ethereum account:
            0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf

            Sign in to Berkeley Compute.

            URI: https://market.example:8443/login
            Version: 1
            Chain ID: 31337
            Nonce: 32891756abcdef
            Issued At: 2026-11-26T10:00:00Z
            Expiration Time: 2026-11-26T10:10:00.000+01:00
            Not Before: 2026-11-26T09:59:00Z
            Request ID: req-1
            Resources:
            - ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
            - https://example.com/my-web2-claim.json""";

    @Test
    void everyFieldIsParsed() {
        SiweMessage message = SiweMessage.parse(FULL);

        assertThat(message.scheme()).contains("https");
        assertThat(message.domain()).isEqualTo("market.example:8443");
        assertThat(message.address().checksummed()).isEqualTo(ADDRESS);
        assertThat(message.statement()).contains("Sign in to Berkeley Compute.");
        assertThat(message.uri()).isEqualTo(URI.create("https://market.example:8443/login"));
        assertThat(message.uriAuthority()).isEqualTo("market.example:8443");
        assertThat(message.chainId()).isEqualTo(31337);
        assertThat(message.nonce()).isEqualTo("32891756abcdef");
        assertThat(message.issuedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(message.expirationTime()).contains(Instant.parse("2026-11-26T09:10:00Z"));
        assertThat(message.notBefore()).contains(Instant.parse("2026-11-26T09:59:00Z"));
        assertThat(message.requestId()).contains("req-1");
        assertThat(message.resources()).hasSize(2);
    }

    @Test
    void theStatementAndTheSchemeAreOptionalInBothSpellingsOfTheBlankLines() {
        String noStatement = """
                localhost:8080 wants you to sign in with your Ethereum account:
                0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf


                URI: http://localhost:8080
                Version: 1
                Chain ID: 1
                Nonce: abcdefgh1
                Issued At: 2026-11-26T10:00:00Z""";
        SiweMessage message = SiweMessage.parse(noStatement);
        assertThat(message.scheme()).isEmpty();
        assertThat(message.statement()).isEmpty();
        assertThat(SiweMessage.parse(noStatement.replace("\n\n\n", "\n\n")).nonce()).isEqualTo("abcdefgh1");
    }

    @Test
    void theCanonicalTextParsesBackToTheSameMessage() {
        SiweMessage made = SiweMessage.forOrigin("http", "localhost:8080", URI.create("http://localhost:8080"), WalletAddress.of(ADDRESS),
                "Sign in to Berkeley Compute.", 31337, "0123456789abcdef",
                Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2026-11-26T10:10:00Z"));
        assertThat(SiweMessage.parse(made.text())).isEqualTo(made);
        assertThat(made.text()).startsWith("http://localhost:8080 wants you to sign in with your Ethereum account:\n" + ADDRESS + "\n\n");
    }

    @Test
    void malformedMessagesAreRefusedWithTheReason() {
        List.of(
                FULL.replace("wants you to sign in", "would like you to sign in"),
                FULL.replace("Version: 1", "Version: 2"),
                FULL.replace("Chain ID: 31337", "Chain ID: one"),
                FULL.replace("Nonce: 32891756abcdef", "Nonce: short"),
                FULL.replace("Issued At: 2026-11-26T10:00:00Z", "Issued At: yesterday"),
                FULL.replace("URI: https://market.example:8443/login\n", ""),
                FULL.replace("Version: 1\nChain ID: 31337", "Chain ID: 31337\nVersion: 1"),
                FULL.replace(ADDRESS, "0x7e5F4552091A69125d5DfCb7b8C2659029395Bdf"),
                FULL.replace(ADDRESS, ADDRESS.toLowerCase()),
                FULL.replace("market.example:8443 wants", "market example wants"),
                FULL.replace("Sign in to Berkeley Compute.\n\n", "Sign in to Berkeley Compute.\n"),
                FULL.replace("- https://example.com/my-web2-claim.json", "- https://example.com/a b"),
                FULL.replace("Chain ID: 31337", "Chain ID: +31337"),
                FULL.replace("Issued At: 2026-11-26T10:00:00Z", "Issued At: 2026-11-26T10:00Z"),
                FULL.replace("Request ID: req-1", "Request ID: req 1"),
                FULL + "\n- https://example.com/".repeat(200),
                "").forEach(text -> assertThatThrownBy(() -> SiweMessage.parse(text))
                .isInstanceOf(DomainException.class)
                .hasMessageStartingWith("The message is not a valid Sign-In with Ethereum (EIP-4361) message")
                .satisfiesAnyOf(
                        e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.INVALID)));
    }
}
