package chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

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
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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
                if (publish(file, Numeric.toHexStringWithPrefixZeroPadded(key.getPrivateKey(), 64))) {
                    Credentials credentials = Credentials.create(key);
                    LOG.infof("Generated the platform signer %s into %s", credentials.getAddress(), file);
                    return credentials;
                }
                // another process published its key first: use that one
            }
            restrictToOwner(file);
            return Credentials.create(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the platform signer key " + file, e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a signer key", e);
        }
    }

    /** Writes {@code secret} to {@code file} (mode 600 from its creation on); false when the file exists already. */
    static boolean publish(Path file, String secret) throws IOException {
        Path temporary = createOwnerOnly(file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid()
                + "." + Thread.currentThread().getId() + ".tmp"));
        try {
            Files.writeString(temporary, secret, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            try {
                Files.createLink(file, temporary);
                return true;
            } catch (FileAlreadyExistsException taken) {
                return false;
            } catch (UnsupportedOperationException noHardLinks) {
                try {
                    Files.move(temporary, file); // not atomic against a second writer, but never replaces a key
                    return true;
                } catch (FileAlreadyExistsException taken) {
                    return false;
                }
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path createOwnerOnly(Path path) throws IOException {
        Files.deleteIfExists(path); // left over by a crash of this very process id
        try {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return Files.createFile(path, ownerOnly);
        } catch (UnsupportedOperationException notPosix) {
            return Files.createFile(path); // a file system without POSIX permissions: nothing more we can do
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                LOG.warnf("%s was readable by others; it is now restricted to its owner", file);
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: nothing more we can do
        }
    }
}
