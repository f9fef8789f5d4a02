package accounts;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;
import platform.PlatformConfig;
import platform.SecretFiles;

/**
 * The keys of managed wallets (issue 11), held by the platform: each private key is encrypted with
 * Tink's envelope encryption, a fresh AES-256-GCM data key per key wrapped by the master keyset
 * ({@code bc.custody.master-key}, a Tink JSON keyset, or {@code <data-dir>/custody/master-key.json},
 * made with mode 600 on the first start), with the wallet's address as associated data. Keys are
 * made, stored and used here only: {@link #sign} decrypts a key for one signature and forgets it; no
 * key or keyset is ever logged or handed out. At start it decrypts the
 * canary the master keyset encrypted on the first start, and refuses to start with another one.
 */
@ApplicationScoped
@Startup
class Custody {

    private static final Logger LOG = Logger.getLogger(Custody.class);
    private static final byte[] CANARY = "berkeley-compute custody canary".getBytes(StandardCharsets.US_ASCII);

    private final EntityManager em;
    private final Clock clock;
    private final Aead envelope;
    private final int primaryKeyId;

    @Inject
    Custody(EntityManager em, Clock clock, AccountsConfig config, PlatformConfig platform) {
        this(em, clock, masterKeyset(config.custody().masterKey(), platform.dataDir().resolve("custody").resolve("master-key.json")));
        checkCanary();
        int rewrapped = rewrap();
        if (rewrapped > 0) {
            LOG.infof("Re-encrypted %d managed wallet keys and canary under the custody keyset's primary key %d", rewrapped, primaryKeyId);
        }
    }

