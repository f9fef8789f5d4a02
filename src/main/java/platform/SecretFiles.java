package platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Secrets the server keeps in its data directory (the platform signer's key, the custody master
 * key): written with mode 600 from their creation on and published under their name by a hard link,
 * which fails if the name exists, so two instances starting at once on one data directory end up
 * with the same secret and a reader never sees a half-written file.
 */
public final class SecretFiles {

    private static final Logger LOG = Logger.getLogger(SecretFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFiles() {
    }

    /** Writes {@code secret} to {@code file} (mode 600 from its creation on); false when the file exists already. */
    public static boolean publish(Path file, String secret) throws IOException {
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
                    // a file system without hard links: a move is not atomic against a second writer, but it never replaces a secret
                    Files.move(temporary, file);
                    return true;
                } catch (FileAlreadyExistsException taken) {
                    return false;
                }
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Makes {@code file} readable by its owner only, saying so when it was not. */
    public static void restrictToOwner(Path file) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                LOG.warnf("%s was readable by others; it is now restricted to its owner", file);
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions (not Linux or macOS): its own access rules apply
        }
    }

    private static Path createOwnerOnly(Path path) throws IOException {
        Files.deleteIfExists(path); // left over by a crash of this very process id
        try {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return Files.createFile(path, ownerOnly);
        } catch (UnsupportedOperationException notPosix) {
            return Files.createFile(path); // a file system without POSIX permissions: its own access rules apply
        }
    }
}
