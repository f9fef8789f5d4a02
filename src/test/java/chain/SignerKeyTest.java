package chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/** The generated platform signer key: owner-only from the moment it exists, complete, and one per data directory. */
class SignerKeyTest {

    @TempDir
    Path work;

    @Test
    void aGeneratedKeyIsOwnerOnlyAndLeavesNoTemporaryFileBehind() throws Exception {
        Credentials signer = SignerKey.load(Optional.empty(), work);

        Path file = work.resolve("chain/signer.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Credentials.create(Files.readString(file).trim()).getAddress()).isEqualTo(signer.getAddress());
        try (var files = Files.list(work.resolve("chain"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("signer.key");
        }
        assertThat(SignerKey.load(Optional.empty(), work).getAddress()).as("the same key on the next start").isEqualTo(signer.getAddress());
    }

    @Test
    void instancesStartingAtOnceOnOneDataDirectoryShareOneKeyThatIsNeverSeenLooseOrHalfWritten() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            for (int round = 0; round < 25; round++) {
                Path dataDir = work.resolve("round-" + round);
                Path file = dataDir.resolve("chain/signer.key");
                Set<String> sightings = ConcurrentHashMap.newKeySet();
                AtomicBoolean watching = new AtomicBoolean(true);
                Future<?> watcher = pool.submit(() -> {
                    while (watching.get()) {
                        sightings.add(look(file));
                    }
                    return null;
                });
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<String>> loads = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    loads.add(pool.submit(() -> {
                        start.await();
                        return SignerKey.load(Optional.empty(), dataDir).getAddress();
                    }));
                }
                Set<String> addresses = ConcurrentHashMap.newKeySet();
                for (Future<String> load : loads) {
                    addresses.add(load.get()); // rethrows a failed load
                }
                watching.set(false);
                watcher.get();

                assertThat(addresses).as("one key for the data directory (round " + round + ")").hasSize(1);
                assertThat(sightings).as("what a reader could see of the key file (round " + round + ")")
                        .isSubsetOf("absent", "rw------- complete");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyFileLeftReadableByOthersIsRestricted() throws Exception {
        Path file = work.resolve("chain/signer.key");
        Files.createDirectories(file.getParent());
        Files.writeString(file, TestChain.ACCOUNTS.get(1).getEcKeyPair().getPrivateKey().toString(16));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(SignerKey.load(Optional.empty(), work).getAddress()).isEqualTo(TestChain.ACCOUNTS.get(1).getAddress());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    private static String look(Path file) {
        try {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
            String content = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return mode + (content.matches("0x[0-9a-f]{64}") ? " complete" : " incomplete");
        } catch (NoSuchFileException absent) {
            return "absent";
        } catch (java.io.IOException e) {
            return "unreadable: " + e;
        }
    }
}
