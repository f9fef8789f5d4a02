package accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import platform.PlatformConfig;

/**
 * The platform's custody of managed wallets' keys: no table and no file of the data directory holds
 * a key in the clear (neither its bytes nor their hex), the stored key decrypts back to it, and a
 * master keyset other than the one that encrypted the database refuses to start.
 */
@QuarkusTest
class CustodyTest {

    @Inject
    Custody custody;

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PlatformConfig platform;

    @Test
    void noTableAndNoFileOfTheDataDirectoryHoldsAManagedKeyInTheClear() throws Exception {
        ECKeyPair key = Keys.createEcKeyPair();
        WalletAddress address = QuarkusTransaction.requiringNew().call(() -> custody.store(key));
        assertThat(QuarkusTransaction.requiringNew().call(() -> custody.holds(address, key))).isTrue();

        byte[] raw = org.web3j.utils.Numeric.toBytesPadded(key.getPrivateKey(), 32);
        String hex = HexFormat.of().formatHex(raw);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            assertThat(tables).contains("accounts_managed_key");
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("select count(*) from " + table + " t where lower(t::text) like '%" + hex + "%'")) {
                    r.next();
                    assertThat(r.getLong(1)).as("rows of %s with the key's hex", table).isZero();
                }
            }
        }
        Path dataDir = platform.dataDir();
        assertThat(dataDir.resolve("custody").resolve("master-key.json")).exists();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                assertThat(indexOf(content, raw)).as("the key's bytes in %s", file).isNegative();
                assertThat(new String(content, StandardCharsets.ISO_8859_1).toLowerCase()).as("the key's hex in %s", file).doesNotContain(hex);
            }
        }
    }

    @Test
    void anotherMasterKeysetRefusesToStartWithAMessageThatSaysWhy() throws Exception {
        KeysetHandle other = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        Custody wrong = new Custody(em, Clock.systemUTC(), other);
        assertThatThrownBy(wrong::checkCanary).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to start: the custody master key is not the one that encrypted this database")
                .hasMessageContaining("BC_CUSTODY_MASTER_KEY");
        custody.checkCanary(); // the right one passes
    }

    @Test
    void aRotatedKeysetRewrapsEveryKeySoTheOldKeyCanLeaveIt() throws Exception {
        ECKeyPair key = Keys.createEcKeyPair();
        WalletAddress address = QuarkusTransaction.requiringNew().call(() -> custody.store(key));
        KeysetHandle old = Custody.masterKeyset(java.util.Optional.empty(), platform.dataDir().resolve("custody").resolve("master-key.json"));
        KeysetHandle rotated = KeysetHandle.newBuilder(old)
                .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
                .build();
        int newKey = rotated.getPrimary().getId();
        assertThat(new Custody(em, Clock.systemUTC(), rotated).rewrap()).isPositive();
        assertThat(new Custody(em, Clock.systemUTC(), rotated).rewrap()).as("a second start has nothing to do").isZero();

        // the new key alone now decrypts everything: the old one may leave the keyset
        KeysetHandle newOnly = KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(rotated.getPrimary().getKey())
                .withFixedId(newKey).makePrimary()).build();
        Custody afterRotation = new Custody(em, Clock.systemUTC(), newOnly);
        afterRotation.checkCanary();
        assertThat(QuarkusTransaction.requiringNew().call(() -> afterRotation.holds(address, key))).isTrue();

        // back to the keyset this test run started with, for the tests after this one
        KeysetHandle back = KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.importKey(old.getPrimary().getKey()).withFixedId(old.getPrimary().getId()).makePrimary())
                .addEntry(KeysetHandle.importKey(rotated.getPrimary().getKey()).withFixedId(newKey))
                .build();
        assertThat(new Custody(em, Clock.systemUTC(), back).rewrap()).isPositive();
        custody.checkCanary();
        assertThat(QuarkusTransaction.requiringNew().call(() -> custody.holds(address, key))).isTrue();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
