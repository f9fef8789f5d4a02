package chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * The platform's signer: from configuration, or generated once into {@code <data-dir>/chain/signer.key}
 * (owner-only permissions). Only the address is ever logged.
 */
final class SignerKey {

    private static final Logger LOG = Logger.getLogger(SignerKey.class);

    private SignerKey() {
    }

    static Credentials load(Optional<String> configured, Path dataDir) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return Credentials.create(configured.get().trim());
        }
        Path file = dataDir.resolve("chain").resolve("signer.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                ECKeyPair key = Keys.createEcKeyPair();
                Files.writeString(file, Numeric.toHexStringWithPrefixZeroPadded(key.getPrivateKey(), 64),
                        StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                restrictToOwner(file);
                Credentials credentials = Credentials.create(key);
                LOG.infof("Generated the platform signer %s into %s", credentials.getAddress(), file);
                return credentials;
            }
            restrictToOwner(file);
            return Credentials.create(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the platform signer key " + file, e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a signer key", e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: nothing more we can do
        }
    }
}
