package accounts;

import java.time.Instant;
import java.util.Locale;
import platform.DomainException;

/** The checks of DESIGN section 10 on a parsed sign-in message; each failure is a 401 naming the check. */
final class SignInVerifier {

    private final AccountsConfig.Siwe config;
    private final SignInOrigin origin;

    SignInVerifier(AccountsConfig.Siwe config, SignInOrigin origin) {
        this.config = config;
        this.origin = origin;
    }

    void verify(SiweMessage message, String signedText, String signature, Instant now) {
        if (!message.domain().equalsIgnoreCase(origin.domain())) {
            throw refused("the message is for " + message.domain() + ", but this is " + origin.domain());
        }
        if (message.scheme().map(s -> !s.equalsIgnoreCase(origin.scheme())).orElse(false)) {
            throw refused("the message is for " + message.scheme().get() + "://" + message.domain()
                    + ", but this server is reached over " + origin.scheme());
        }
        if (message.uriAuthority() == null || !message.uriAuthority().equalsIgnoreCase(message.domain())) {
            throw refused("the message's URI " + message.uri() + " is not on its domain " + message.domain());
        }
        if (message.chainId() != config.chainId()) {
            throw refused("the message is for chain " + message.chainId() + ", this marketplace runs on chain " + config.chainId());
        }
        if (message.issuedAt().isAfter(now.plus(config.clockSkew()))) {
            throw refused("the message was issued in the future (" + message.issuedAt() + "); check the wallet's clock");
        }
        if (message.expirationTime().map(t -> !t.isAfter(now)).orElse(false)) {
            throw refused("the message expired at " + message.expirationTime().get());
        }
        if (message.notBefore().map(t -> t.isAfter(now)).orElse(false)) {
            throw refused("the message is not valid before " + message.notBefore().get());
        }
        WalletAddress signer;
        try {
            signer = PersonalSignature.signer(signedText, signature);
        } catch (DomainException e) {
            throw refused(e.getMessage().substring(0, 1).toLowerCase(Locale.ROOT) + e.getMessage().substring(1));
        }
        if (!signer.equals(message.address())) {
            throw refused("the signature was made by " + signer.checksummed() + ", not by " + message.address().checksummed());
        }
    }

    static DomainException refused(String why) {
        return new DomainException(DomainException.Kind.UNAUTHENTICATED, "Sign-in refused: " + why + ".");
    }
}
