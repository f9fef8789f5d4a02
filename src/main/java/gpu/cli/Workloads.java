package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The workloads this host runs for its leases. {@link #follow} brings them in line with the lease
 * feed at the server's time: a lease of this host's GPUs that has started (and has a workload) is
 * started once, with all of this host's GPUs that the lease holds; one that has ended or left the
 * feed (preempted, stopped) is stopped and removed. Nothing is restarted by itself: a workload that
 * failed or exited stays FAILED until its lease ends. Starts, stops and checks run on worker
 * threads (pulling an image can take minutes), one at a time per lease, so heartbeats keep their
 * schedule; each change of state wakes the agent to report it at once.
 */
final class Workloads implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int MAX_LOGGED_UNUSABLE = 10_000;

    /** A workload's state as the agent reports it. */
    enum State { STARTING, RUNNING, FAILED, STOPPED }

    /** One lease's report with a heartbeat. */
    record Report(String leaseId, State state, String reason, String endpoint) {
    }

    /** One lease's workload on this host; its fields change on worker threads, the map only on the agent's. */
    private static final class Managed {
        final String leaseId;
        volatile State state;
        volatile String reason;
        volatile String endpoint;
        /** The lease's operations, chained so that they run one at a time. */
        CompletableFuture<Void> work = CompletableFuture.completedFuture(null);
        volatile boolean leaving;

        Managed(String leaseId, State state, String reason) {
            this.leaseId = leaseId;
            this.state = state;
            this.reason = reason;
        }
    }

    private final WorkloadRuntime runtime;
    private final PrintWriter log;
    private final Clock clock;
    private final Map<String, Managed> managed = new LinkedHashMap<>();
    private final Set<String> loggedUnusable = new HashSet<>();
    private final Semaphore changed = new Semaphore(0);
    private final ExecutorService workers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "bc-agent-workload");
        thread.setDaemon(true);
        return thread;
    });

    Workloads(WorkloadRuntime runtime, PrintWriter log, Clock clock) {
        this.runtime = runtime;
        this.log = log;
        this.clock = clock;
    }

    /** A UUID as this host and the server may spell it differently ("GPU-" prefix, case). */
    static String sameGpu(String uuid) {
        String lower = uuid.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("gpu-") ? lower.substring(4) : lower;
    }

    /** The feed's entries of this host's GPUs, by lease id, each with this host's spelling of the GPUs it holds. */
    private static Map<String, Map.Entry<JsonNode, List<String>>> ofThisHost(JsonNode feed, List<String> hostGpus) {
        Map<String, String> ours = new LinkedHashMap<>();
        hostGpus.forEach(uuid -> ours.put(sameGpu(uuid), uuid));
        Map<String, Map.Entry<JsonNode, List<String>>> leases = new LinkedHashMap<>();
        for (JsonNode entry : feed) {
            String gpu = ours.get(sameGpu(entry.path("gpuUuid").asText("")));
            String leaseId = entry.path("leaseId").asText("");
            if (gpu != null && !leaseId.isEmpty()) {
                leases.computeIfAbsent(leaseId, id -> Map.entry(entry, new ArrayList<>())).getValue().add(gpu);
            }
        }
        return leases;
    }

    /** Starts what should run at {@code now} (the server's time) and is not running, and stops what should not. */
    void follow(JsonNode feed, Instant now, List<String> hostGpus) {
        Set<String> wanted = new HashSet<>();
        ofThisHost(feed, hostGpus).forEach((leaseId, entry) -> {
            LeaseFacts lease;
            try {
                lease = LeaseFacts.from(leaseId, entry.getKey(), entry.getValue());
            } catch (LeaseFacts.Unusable unusable) {
                if (loggedUnusable.size() < MAX_LOGGED_UNUSABLE && loggedUnusable.add(leaseId)) {
                    log.println(TIME.format(clock.instant()) + " lease " + printable(leaseId) + " not run: " + unusable.getMessage());
                }
                return;
            }
            if (!lease.currentAt(now)) {
                return;
            }
            wanted.add(leaseId);
            if (!managed.containsKey(leaseId)) {
                Managed workload = new Managed(leaseId, State.STARTING, null);
                managed.put(leaseId, workload);
                log.println(TIME.format(clock.instant()) + " workload " + leaseId + ": starting " + lease.image() + " on "
                        + String.join(", ", lease.gpuUuids()));
                then(workload, () -> {
                    WorkloadRuntime.Outcome started = runtime.start(lease);
                    if (started.running()) {
                        change(workload, State.RUNNING, null, started.endpoint());
                    } else {
                        change(workload, State.FAILED, started.reason(), null);
                    }
                });
            }
        });
        for (Managed workload : managed.values()) {
            if (!wanted.contains(workload.leaseId) && !workload.leaving) {
                workload.leaving = true;
                then(workload, () -> {
                    if (runtime.stop(workload.leaseId)) {
                        change(workload, State.STOPPED, null, null);
                    } else {
                        log.println(TIME.format(clock.instant()) + " workload " + workload.leaseId + ": could not stop it; trying again");
                        workload.leaving = false;
                    }
                });
            } else if (workload.state == State.RUNNING && !workload.leaving && workload.work.isDone()) {
                then(workload, () -> {
                    WorkloadRuntime.Outcome status = runtime.status(workload.leaseId);
                    if (!status.running() && workload.state == State.RUNNING && !workload.leaving) {
                        change(workload, State.FAILED, status.reason(), null);
                    }
                });
            }
        }
    }

    /** What to report with the next heartbeat; a workload that was stopped is reported once, then forgotten. */
    List<Report> reports() {
        List<Report> reports = new ArrayList<>();
        managed.values().removeIf(workload -> {
            State state = workload.state;
            reports.add(new Report(workload.leaseId, state, workload.reason, workload.endpoint));
            return state == State.STOPPED;
        });
        return reports;
    }

    /** The first start or end of a lease of this host's GPUs after {@code now}: when the agent should look again. */
    static Optional<Instant> nextBoundary(JsonNode feed, Instant now, List<String> hostGpus) {
        Instant next = null;
        for (Map.Entry<JsonNode, List<String>> entry : ofThisHost(feed, hostGpus).values()) {
            for (String field : List.of("start", "end")) {
                try {
                    Instant at = Instant.parse(entry.getKey().path(field).asText(""));
                    if (at.isAfter(now) && (next == null || at.isBefore(next))) {
                        next = at;
                    }
                } catch (java.time.format.DateTimeParseException notATime) {
                    // an open end, or a lease that follow() refuses anyway
                }
            }
        }
        return Optional.ofNullable(next);
    }

    /** Waits up to {@code millis} or until a workload's state changes; true when one did. */
    boolean awaitChange(long millis) throws InterruptedException {
        boolean woken = changed.tryAcquire(Math.max(0, millis), TimeUnit.MILLISECONDS);
        changed.drainPermits();
        return woken;
    }

    private void then(Managed workload, Runnable operation) {
        workload.work = workload.work.thenRunAsync(operation, workers).exceptionally(e -> {
            change(workload, State.FAILED, "the agent failed: " + e.getCause(), null);
            return null;
        });
    }

    private void change(Managed workload, State state, String reason, String endpoint) {
        workload.state = state;
        workload.reason = reason;
        workload.endpoint = endpoint;
        log.println(TIME.format(clock.instant()) + " workload " + workload.leaseId + ": " + state
                + (endpoint == null ? "" : " at " + endpoint) + (reason == null ? "" : " (" + reason + ")"));
        log.flush();
        changed.release();
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) + "…" : cleaned;
    }

    /** Stops the worker threads; the workloads keep running (a restarted agent adopts them). */
    @Override
    public void close() {
        workers.shutdownNow();
    }
}
