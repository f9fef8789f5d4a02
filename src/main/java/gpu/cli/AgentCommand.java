package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gpu.cuda.Cuda;
import gpu.cuda.CudaUnavailableException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The node agent: on each GPU host, sends one heartbeat for all its GPUs every interval, in the
 * middle of the server's interval (so clock skew of up to half an interval never makes a GPU miss
 * one), and follows the host's lease feed. It keeps going through network failures; each missed
 * interval counts as offline on the server.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = "Runs on a GPU host: sends a heartbeat for each of its GPUs every interval and reads back its lease feed."
                + " The GPUs must be registered and minted under the operator whose API key the agent uses.")
final class AgentCommand implements Callable<Integer> {

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

    @Option(names = "--once", description = "Send one heartbeat, read the lease feed once, and exit (for a health check or a cron job)")
    boolean once;

    @Override
    public Integer call() throws InterruptedException {
        ServerClient client = server.client();
        List<String> uuids = gpus == null || gpus.isEmpty() ? localGpus() : gpus;
        PrintWriter out = spec.commandLine().getOut();
        out.println("Node agent for " + uuids.size() + " GPU(s): " + String.join(", ", uuids));
        int leases = -1;
        while (true) {
            ServerClient.Reply reply;
            try {
                reply = client.post("/api/agent/heartbeats", Map.of("gpus", uuids));
            } catch (CliFailure unreachable) {
                if (once) {
                    throw unreachable;
                }
                spec.commandLine().getErr().println(TIME.format(clock.instant()) + " " + unreachable.getMessage() + "; retrying");
                Thread.sleep(Duration.ofSeconds(15).toMillis());
                continue;
            }
            JsonNode receipt = client.expect(reply, "Sending the heartbeat");
            int accepted = receipt.path("accepted").asInt();
            JsonNode unknown = receipt.path("unknown");
            out.println(TIME.format(clock.instant()) + " heartbeat: " + accepted + " of " + uuids.size() + " GPU(s) counted"
                    + (unknown.isEmpty() ? "" : "; not registered and minted under this operator: " + join(unknown)));
            if (once && accepted == 0) {
                throw new CliFailure(ExitCode.FAILED, "the server counted none of this host's GPUs: register and mint them in a pool of"
                        + " the operator this API key belongs to");
            }
            JsonNode feed = client.expect(client.get("/api/agent/leases"), "Reading the lease feed").path("leases");
            if (feed.size() != leases) {
                leases = feed.size();
                out.println(TIME.format(clock.instant()) + " lease feed: " + leases + " lease(s)");
                feed.forEach(lease -> out.println("  " + lease.path("gpuUuid").asText() + " " + lease.path("kind").asText()
                        + " " + lease.path("leaseId").asText() + " until " + lease.path("end").asText()));
            }
            out.flush();
            if (once) {
                return ExitCode.OK;
            }
            Thread.sleep(untilNextMiddle(Instant.parse(receipt.path("serverTime").asText()),
                    Duration.ofSeconds(receipt.path("intervalSeconds").asLong(30))).toMillis());
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
