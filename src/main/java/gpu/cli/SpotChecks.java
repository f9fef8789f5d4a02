package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node agent's side of spot checks (docs/gpu-certification.md, "Spot checks"): asks the server
 * which checks are due for this host's GPUs and answers each, every GPU of it from the announced
 * instant. A check the host cannot answer (no driver, a GPU gone) is left to fail on the server.
 * The agent runs it on a thread of its own ({@link #every}), as answering waits for a check's start
 * and must not hold up the heartbeats.
 */
final class SpotChecks {

    /** How often the agent asks: several times within a check's notice (2 minutes by default). */
    static final Duration POLL = Duration.ofSeconds(30);

    private final ServerClient client;
    private final Supplier<Provers> provers;
    private final PrintWriter log;

    SpotChecks(ServerClient client, Supplier<Provers> provers, PrintWriter log) {
        this.client = client;
        this.provers = provers;
        this.log = log;
    }

    /** Answers every spot check due for {@code uuids}; returns the sessions as they ended. */
    List<JsonNode> answerDue(List<String> uuids) {
        JsonNode due = client.expect(client.post("/api/gpu/spot-checks/due", Map.of("gpus", uuids)), "Asking for spot checks");
        List<JsonNode> answered = new ArrayList<>();
        for (JsonNode check : due) {
            String id = check.path("session").asText();
            JsonNode session = client.expect(client.get("/api/gpu/sessions/" + id), "Reading spot check " + id);
            log.println("spot check " + id + " at " + check.path("startsAt").asText() + " for " + check.path("gpus").size() + " GPU(s)");
            try (Provers gpus = provers.get();
                 ProofRunner runner = new ProofRunner(client, i -> gpus.forGpu(session.path("gpus").get(i).path("uuid").asText()), log)) {
                JsonNode done = runner.run(session);
                done.path("gpus").forEach(gpu -> log.println("  " + gpu.path("uuid").asText() + " " + gpu.path("state").asText()
                        + (gpu.hasNonNull("reason") ? ": " + gpu.path("reason").asText() : "")));
                answered.add(done);
            } catch (CliFailure e) {
                log.println("  not answered: " + e.getMessage());
            }
            log.flush();
        }
        return answered;
    }

    /** A daemon thread that asks every {@link #POLL} until the agent stops; failures are logged and retried. */
    Thread every(List<String> uuids) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    answerDue(uuids);
                } catch (CliFailure e) {
                    log.println("spot checks: " + e.getMessage() + "; asking again in " + POLL.toSeconds() + " s");
                    log.flush();
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bc-spot-checks");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
