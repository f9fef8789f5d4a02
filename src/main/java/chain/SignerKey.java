package chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;
import platform.SecretFiles;

/**
 * The platform's signer: from configuration, or generated once into {@code <data-dir>/chain/signer.key}.
 * The file is never readable by anyone but its owner, not even for a moment: the key is written to
 * a temporary file that is created with mode 600, and then published under its name with a hard
 * link, which fails if the name exists (so two instances starting at once on one data directory
 * end up with the same key, and a reader never sees a half-written file). Only the address is ever
 * logged.
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
                if (SecretFiles.publish(file, Numeric.toHexStringWithPrefixZeroPadded(key.getPrivateKey(), 64))) {
                    Credentials credentials = Credentials.create(key);
                    LOG.infof("Generated the platform signer %s into %s", credentials.getAddress(), file);
                    return credentials;
                }
                // another process published its key first: use that one
            }
            SecretFiles.restrictToOwner(file);
            return Credentials.create(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the platform signer key " + file, e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a signer key", e);
        }
    }
}
