package accounts;

import io.quarkus.arc.Arc;
import io.quarkus.security.webauthn.WebAuthnCredentialRecord;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.UUID;

/**
 * Passkey accounts for tests that do not drive a browser (the authorization matrix, the REST tests):
 * made through the same store as a verified registration, with passkeys whose keys no authenticator
 * holds, so they cannot sign in with them; the session is opened as after a passkey sign-in.
 */
public final class TestPasskeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPasskeys() {
    }

    /** A signed-in passkey account: its address, a session token, and its recovery code. */
    public record Account(String address, String token, String recoveryCode) {
    }

    public static Account create() {
        PasskeyStore.NewAccount account = store().createAccount(record());
        String token = Arc.container().instance(Accounts.class).get().signInWithPasskey(account.address()).token();
        return new Account(account.address().value(), token, account.recoveryCode());
    }

    /** One more passkey of the account; its id. */
    public static String addPasskey(String address) {
        return store().add(WalletAddress.of(address), record(), null).id().toString();
    }

    private static PasskeyStore store() {
        return Arc.container().instance(PasskeyStore.class).get();
    }

    /** A P-256 (ES256, COSE -7) passkey whose private key is thrown away. */
    private static WebAuthnCredentialRecord record() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] publicKey = generator.generateKeyPair().getPublic().getEncoded();
            return WebAuthnCredentialRecord.fromRequiredPersistedData(new WebAuthnCredentialRecord.RequiredPersistedData(
                    "test", Base64.getUrlEncoder().withoutPadding().encodeToString(id), new UUID(0, 0), publicKey, -7, 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
