package gpu.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** A signing key in a file: 64 hex digits (optionally 0x-prefixed), the way wallets export a private key. */
final class KeyFile {

    private KeyFile() {
    }

    static ECKeyPair read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new CliFailure(ExitCode.FILE, "cannot read the key file " + file + ": " + e.getMessage());
        }
        String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new CliFailure(ExitCode.FILE, "the key file " + file + " does not hold a private key (64 hex digits)");
        }
        BigInteger key = new BigInteger(hex, 16);
        if (key.signum() == 0 || key.compareTo(Sign.CURVE_PARAMS.getN()) >= 0) {
            throw new CliFailure(ExitCode.FILE, "the key file " + file + " does not hold a valid secp256k1 private key");
        }
        return ECKeyPair.create(key);
    }

    /** Writes a new random key, readable by its owner only; the address it signs as. */
    static String create(Path file, SecureRandom random) {
        BigInteger key;
        do {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            key = new BigInteger(1, bytes);
        } while (key.signum() == 0 || key.compareTo(Sign.CURVE_PARAMS.getN()) >= 0);
        String hex = "0x" + HexFormat.of().formatHex(toBytes32(key)) + "\n";
        try {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.writeString(file, "", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file keeps its folder's permissions
            }
            Files.writeString(file, hex, StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            throw new CliFailure(ExitCode.FILE, file + " already exists; keygen never overwrites a key");
        } catch (IOException e) {
            throw new CliFailure(ExitCode.FILE, "cannot write the key file " + file + ": " + e.getMessage());
        }
        return address(ECKeyPair.create(key));
    }

    /** The EIP-55 address of a key. */
    static String address(ECKeyPair key) {
        return Keys.toChecksumAddress("0x" + Keys.getAddress(key));
    }

    private static byte[] toBytes32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }
}
