package accounts;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Locale;
import platform.PlatformConfig;

/**
 * Where sign-in messages must say they are for: the authority (host[:port]) of {@code bc.public-url},
 * or {@code bc.siwe.domain} when that is set, and the URI on it. It comes from configuration only,
 * never from a request's Host header: a phishing site that gets a wallet to sign a message for its own
 * domain could otherwise replay it here with that domain as Host. Checked once, at start.
 */
@ApplicationScoped
@Startup
class SignInOrigin {

    private final String scheme;
    private final String domain;
    private final URI uri;

    @Inject
    SignInOrigin(PlatformConfig platform, AccountsConfig config) {
        this(platform.publicUrl(), config.siwe().domain().map(String::trim).filter(d -> !d.isEmpty()).orElse(null));
    }

    SignInOrigin(String publicUrl, String configuredDomain) {
        URI publicUri;
        try {
            publicUri = URI.create(publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("bc.public-url (BC_PUBLIC_URL) '" + publicUrl + "' is not a URL: " + e.getMessage());
        }
        if (publicUri.getScheme() == null || publicUri.getRawAuthority() == null) {
            throw new IllegalStateException("bc.public-url (BC_PUBLIC_URL) '" + publicUrl
                    + "' must be an absolute URL such as https://market.example, the address people reach this server at");
        }
        this.scheme = publicUri.getScheme().toLowerCase(Locale.ROOT);
        String publicAuthority = publicUri.getRawAuthority();
        this.domain = configuredDomain == null ? publicAuthority : configuredDomain;
        if (!Rfc3986.isAuthority(domain)) {
            throw new IllegalStateException("bc.siwe.domain (BC_SIWE_DOMAIN) '" + domain
                    + "' must be a host or host:port, such as market.example or localhost:8080");
        }
        this.uri = domain.equalsIgnoreCase(publicAuthority) ? publicUri : URI.create(scheme + "://" + domain);
    }

    /** The scheme of the public URL, which a message that names a scheme must name. */
    String scheme() {
        return scheme;
    }

    /** The host[:port] every sign-in message must name. */
    String domain() {
        return domain;
    }

    /** The URI a message made here carries (on {@link #domain()}). */
    URI uri() {
        return uri;
    }
}
