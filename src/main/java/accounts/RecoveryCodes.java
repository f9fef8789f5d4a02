package accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Passkey accounts' recovery codes ({@code accounts_recovery_code}): one per account at most, kept
 * as a salted hash ({@link RecoveryCode}). Each method runs in its caller's transaction.
 */
@ApplicationScoped
class RecoveryCodes {

    private final EntityManager em;

    RecoveryCodes(EntityManager em) {
        this.em = em;
    }

    /** A new code for the account, replacing the one it had: its text, to be shown this once. */
    String renew(WalletAddress address, Instant now) {
        RecoveryCode code = RecoveryCode.random();
        byte[] salt = RecoveryCode.newSalt();
        em.createNativeQuery("""
                        insert into accounts_recovery_code (address, salt, code_hash, created_at) values (?1, ?2, ?3, ?4)
                        on conflict (address) do update set salt = excluded.salt, code_hash = excluded.code_hash,
                            created_at = excluded.created_at""")
                .setParameter(1, address.value()).setParameter(2, salt).setParameter(3, code.hash(salt)).setParameter(4, now)
                .executeUpdate();
        return code.text();
    }

    /**
     * Uses the account's code up if {@code code} is it: the row is locked, compared in constant time
     * and deleted, so two attempts at once cannot both succeed. False, changing nothing, otherwise.
     */
    boolean consume(WalletAddress address, RecoveryCode code) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select salt, code_hash from accounts_recovery_code where address = ?1 for update")
                .setParameter(1, address.value()).getResultList();
        if (rows.isEmpty() || !code.matches((byte[]) rows.get(0)[0], (byte[]) rows.get(0)[1])) {
            return false;
        }
        em.createNativeQuery("delete from accounts_recovery_code where address = ?1").setParameter(1, address.value()).executeUpdate();
        return true;
    }

    /** When the account's current code was made, if it has one. */
    Optional<Instant> madeAt(WalletAddress address) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("select created_at from accounts_recovery_code where address = ?1")
                .setParameter(1, address.value()).getResultList();
        return rows.stream().findFirst().map(PasskeyStore::instant);
    }
}
