package accounts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of sign-in, sessions and roles ({@code bc.*}). */
@ConfigMapping(prefix = "bc")
public interface AccountsConfig {

    Siwe siwe();

    Admin admin();

    Session session();

    interface Siwe {
        /** The host (and port) sign-in messages must name; by default the request's Host header. */
        Optional<String> domain();

        /** The chain id sign-in messages must carry: the marketplace's chain. */
        long chainId();

        /** How long a nonce from {@code GET /api/auth/nonce} stays usable. */
        @WithDefault("10m")
        Duration nonceTtl();

        /** How far in the future a message's Issued At may lie (clock skew between wallet and server). */
        @WithDefault("2m")
        Duration clockSkew();
    }

    interface Admin {
        /** Wallets with the admin role, comma separated. */
        Optional<List<String>> wallets();
    }

    interface Session {
        /** How long a sign-in lasts (session cookie and bearer token). */
        @WithDefault("7d")
        Duration ttl();

        /** Whether the session cookie is marked Secure (set it when served over HTTPS). */
        @WithDefault("false")
        boolean secureCookie();
    }
}
