package gpu.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs each lease's workload as a Docker container named {@code bc-<leaseId>}, with only the lease's
 * GPUs of this host visible (NVIDIA Container Toolkit), its environment, the SSH public key in
 * {@code BC_SSH_PUBLIC_KEY}, and its SSH port 22 published on a port Docker picks; the endpoint is
 * {@code <public host>:<that port>}. Docker never restarts it ({@code --restart no}). The image's
 * convention (README): its entrypoint writes {@code $BC_SSH_PUBLIC_KEY} to the login user's
 * {@code ~/.ssh/authorized_keys} and runs sshd on port 22.
 */
final class DockerRuntime implements WorkloadRuntime {

    static final String SSH_PORT = "22/tcp";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(15); // includes pulling the image
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUICK_TIMEOUT = Duration.ofSeconds(20);

    private final String docker;
    private final String publicHost;

    DockerRuntime(String docker, String publicHost) {
        this.docker = docker;
        this.publicHost = publicHost;
    }

    static String containerName(String leaseId) {
        return "bc-" + leaseId;
    }

    /** {@code docker run} for the lease, as an argument list: every value from the feed is one argument, after its flag. */
    List<String> runCommand(LeaseFacts lease) {
        List<String> command = new ArrayList<>(List.of(docker, "run", "--detach", "--name", containerName(lease.leaseId()),
                "--label", "berkeley-compute.lease=" + lease.leaseId(), "--restart", "no",
                // --gpus reads its value as CSV: the quotes keep "device=a,b" one field
                "--gpus", "\"device=" + String.join(",", lease.gpuUuids()) + "\"",
                "--publish", SSH_PORT.substring(0, SSH_PORT.indexOf('/'))));
        lease.env().forEach((name, value) -> command.addAll(List.of("--env", name + "=" + value)));
        // the agent's own variables come last, so that the workload's environment cannot replace them
        command.addAll(List.of("--env", "BC_LEASE_ID=" + lease.leaseId()));
        if (lease.sshPublicKey() != null) {
            command.addAll(List.of("--env", "BC_SSH_PUBLIC_KEY=" + lease.sshPublicKey()));
        }
        command.add(lease.image());
        return command;
    }

    List<String> portCommand(String leaseId) {
        return List.of(docker, "port", containerName(leaseId), SSH_PORT);
    }

    List<String> inspectCommand(String leaseId) {
        return List.of(docker, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", containerName(leaseId));
    }

    List<List<String>> stopCommands(String leaseId) {
        return List.of(List.of(docker, "stop", "--time", "10", containerName(leaseId)),
                List.of(docker, "rm", "--force", containerName(leaseId)));
    }

    @Override
    public void check() {
        Processes.Result version;
        try {
            version = Processes.run(List.of(docker, "version", "--format", "{{.Server.Version}}"), Map.of(), QUICK_TIMEOUT);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.USAGE, "--runtime docker: the docker command is not installed on this host (" + e.getMessage()
                    + "); install Docker and the NVIDIA Container Toolkit, or run workloads with --runtime exec:<script>");
        }
        if (!version.ok()) {
            throw new CliFailure(ExitCode.USAGE, "--runtime docker: the Docker daemon does not answer (" + version.reason()
                    + "); start it, or run workloads with --runtime exec:<script>");
        }
    }

    @Override
    public Outcome start(LeaseFacts lease) {
        Outcome existing = status(lease.leaseId());
        if (existing.running()) {
            return existing; // started by an earlier run of the agent: adopt it rather than start a second
        }
        run(stopCommands(lease.leaseId()).get(1), STOP_TIMEOUT); // a stopped container of the same name would block the name
        Processes.Result run = run(runCommand(lease), START_TIMEOUT);
        if (!run.ok()) {
            return Outcome.failed("docker run: " + run.reason());
        }
        return Outcome.running(endpoint(lease.leaseId()));
    }

    @Override
    public Outcome status(String leaseId) {
        Processes.Result inspect = run(inspectCommand(leaseId), QUICK_TIMEOUT);
        if (!inspect.ok()) {
            return Outcome.failed("no container " + containerName(leaseId));
        }
        String[] state = inspect.out().strip().split(" ");
        if (state[0].equals("running")) {
            return Outcome.running(endpoint(leaseId));
        }
        return Outcome.failed("container " + state[0] + (state.length > 1 ? " with exit code " + state[1] : ""));
    }

    @Override
    public boolean stop(String leaseId) {
        run(stopCommands(leaseId).get(0), STOP_TIMEOUT);
        run(stopCommands(leaseId).get(1), STOP_TIMEOUT);
        return !run(inspectCommand(leaseId), QUICK_TIMEOUT).ok();
    }

    /** {@code <public host>:<host port>} from {@code docker port}'s first line (such as 0.0.0.0:49153), or null. */
    private String endpoint(String leaseId) {
        Processes.Result port = run(portCommand(leaseId), QUICK_TIMEOUT);
        return port.ok() ? endpointFrom(publicHost, port.out()) : null;
    }

    static String endpointFrom(String publicHost, String dockerPortOutput) {
        String first = dockerPortOutput.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        String hostPort = first.substring(first.lastIndexOf(':') + 1);
        return hostPort.matches("[0-9]{1,5}") ? publicHost + ":" + hostPort : null;
    }

    private static Processes.Result run(List<String> command, Duration timeout) {
        return Processes.attempt(command, Map.of(), timeout);
    }
}
