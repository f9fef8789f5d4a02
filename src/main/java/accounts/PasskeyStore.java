package accounts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.webauthn.WebAuthnCredentialRecord;
import io.quarkus.security.webauthn.WebAuthnUserProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Passkeys ({@code accounts_passkey}), where the WebAuthn extension finds them to check an answer. A
 * passkey is registered under a fresh handle ({@link #NEW}…, the WebAuthn user name of a
 * registration); once verified it makes the passkey account, a managed wallet ({@link Custody})
 * whose address is the account's address and the passkey's user name from then on.
 */
@ApplicationScoped
class PasskeyStore implements WebAuthnUserProvider {

    /** The prefix of a registration's handle, before the account exists. */
    static final String NEW = "new-";

    private final EntityManager em;
    private final Custody custody;
    private final Clock clock;

    PasskeyStore(EntityManager em, Custody custody, Clock clock) {
        this.em = em;
        this.custody = custody;
        this.clock = clock;
    }

    static String newHandle() {
        return NEW + UUID.randomUUID();
    }

    @Override
    public Uni<List<WebAuthnCredentialRecord>> findByUsername(String username) {
        return blocking(() -> rows("where address = ?1", username));
    }

    @Override
    public Uni<WebAuthnCredentialRecord> findByCredentialId(String credentialId) {
        return blocking(() -> {
            List<WebAuthnCredentialRecord> found = rows("where credential_id = ?1", credentialId);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("This passkey is not registered here");
            }
            return found.get(0);
        });
    }

    /**
     * A verified registration ({@link PasskeyResource}): makes the passkey account, its managed wallet
     * ({@link Custody}) and the passkey, in one transaction; the account's address.
     */
    WalletAddress createAccount(WebAuthnCredentialRecord record) {
        return QuarkusTransaction.requiringNew().call(() -> {
            WebAuthnCredentialRecord.RequiredPersistedData data = record.getRequiredPersistedData();
            WalletAddress address = custody.create();
            UserEntity user = new UserEntity();
            user.address = address.value();
            user.kind = UserEntity.Kind.PASSKEY;
            user.createdAt = clock.instant();
            user.lastSignInAt = user.createdAt;
            user.persist();
            em.flush();
            em.createNativeQuery("""
                            insert into accounts_passkey (credential_id, address, aaguid, public_key, algorithm, counter, created_at)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                    .setParameter(1, data.credentialId()).setParameter(2, address.value()).setParameter(3, data.aaguid())
                    .setParameter(4, data.publicKey()).setParameter(5, data.publicKeyAlgorithm()).setParameter(6, data.counter())
                    .setParameter(7, clock.instant()).executeUpdate();
            return address;
        });
    }

    /** A verified sign-in: the passkey's signature counter (which a cloned authenticator would repeat) and when it was used. */
    void used(WebAuthnCredentialRecord record) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "update accounts_passkey set counter = ?1, last_used_at = ?2 where credential_id = ?3")
                .setParameter(1, record.getCounter()).setParameter(2, clock.instant()).setParameter(3, record.getCredentialID())
                .executeUpdate());
    }

    @Override
    public Set<String> getRoles(String username) {
        return Set.of(Caller.CUSTOMER);
    }

    @SuppressWarnings("unchecked")
    private List<WebAuthnCredentialRecord> rows(String where, String value) {
        List<Object[]> rows = em.createNativeQuery("select address, credential_id, aaguid, public_key, algorithm, counter from accounts_passkey "
                + where).setParameter(1, value).getResultList();
        return rows.stream().map(r -> WebAuthnCredentialRecord.fromRequiredPersistedData(new WebAuthnCredentialRecord.RequiredPersistedData(
                (String) r[0], (String) r[1], (UUID) r[2], (byte[]) r[3], ((Number) r[4]).longValue(), ((Number) r[5]).longValue())))
                .toList();
    }

    /** The extension runs a provider's methods off the event loop; each reads in a transaction of its own. */
    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(() -> QuarkusTransaction.requiringNew().call(work::get));
    }
}
