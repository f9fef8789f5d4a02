package accounts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.webauthn.WebAuthnCredentialRecord;
import io.quarkus.security.webauthn.WebAuthnUserProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import platform.DomainException;

/**
 * Passkeys ({@code accounts_passkey}), where the WebAuthn extension finds them to check an answer. A
 * passkey is registered under a fresh handle ({@link #NEW}…, the WebAuthn user name of a
 * registration); once verified it makes the passkey account, a managed wallet ({@link Custody})
 * whose address is the account's address and the passkey's user name from then on. The account's
 * owner adds more passkeys, names and removes them ({@code /api/me/passkeys}), never the last one.
 */
@ApplicationScoped
class PasskeyStore implements WebAuthnUserProvider {

    /** The prefix of a registration's handle, before the account exists. */
    static final String NEW = "new-";
    /** The most passkeys one account may hold. */
    static final int MAX_PER_ACCOUNT = 20;
    static final String WALLET_ACCOUNT = "Passkeys belong to passkey accounts; a wallet account signs in with its wallet";

    private final EntityManager em;
    private final Custody custody;
    private final Clock clock;

    private final RecoveryCodes recoveryCodes;

    PasskeyStore(EntityManager em, Custody custody, Clock clock, RecoveryCodes recoveryCodes) {
        this.em = em;
        this.custody = custody;
        this.clock = clock;
        this.recoveryCodes = recoveryCodes;
    }

    /** A new passkey account: its address and its recovery code, shown this once. */
    record NewAccount(WalletAddress address, String recoveryCode) {
        @Override
        public String toString() {
            return "NewAccount[" + address + "]";
        }
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
     * ({@link Custody}), the passkey and a recovery code, in one transaction.
     */
    NewAccount createAccount(WebAuthnCredentialRecord record) {
        return QuarkusTransaction.requiringNew().call(() -> {
            WalletAddress address = custody.create();
            UserEntity user = new UserEntity();
            user.address = address.value();
            user.kind = UserEntity.Kind.PASSKEY;
            user.createdAt = clock.instant();
            user.lastSignInAt = user.createdAt;
            user.persist();
            em.flush();
            insert(address, record, PasskeyName.numbered(1), user.createdAt);
            return new NewAccount(address, recoveryCodes.renew(address, user.createdAt));
        });
    }

    /** The account's passkeys, oldest first; none for a wallet account. */
    List<Passkey> passkeys(WalletAddress address) {
        return QuarkusTransaction.requiringNew().call(() -> passkeysOf(address));
    }

    @SuppressWarnings("unchecked")
    private List<Passkey> passkeysOf(WalletAddress address) {
        return ((List<Object[]>) em.createNativeQuery(
                        "select id, name, created_at, last_used_at from accounts_passkey where address = ?1 order by created_at, id")
                .setParameter(1, address.value()).getResultList()).stream()
                .map(r -> new Passkey((UUID) r[0], (String) r[1], instant(r[2]), instant(r[3])))
                .toList();
    }

    /** Refuses (403) anyone but a passkey account: a wallet account has no passkeys to manage. */
    void requirePasskeyAccount(WalletAddress address) {
        UserEntity user = QuarkusTransaction.requiringNew().call(() -> UserEntity.<UserEntity>findById(address.value()));
        if (user == null || user.kind != UserEntity.Kind.PASSKEY) {
            throw DomainException.forbidden(WALLET_ACCOUNT);
        }
    }

    /**
     * A verified registration by a signed-in passkey account ({@link MyPasskeysResource}): one more
     * passkey of that account; named "Passkey n" when {@code name} is null.
     */
    Passkey add(WalletAddress address, WebAuthnCredentialRecord record, PasskeyName name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long held = lockPasskeyAccount(address);
            if (held >= MAX_PER_ACCOUNT) {
                throw DomainException.conflict("This account already has " + held + " passkeys, the most it may hold; remove one first");
            }
            Number taken = (Number) em.createNativeQuery("select count(*) from accounts_passkey where credential_id = ?1")
                    .setParameter(1, record.getCredentialID()).getSingleResult();
            if (taken.longValue() > 0) {
                throw DomainException.conflict("This passkey is already registered here");
            }
            Instant now = clock.instant();
            PasskeyName named = name != null ? name : PasskeyName.numbered(held + 1);
            return new Passkey(insert(address, record, named, now), named.value(), now, null);
        });
    }

    /** Renames one of the account's passkeys; another's, or an unknown id, is a 404. */
    Passkey rename(WalletAddress address, UUID id, PasskeyName name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int changed = em.createNativeQuery("update accounts_passkey set name = ?1 where id = ?2 and address = ?3")
                    .setParameter(1, name.value()).setParameter(2, id).setParameter(3, address.value()).executeUpdate();
            if (changed == 0) {
                throw notYours(id);
            }
            return passkeysOf(address).stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
        });
    }

    /**
     * Removes one of the account's passkeys, never its last (409): without one, only its recovery
     * code would open it. The account's row is locked first, so two removals at once cannot both
     * leave it without a passkey.
     */
    void remove(WalletAddress address, UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            long held = lockPasskeyAccount(address);
            Number found = (Number) em.createNativeQuery("select count(*) from accounts_passkey where id = ?1 and address = ?2")
                    .setParameter(1, id).setParameter(2, address.value()).getSingleResult();
            if (found.longValue() == 0) {
                throw notYours(id);
            }
            if (held <= 1) {
                throw DomainException.conflict("This is the account's last passkey: add another one before you remove it, "
                        + "or the account could only be opened with its recovery code");
            }
            em.createNativeQuery("delete from accounts_passkey where id = ?1 and address = ?2")
                    .setParameter(1, id).setParameter(2, address.value()).executeUpdate();
        });
    }

    /** Locks the passkey account's row (403 for a wallet account) and counts its passkeys. */
    private long lockPasskeyAccount(WalletAddress address) {
        @SuppressWarnings("unchecked")
        List<String> kind = em.createNativeQuery("select kind from accounts_user where address = ?1 for update")
                .setParameter(1, address.value()).getResultList();
        if (kind.isEmpty() || !UserEntity.Kind.PASSKEY.name().equals(kind.get(0))) {
            throw DomainException.forbidden(WALLET_ACCOUNT);
        }
        return ((Number) em.createNativeQuery("select count(*) from accounts_passkey where address = ?1")
                .setParameter(1, address.value()).getSingleResult()).longValue();
    }

    private static DomainException notYours(UUID id) {
        return DomainException.notFound("You have no passkey with id " + id + "; GET /api/me/passkeys lists yours");
    }

    private UUID insert(WalletAddress address, WebAuthnCredentialRecord record, PasskeyName name, Instant now) {
        WebAuthnCredentialRecord.RequiredPersistedData data = record.getRequiredPersistedData();
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into accounts_passkey (id, credential_id, address, aaguid, public_key, algorithm, counter, name, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)""")
                .setParameter(1, id).setParameter(2, data.credentialId()).setParameter(3, address.value())
                .setParameter(4, data.aaguid()).setParameter(5, data.publicKey()).setParameter(6, data.publicKeyAlgorithm())
                .setParameter(7, data.counter()).setParameter(8, name.value()).setParameter(9, now).executeUpdate();
        return id;
    }

    /** A timestamp column of a native query, whichever Java type the driver chose for it. */
    static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass());
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
