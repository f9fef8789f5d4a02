package gpu.cli;

import java.nio.file.Path;
import org.web3j.crypto.ECKeyPair;

/** Lets tests outside the package read a key file the way the CLI does. */
public final class CliKeys {

    private CliKeys() {
    }

    public static ECKeyPair read(Path file) {
        return KeyFile.read(file);
    }
}
