package gpu.cli;

import java.util.regex.Pattern;

/**
 * Where the node agent runs leases' workloads: the host's container engine ({@link DockerRuntime})
 * or an operator's script ({@link ExecRuntime}). Each call names the lease; the agent calls one
 * lease's operations one at a time, never two at once.
 */
interface WorkloadRuntime {

    /** host:port, a name or an IPv4/IPv6 address (IPv6 in brackets) and a port: what a customer connects to. */
    Pattern ENDPOINT = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\]):[0-9]{1,5}");

    /** What a start or a status check found: running (with its endpoint, if known) or not, and why. */
    record Outcome(boolean running, String endpoint, String reason) {

        static Outcome running(String endpoint) {
            return new Outcome(true, endpoint != null && ENDPOINT.matcher(endpoint).matches() ? endpoint : null, null);
        }

        static Outcome failed(String reason) {
            return new Outcome(false, null, reason == null || reason.isBlank() ? "failed without saying why" : reason);
        }
    }

    /** Fails with a sentence a person understands when the runtime cannot be used on this host at all. */
    void check();

    /** Starts the lease's workload; returns once it runs (or failed to). */
    Outcome start(LeaseFacts lease);

    /** Whether the lease's workload still runs. */
    Outcome status(String leaseId);

    /** Stops and removes the lease's workload; true when it is gone (also when there was none). */
    boolean stop(String leaseId);

    /** The runtime named by {@code --runtime}: "docker" or "exec:&lt;script&gt;". */
    static WorkloadRuntime named(String name, String publicHost) {
        if (name.equals("docker")) {
            return new DockerRuntime("docker", publicHost);
        }
        if (name.startsWith("exec:") && name.length() > "exec:".length()) {
            return new ExecRuntime(java.nio.file.Path.of(name.substring("exec:".length())));
        }
        throw new CliFailure(ExitCode.USAGE, "--runtime is docker or exec:<script>, not " + name);
    }
}