    Custody(EntityManager em, Clock clock, KeysetHandle master) {
        this.em = em;
        this.clock = clock;
        this.primaryKeyId = master.getPrimary().getId();
        try {
            this.envelope = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM,
                    master.getPrimitive(RegistryConfiguration.get(), Aead.class));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The custody master keyset is not an AEAD keyset: " + e.getMessage(), e);
        }
    }

    /** The master keyset: configured, else the data directory's (made on the first start). */
    static KeysetHandle masterKeyset(Optional<String> configured, Path file) {
        try {
            AeadConfig.register();
            if (configured.isPresent() && !configured.get().isBlank()) {
                return parse(configured.get(), "bc.custody.master-key (BC_CUSTODY_MASTER_KEY)");
            }
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                KeysetHandle fresh = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
                if (SecretFiles.publish(file, TinkJsonProtoKeysetFormat.serializeKeyset(fresh, InsecureSecretKeyAccess.get()))) {
                    LOG.infof("Generated the custody master keyset (key id %d) into %s", fresh.getPrimary().getId(), file);
                    return fresh;
                }
            }
            SecretFiles.restrictToOwner(file);
            return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the custody master keyset " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a custody master keyset: " + e.getMessage(), e);
        }
    }

    private static KeysetHandle parse(String json, String from) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("The custody master keyset from " + from + " is not a Tink JSON keyset", e);
        }
    }

    /** On the first start, encrypts the canary; on every later one, decrypts it or stops the start. */
    void checkCanary() {
        QuarkusTransaction.requiringNew().run(() -> {
            @SuppressWarnings("unchecked")
            List<byte[]> rows = em.createNativeQuery("select ciphertext from accounts_custody_canary where id = 1").getResultList();
            if (rows.isEmpty()) {
                em.createNativeQuery("insert into accounts_custody_canary (id, ciphertext, created_at) values (1, ?1, ?2) on conflict do nothing")
                        .setParameter(1, encrypt(CANARY, CANARY)).setParameter(2, clock.instant()).executeUpdate();
                return;
            }
            try {
                if (!Arrays.equals(envelope.decrypt(rows.get(0), CANARY), CANARY)) {
                    throw new GeneralSecurityException("the canary decrypted to something else");
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Refusing to start: the custody master key is not the one that encrypted this database's"
                        + " managed wallet keys (set bc.custody.master-key / BC_CUSTODY_MASTER_KEY, or restore"
                        + " <data-dir>/custody/master-key.json, to the keyset used before)");
            }
        });
    }

    /**
     * After a rotation (a new primary key added to the master keyset, the old ones kept): encrypts
     * again under the primary key every managed key and the canary that an older key of the keyset
     * wrapped, so the old keys can later leave the keyset. Rows another replica is rewrapping are
     * skipped (it does them). The number of rows rewrapped.
     */
    int rewrap() {
        return QuarkusTransaction.requiringNew().call(() -> {
            int done = 0;
            @SuppressWarnings("unchecked")
            List<Object[]> keys = em.createNativeQuery("select address, ciphertext from accounts_managed_key for update skip locked")
                    .getResultList();
            for (Object[] row : keys) {
                byte[] associated = associated(WalletAddress.of((String) row[0]));
                byte[] ciphertext = (byte[]) row[1];
                if (wrappingKeyId(ciphertext) != primaryKeyId) {
                    em.createNativeQuery("update accounts_managed_key set ciphertext = ?1 where address = ?2")
                            .setParameter(1, reencrypt(ciphertext, associated)).setParameter(2, row[0]).executeUpdate();
                    done++;
                }
            }
            @SuppressWarnings("unchecked")
            List<byte[]> canary = em.createNativeQuery("select ciphertext from accounts_custody_canary where id = 1 for update skip locked")
                    .getResultList();
            if (!canary.isEmpty() && wrappingKeyId(canary.get(0)) != primaryKeyId) {
                em.createNativeQuery("update accounts_custody_canary set ciphertext = ?1 where id = 1")
                        .setParameter(1, reencrypt(canary.get(0), CANARY)).executeUpdate();
                done++;
            }
            return done;
        });
    }

    /**
     * The id of the master key that wrapped an envelope's data key: the envelope is the wrapped data
     * key's length (4 bytes), the wrapped key, then the payload; a keyset's ciphertext starts with
     * Tink's prefix, a version byte and the key's id (4 bytes).
     */
    static int wrappingKeyId(byte[] envelopeCiphertext) {
        return java.nio.ByteBuffer.wrap(envelopeCiphertext, 5, 4).getInt();
    }

    private byte[] reencrypt(byte[] ciphertext, byte[] associated) {
        byte[] plaintext = null;
        try {
            plaintext = envelope.decrypt(ciphertext, associated);
            return encrypt(plaintext, associated);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A managed key does not decrypt with the custody keyset", e);
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /** A new managed wallet: a fresh key, stored encrypted under its address (in the caller's transaction). */
    WalletAddress create() {
        try {
            return store(Keys.createEcKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a managed wallet key", e);
        }
    }

    /** Stores {@code key} encrypted under its address; the address. */
    WalletAddress store(ECKeyPair key) {
        WalletAddress address = WalletAddress.of("0x" + Keys.getAddress(key.getPublicKey()));
        byte[] secret = toBytes32(key.getPrivateKey());
        try {
            em.createNativeQuery("insert into accounts_managed_key (address, ciphertext, created_at) values (?1, ?2, ?3)")
                    .setParameter(1, address.value()).setParameter(2, encrypt(secret, associated(address)))
                    .setParameter(3, clock.instant()).executeUpdate();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return address;
    }

    /**
     * Signs {@code tx} for chain {@code chainId} with the key of the managed wallet {@code address}
     * (EIP-155/1559 signed bytes); the decrypted key lives only for this call. Refused for an address
     * whose key the platform does not hold.
     */
    byte[] sign(WalletAddress address, RawTransaction tx, long chainId) {
        byte[] secret = decrypt(address)
                .orElseThrow(() -> new IllegalArgumentException("The platform holds no key for " + address.value()));
        try {
            return TransactionEncoder.signMessage(tx, chainId, Credentials.create(ECKeyPair.create(secret)));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    boolean isManaged(WalletAddress address) {
        return !em.createNativeQuery("select 1 from accounts_managed_key where address = ?1")
                .setParameter(1, address.value()).getResultList().isEmpty();
    }

    private Optional<byte[]> decrypt(WalletAddress address) {
        @SuppressWarnings("unchecked")
        List<byte[]> rows = em.createNativeQuery("select ciphertext from accounts_managed_key where address = ?1")
                .setParameter(1, address.value()).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(envelope.decrypt(rows.get(0), associated(address)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The managed key of " + address.value() + " does not decrypt with the custody keyset", e);
        }
    }

    /** Whether the stored key of {@code address} decrypts to {@code key} (for the custody test). */
    boolean holds(WalletAddress address, ECKeyPair key) {
        return decrypt(address).map(secret -> Arrays.equals(secret, toBytes32(key.getPrivateKey()))).orElse(false);
    }

    private byte[] encrypt(byte[] plaintext, byte[] associated) {
        try {
            return envelope.encrypt(plaintext, associated);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt with the custody keyset", e);
        }
    }

    private static byte[] associated(WalletAddress address) {
        return ("accounts_managed_key:" + address.value()).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] toBytes32(BigInteger value) {
        return Numeric.toBytesPadded(value, 32);
    }
}
