package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One lease of the feed as this host runs it: the lease's facts and the host's GPUs it holds. Every
 * value comes from the server and is treated as untrusted: {@link #from} checks each against the
 * same bounds the server applies ({@code pools.Workload}) before any of it reaches a command line or
 * an environment, so a lease id is usable as a container name, an image cannot be read as an
 * option, and nothing carries a line break.
 */
record LeaseFacts(String leaseId, String kind, Instant start, Instant end, List<String> gpuUuids, String image,
                  String sshPublicKey, Map<String, String> env) {

    /** A lease id usable as (part of) a container name and as an argument that is never an option. */
    static final Pattern LEASE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern KIND = Pattern.compile("[A-Za-z_]{1,32}");
    /** An OCI reference as pools.Workload accepts it. */
    private static final Pattern IMAGE = Pattern.compile(
            "(?:[a-zA-Z0-9.-]+(?::[0-9]{1,5})?/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    private static final Pattern SSH_KEY = Pattern.compile("[a-z0-9@.-]{1,64} [A-Za-z0-9+/]+={0,3}(?: [\\x20-\\x7e]*)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final int MAX_IMAGE = 255;
    private static final int MAX_KEY = 2_000;
    private static final int MAX_ENV = 64;
    private static final int MAX_ENV_VALUE = 1_024;

    /** Why a lease of the feed cannot be run on this host. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    LeaseFacts {
        gpuUuids = List.copyOf(gpuUuids);
        env = Collections.unmodifiableMap(new TreeMap<>(env));
    }

    /** Whether the lease runs at {@code now} (its start reached, its end not; no end = open-ended). */
    boolean currentAt(Instant now) {
        return !start.isAfter(now) && (end == null || now.isBefore(end));
    }

    /**
     * The facts of one lease from one of its entries in the feed (there is one per GPU, all for the
     * same lease), holding {@code gpuUuids}: this host's spelling of the GPUs that its entries name.
     */
    static LeaseFacts from(String leaseId, JsonNode entry, List<String> gpuUuids) throws Unusable {
        if (!LEASE_ID.matcher(leaseId).matches()) {
            throw new Unusable("the lease id is not 1 to 100 letters, digits, '_', '.' or '-'");
        }
        String kind = entry.path("kind").asText("");
        if (!KIND.matcher(kind).matches()) {
            throw new Unusable("the lease's kind is not a word");
        }
        Instant start = instant(entry.path("start"), "start");
        Instant end = entry.path("end").isNull() || entry.path("end").isMissingNode() ? null : instant(entry.path("end"), "end");
        JsonNode workload = entry.path("workload");
        if (!workload.isObject()) {
            throw new Unusable("the lease has no workload yet");
        }
        String image = workload.path("image").asText("");
        if (image.length() > MAX_IMAGE || !IMAGE.matcher(image).matches()) {
            throw new Unusable("the workload's image is not an OCI reference of at most " + MAX_IMAGE + " characters");
        }
        String key = workload.path("sshPublicKey").isTextual() ? workload.path("sshPublicKey").asText() : null;
        if (key != null && (key.length() > MAX_KEY || !SSH_KEY.matcher(key).matches())) {
            throw new Unusable("the workload's SSH public key is not one OpenSSH key line");
        }
        Map<String, String> env = new TreeMap<>();
        JsonNode vars = workload.path("env");
        if (vars.size() > MAX_ENV) {
            throw new Unusable("the workload has more than " + MAX_ENV + " environment variables");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = vars.isObject() ? vars.fields() : Collections.emptyIterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> var = it.next();
            String value = var.getValue().asText("");
            if (!ENV_NAME.matcher(var.getKey()).matches() || !var.getValue().isTextual() || value.length() > MAX_ENV_VALUE
                    || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new Unusable("the workload's environment has a variable that is not NAME=value on one line");
            }
            env.put(var.getKey(), value);
        }
        return new LeaseFacts(leaseId, kind, start, end, gpuUuids, image, key, env);
    }

    private static Instant instant(JsonNode node, String field) throws Unusable {
        try {
            return Instant.parse(node.asText(""));
        } catch (DateTimeParseException e) {
            throw new Unusable("the lease's " + field + " is not a time");
        }
    }
}
