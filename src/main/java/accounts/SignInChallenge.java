package accounts;

/** A ready-made EIP-4361 message for a wallet to sign, with the nonce it carries. */
public record SignInChallenge(String message, String nonce) {
}
