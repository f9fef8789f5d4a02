package gpu.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs workloads through an operator's script, {@code <script> start|stop|status <leaseId>}, run
 * directly (never through a shell) with only PATH, HOME and LANG of the agent's environment plus
 * the lease's facts:
 * <ul>
 *   <li>{@code start}: gets BC_LEASE_ID, BC_LEASE_KIND, BC_LEASE_START, BC_LEASE_END (ISO-8601; empty
 *       when open-ended), BC_GPU_UUIDS (this host's GPUs of the lease, comma-separated), BC_IMAGE,
 *       BC_SSH_PUBLIC_KEY (empty when none) and each of the workload's variables as BC_ENV_&lt;NAME&gt;.
 *       Exit 0 once the workload runs, printing its endpoint {@code host:port} as the last line of
 *       stdout (optional); any other exit status means it failed, the last line of stderr saying why.</li>
 *   <li>{@code status}: exit 0 with a first line of stdout {@code running [host:port]} when it runs;
 *       anything else means it does not, the last line of output saying why.</li>
 *   <li>{@code stop}: stops and removes it; exit 0 when it is gone, also when there was none.</li>
 * </ul>
 * The values come from the lease feed: the agent has checked their shape, but the script must still
 * treat them as data (quote them; never eval them).
 */
final class ExecRuntime implements WorkloadRuntime {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(20);

    private final Path script;

    ExecRuntime(Path script) {
        this.script = script.toAbsolutePath();
    }

    /** The start call's environment: the lease's facts, nothing else of the agent's. */
    static Map<String, String> startEnvironment(LeaseFacts lease) {
        Map<String, String> env = new TreeMap<>();
        lease.env().forEach((name, value) -> env.put("BC_ENV_" + name, value));
        env.put("BC_LEASE_ID", lease.leaseId());
        env.put("BC_LEASE_KIND", lease.kind());
        env.put("BC_LEASE_START", lease.start().toString());
        env.put("BC_LEASE_END", lease.end() == null ? "" : lease.end().toString());
        env.put("BC_GPU_UUIDS", String.join(",", lease.gpuUuids()));
        env.put("BC_IMAGE", lease.image());
        env.put("BC_SSH_PUBLIC_KEY", lease.sshPublicKey() == null ? "" : lease.sshPublicKey());
        return env;
    }

    List<String> command(String action, String leaseId) {
        return List.of(script.toString(), action, leaseId);
    }

    @Override
    public void check() {
        if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
            throw new CliFailure(ExitCode.USAGE, "--runtime exec:" + script + ": no executable file there (chmod +x it)");
        }
    }

    @Override
    public Outcome start(LeaseFacts lease) {
        Processes.Result start = Processes.attempt(command("start", lease.leaseId()), startEnvironment(lease), START_TIMEOUT);
        return start.ok() ? Outcome.running(Processes.Result.lastLine(start.out())) : Outcome.failed(start.reason());
    }

    @Override
    public Outcome status(String leaseId) {
        Processes.Result status = Processes.attempt(command("status", leaseId), Map.of("BC_LEASE_ID", leaseId), STATUS_TIMEOUT);
        String[] first = status.out().lines().findFirst().orElse("").strip().split(" ", 2);
        if (status.ok() && first[0].equals("running")) {
            return Outcome.running(first.length > 1 ? first[1].strip() : null);
        }
        return Outcome.failed(status.reason());
    }

    @Override
    public boolean stop(String leaseId) {
        return Processes.attempt(command("stop", leaseId), Map.of("BC_LEASE_ID", leaseId), STOP_TIMEOUT).ok();
    }
}
