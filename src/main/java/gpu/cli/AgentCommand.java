package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gpu.cuda.Cuda;
import gpu.cuda.CudaUnavailableException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The node agent: on each GPU host, sends one heartbeat for all its GPUs every interval, in the
 * middle of the server's interval (so clock skew of up to half an interval never makes a GPU miss
 * one), and follows the host's lease feed: it starts each lease's workload at the lease's start and
 * stops it at its end or when it leaves the feed ({@link Workloads}), and reports each workload's
 * state and endpoint with the heartbeats. On a thread of its own it answers the spot checks due for
 * the host's GPUs ({@link SpotChecks}). It keeps going through network failures; each missed
 * interval counts as offline on the server.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = "Runs on a GPU host: sends a heartbeat for each of its GPUs every interval, reads back its lease feed,"
                + " runs each lease's workload from its start to its end, and answers the server's spot checks on the GPUs."
                + " The GPUs must be registered and minted under the operator whose API key the agent uses.")
final class AgentCommand implements Callable<Integer> {

    private static final Duration RETRY = Duration.ofSeconds(15);
    /** Past a lease's start or end, so that the server's clock has reached it when the agent looks. */
    private static final Duration BOUNDARY_SLACK = Duration.ofMillis(200);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    /** The host's clock, only for the times printed in the log; the schedule follows the server's time. */
    private final java.time.Clock clock = java.time.Clock.systemUTC();

    @Mixin
    Options.Server server;

    @Option(names = "--gpu", paramLabel = "UUID", split = ",",
            description = "The GPUs to report, by UUID (default: every GPU the NVIDIA driver finds)")
    List<String> gpus;

    @Option(names = "--once", description = "Send one heartbeat, read the lease feed once, and exit, starting and stopping nothing (for a health check)")
    boolean once;

    @Option(names = "--runtime", paramLabel = "RUNTIME", defaultValue = "docker",
            description = "Where leases' workloads run: docker (default; needs Docker and the NVIDIA Container Toolkit)"
                    + " or exec:<script> (the script is called as '<script> start|stop|status <leaseId>'; see the README)")
    String runtime;

    @Option(names = "--public-host", paramLabel = "HOST",
            description = "The name or address customers reach this host at, for the endpoints of docker workloads"
                    + " (default: this host's name)")
    String publicHost;

    @Override
    public Integer call() throws InterruptedException {
        ServerClient client = server.client();
        List<String> uuids = gpus == null || gpus.isEmpty() ? localGpus() : gpus;
        PrintWriter out = spec.commandLine().getOut();
        out.println("Node agent for " + uuids.size() + " GPU(s): " + String.join(", ", uuids));
        if (once) {
            Cycle cycle = cycle(client, uuids, List.of(), out);
            if (cycle.accepted() == 0) {
                throw new CliFailure(ExitCode.FAILED, "the server counted none of this host's GPUs: register and mint them in a pool of"
                        + " the operator this API key belongs to");
            }
            return ExitCode.OK;
        }
        WorkloadRuntime workloadRuntime = WorkloadRuntime.named(runtime, publicHost == null || publicHost.isBlank() ? hostName() : publicHost);
        workloadRuntime.check();
        out.println("Workloads run with --runtime " + runtime);
        Thread spotChecks = new SpotChecks(client, Provers::gpus, out).every(uuids);
        try (Workloads workloads = new Workloads(workloadRuntime, out, clock)) {
            while (true) {
                Cycle cycle;
                try {
                    cycle = cycle(client, uuids, workloads.reports(), out);
                } catch (CliFailure unreachable) {
                    if (unreachable.exitCode() != ExitCode.SERVER || unreachable.getMessage().contains("API key")) {
                        throw unreachable;
                    }
                    spec.commandLine().getErr().println(TIME.format(clock.instant()) + " " + unreachable.getMessage() + "; retrying");
                    spec.commandLine().getErr().flush();
                    Thread.sleep(RETRY.toMillis());
                    continue;
                }
                workloads.follow(cycle.feed(), cycle.serverTime(), uuids);
                Duration sleep = untilNextMiddle(cycle.serverTime(), cycle.interval());
                Optional<Instant> boundary = Workloads.nextBoundary(cycle.feed(), cycle.serverTime(), uuids);
                if (boundary.isPresent()) {
                    Duration untilBoundary = Duration.between(cycle.serverTime(), boundary.get()).plus(BOUNDARY_SLACK);
                    sleep = untilBoundary.compareTo(sleep) < 0 ? untilBoundary : sleep;
                }
                workloads.awaitChange(sleep.toMillis()); // a workload that changed state is reported at once
            }
        } finally {
            spotChecks.interrupt(); // the agent stops: so do its spot checks
        }
    }

    /** One heartbeat (with the workloads' reports) and one read of the lease feed. */
    private record Cycle(int accepted, JsonNode feed, Instant serverTime, Duration interval) {
    }

    private int leasesPrinted = -1;

    private Cycle cycle(ServerClient client, List<String> uuids, List<Workloads.Report> reports, PrintWriter out) {
        Map<String, Object> heartbeat = new LinkedHashMap<>();
        heartbeat.put("gpus", uuids);
        if (!reports.isEmpty()) {
            heartbeat.put("workloads", reports);
        }
        JsonNode receipt = client.expect(client.post("/api/agent/heartbeats", heartbeat), "Sending the heartbeat");
        int accepted = receipt.path("accepted").asInt();
        JsonNode unknown = receipt.path("unknown");
        out.println(TIME.format(clock.instant()) + " heartbeat: " + accepted + " of " + uuids.size() + " GPU(s) counted"
                + (unknown.isEmpty() ? "" : "; not registered and minted under this operator: " + join(unknown))
                + (receipt.path("refusedReports").isEmpty() ? "" : "; reports of leases no longer in the feed: " + join(receipt.path("refusedReports"))));
        JsonNode feed = client.expect(client.get("/api/agent/leases"), "Reading the lease feed");
        JsonNode leases = feed.path("leases");
        if (leases.size() != leasesPrinted) {
            leasesPrinted = leases.size();
            out.println(TIME.format(clock.instant()) + " lease feed: " + leasesPrinted + " lease(s)");
            leases.forEach(lease -> out.println("  " + lease.path("gpuUuid").asText() + " " + lease.path("kind").asText()
                    + " " + lease.path("leaseId").asText() + " until " + lease.path("end").asText()));
        }
        out.flush();
        return new Cycle(accepted, leases, Instant.parse(feed.path("serverTime").asText()),
                Duration.ofSeconds(receipt.path("intervalSeconds").asLong(30)));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            throw new CliFailure(ExitCode.USAGE, "this host does not know its own name: give it with --public-host");
        }
    }

    /** From the server's time to the middle of its next heartbeat interval. */
    static Duration untilNextMiddle(Instant serverTime, Duration interval) {
        long millis = interval.toMillis();
        long intoInterval = Math.floorMod(serverTime.toEpochMilli(), millis);
        long toMiddle = millis / 2 - intoInterval;
        return Duration.ofMillis(toMiddle > 0 ? toMiddle : toMiddle + millis);
    }

    private List<String> localGpus() {
        try {
            return Cuda.devices().stream().map(Cuda.Device::uuid).toList();
        } catch (CudaUnavailableException e) {
            throw new CliFailure(ExitCode.NO_GPU, e.getMessage() + " (or name the GPUs with --gpu)");
        }
    }

    private static String join(JsonNode values) {
        StringBuilder joined = new StringBuilder();
        values.forEach(v -> joined.append(joined.length() == 0 ? "" : ", ").append(v.asText()));
        return joined.toString();
    }
}
