package gpu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import gpu.proof.Openings;
import gpu.proof.Prover;
import gpu.proof.ProofWire;
import gpu.report.ReportJson;
import gpu.report.SeedStreams;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Answers a proof-of-GPU session's steps (docs/gpu-certification.md, "Protocol") with one
 * {@link Prover} per GPU of the session, all GPUs at once: pings at once, each timed round on every
 * GPU in parallel, then the openings of what the server names. Used by {@code certify} for a
 * certification session and by the node agent for spot checks.
 */
final class ProofRunner implements AutoCloseable {

    private final ServerClient client;
    private final IntFunction<Prover> provers;
    private final PrintWriter log;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "bc-proof");
        thread.setDaemon(true);
        return thread;
    });
    private List<Prover.ComputeCommitment> computed = List.of();
    private List<Prover.MemoryCommitment> built = List.of();

    /** {@code provers} gives the prover of the session's GPU at each position. */
    ProofRunner(ServerClient client, IntFunction<Prover> provers, PrintWriter log) {
        this.client = client;
        this.provers = provers;
        this.log = log;
    }

    /** Opens a certification session for these GPUs ({@code uuid}, {@code model}) and runs it to its end. */
    JsonNode certify(List<Map<String, String>> gpus) {
        JsonNode session = client.expect(client.post("/api/gpu/sessions", Map.of("gpus", gpus)), "Opening a proof session");
        return run(session);
    }

    /** Answers the session's steps until it is over; returns it as the server last described it. */
    JsonNode run(JsonNode session) {
        String path = "/api/gpu/sessions/" + session.path("id").asText() + "/answers";
        while (session.hasNonNull("step")) {
            ProofWire.Step step = read(session.get("step"), ProofWire.Step.class);
            ProofWire.Answer answer = switch (step.kind()) {
                case PING -> new ProofWire.Answer(step.number(), null, null, null);
                case START -> {
                    JsonNode fresh = client.expect(client.get("/api/gpu/sessions/" + session.path("id").asText()), "Reading the spot check");
                    waitFor(Instant.parse(step.startsAt()), Instant.parse(fresh.path("serverTime").asText()));
                    yield new ProofWire.Answer(step.number(), null, null, null);
                }
                case COMPUTE -> {
                    computed = inParallel(step.compute(), (i, task) -> provers.apply(i).compute(SeedStreams.parse(task.seed()), task.size()));
                    yield new ProofWire.Answer(step.number(), computed.stream().map(c -> c == null ? null : hex(c.root())).toList(), null, null);
                }
                case OPEN_COMPUTE -> {
                    List<List<ProofWire.TileOpening>> tiles = perGpu(step.entries(), (i, entries) ->
                            entries.stream().map(e -> tile(computed.get(i).open(e))).toList());
                    closeAll(computed);
                    computed = List.of();
                    yield new ProofWire.Answer(step.number(), null, tiles, null);
                }
                case MEMORY -> {
                    built = inParallel(step.memory(), (i, task) -> provers.apply(i).memory(SeedStreams.parse(task.seed()), task.params()));
                    yield new ProofWire.Answer(step.number(), built.stream().map(c -> c == null ? null : hex(c.root())).toList(), null, null);
                }
                case OPEN_MEMORY -> {
                    List<List<ProofWire.ChainOpening>> chains = perGpu(step.chains(), (i, named) ->
                            named.stream().map(c -> chain(built.get(i).open(c))).toList());
                    closeAll(built);
                    built = List.of();
                    yield new ProofWire.Answer(step.number(), null, null, chains);
                }
            };
            session = client.expect(client.post(path, answer), "Answering step " + step.number() + " (" + step.kind() + ")");
            if (step.deadlineMs() != null && (step.kind() == ProofWire.StepKind.COMPUTE || step.kind() == ProofWire.StepKind.MEMORY)) {
                log.println("proof: " + step.kind().name().toLowerCase() + " round answered; deadline " + step.deadlineMs() + " ms");
                log.flush();
            }
        }
        return session;
    }

    private interface Task<T, R> {
        R apply(int position, T task) throws Exception;
    }

    /** Runs {@code task} for every GPU that has one, each on its own thread, all started together. */
    private <T, R> List<R> inParallel(List<T> tasks, Task<T, R> task) {
        List<Future<R>> futures = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            int position = i;
            T t = tasks.get(i);
            futures.add(t == null ? null : pool.submit(() -> task.apply(position, t)));
        }
        List<R> results = new ArrayList<>();
        for (Future<R> future : futures) {
            try {
                results.add(future == null ? null : future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(ExitCode.INTERNAL, "interrupted during a proof round");
            } catch (ExecutionException e) {
                throw new CliFailure(ExitCode.FAILED, "a proof round failed on the GPU: " + e.getCause().getMessage());
            }
        }
        return results;
    }

    private static <T, R> List<R> perGpu(List<T> lists, Task<T, R> each) {
        List<R> out = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            try {
                out.add(lists.get(i) == null ? null : each.apply(i, lists.get(i)));
            } catch (Exception e) {
                throw new CliFailure(ExitCode.FAILED, "opening a proof round failed: " + e.getMessage());
            }
        }
        return out;
    }

    private static ProofWire.TileOpening tile(Openings.Opening opening) {
        ByteBuffer bytes = ByteBuffer.allocate(opening.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(opening.values());
        return new ProofWire.TileOpening(opening.tile(), Base64.getEncoder().encodeToString(bytes.array()),
                opening.path().stream().map(ProofRunner::hex).toList());
    }

    private static ProofWire.ChainOpening chain(gpu.proof.MemoryRound.ChainOpening opening) {
        return new ProofWire.ChainOpening(opening.chain(), hex(opening.answer()), opening.path().stream().map(ProofRunner::hex).toList());
    }

    /** Sleeps until {@code startsAt} on the server's clock ({@code serverNow} is the server's time at its last reply). */
    private static void waitFor(Instant startsAt, Instant serverNow) {
        Duration wait = Duration.between(serverNow, startsAt);
        if (!wait.isNegative()) {
            try {
                Thread.sleep(wait.toMillis() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(ExitCode.INTERNAL, "interrupted while waiting for a spot check");
            }
        }
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        try {
            return ReportJson.mapper().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new CliFailure(ExitCode.SERVER, "the server's proof step is not one this CLI reads: " + e.getOriginalMessage());
        }
    }

    /** Frees the commitments' memory (on the GPU: C, the dataset's answers and the trees). */
    private static void closeAll(List<? extends AutoCloseable> commitments) {
        for (AutoCloseable commitment : commitments) {
            try {
                if (commitment != null) {
                    commitment.close();
                }
            } catch (Exception e) {
                throw new CliFailure(ExitCode.FAILED, "freeing a proof round's memory failed: " + e.getMessage());
            }
        }
    }

    /** Frees what a session that ended early left committed, and stops the round threads. */
    @Override
    public void close() {
        try {
            closeAll(computed);
            closeAll(built);
        } finally {
            computed = List.of();
            built = List.of();
            pool.shutdownNow();
        }
    }
}
