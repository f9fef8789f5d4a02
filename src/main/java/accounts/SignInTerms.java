package accounts;

import java.net.URI;

/** What every sign-in message here must name: the domain (host[:port]), a URI on it, and the chain id. */
public record SignInTerms(String domain, URI uri, long chainId) {
}
