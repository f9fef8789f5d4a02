package pools;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import platform.DomainException;

/**
 * What a lease runs: an OCI image, the SSH public key that may log in to it, and its environment.
 * The market takes it with an order (or a slot's holder sets it); the lease feed hands it to the node
 * agent, which starts it with only the leased GPUs visible. Bounded here, where it is parsed, so
 * nothing larger than these limits reaches the database, the feed or a host's container runtime.
 */
public record Workload(String image, String sshPublicKey, Map<String, String> env) {

    public static final int MAX_IMAGE_LENGTH = 255;
    public static final int MAX_KEY_LENGTH = 2_000;
    public static final int MAX_ENV_ENTRIES = 64;
    public static final int MAX_ENV_NAME_LENGTH = 64;
    public static final int MAX_ENV_VALUE_LENGTH = 1_024;

    /** An OCI reference: [registry[:port]/]path[:tag][@sha256:digest], lowercase path as the distribution spec says. */
    private static final Pattern IMAGE = Pattern.compile(
            "(?:[a-zA-Z0-9.-]+(?::[0-9]{1,5})?/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    /** One OpenSSH public key line: its type, base64 body and an optional comment, nothing that could start a second line. */
    private static final Pattern SSH_KEY = Pattern.compile(
            "(?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com)"
                    + " [A-Za-z0-9+/]+={0,3}(?: [\\x20-\\x7e]*)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Workload {
        if (image == null || image.isBlank()) {
            throw DomainException.invalid("workload.image: say which OCI image to run, such as docker.io/library/ubuntu:24.04");
        }
        if (image.length() > MAX_IMAGE_LENGTH || !IMAGE.matcher(image).matches()) {
            throw DomainException.invalid("workload.image: not an OCI image reference of at most " + MAX_IMAGE_LENGTH
                    + " characters, such as docker.io/library/ubuntu:24.04 or ghcr.io/org/app@sha256:…");
        }
        if (sshPublicKey != null) {
            sshPublicKey = sshPublicKey.strip();
            if (sshPublicKey.isEmpty()) {
                sshPublicKey = null;
            } else if (sshPublicKey.length() > MAX_KEY_LENGTH || !SSH_KEY.matcher(sshPublicKey).matches()) {
                throw DomainException.invalid("workload.sshPublicKey: not one OpenSSH public key line of at most " + MAX_KEY_LENGTH
                        + " characters, such as \"ssh-ed25519 AAAAC3Nza… me@laptop\"");
            }
        }
        env = env == null ? Map.of() : env;
        if (env.size() > MAX_ENV_ENTRIES) {
            throw DomainException.invalid("workload.env: at most " + MAX_ENV_ENTRIES + " variables");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name == null || name.length() > MAX_ENV_NAME_LENGTH || !ENV_NAME.matcher(name).matches()) {
                throw DomainException.invalid("workload.env: a variable's name is letters, digits and _ (not first), at most "
                        + MAX_ENV_NAME_LENGTH + " characters");
            }
            if (value == null || value.length() > MAX_ENV_VALUE_LENGTH || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                throw DomainException.invalid("workload.env." + name + ": a value of at most " + MAX_ENV_VALUE_LENGTH
                        + " characters on one line");
            }
            sorted.put(name, value);
        });
        env = Collections.unmodifiableMap(sorted);
    }
}
