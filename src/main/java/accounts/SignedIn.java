package accounts;

import java.time.Instant;

/** The result of a successful sign-in: a bearer token (also the session cookie's value). */
public record SignedIn(String token, WalletAddress address, Instant expiresAt) {
}
