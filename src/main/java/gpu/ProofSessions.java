package gpu;

import accounts.Caller;
import accounts.WalletAddress;
import com.fasterxml.jackson.core.JsonProcessingException;
import gpu.proof.ComputeRound;
import gpu.proof.MemoryRound;
import gpu.proof.Openings;
import gpu.proof.ProofWire;
import gpu.proof.ProofWire.StepKind;
import gpu.proof.RoundSizing;
import gpu.report.ReportJson;
import gpu.report.SeedStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import platform.DomainException;

/**
 * The steps of proof-of-GPU sessions (docs/gpu-certification.md, "Protocol"). The server hands out
 * one step at a time and measures, with its own clock, the time from handing it out to the answer's
 * arrival. A certification session pings {@link #PINGS} times (the round trip, capped, becomes the
 * network allowance), then runs a compute round and a memory round, each committed and then opened;
 * a spot check runs one compute round timed from an instant announced in advance. Every GPU of a
 * session gets its round at the same instant and is timed against the same clock, so one GPU
 * cannot answer for several in turn. Callers hold the transaction ({@link ProofOfGpu}).
 */
@ApplicationScoped
class ProofSessions {

    static final int PINGS = 3;
    static final int MAX_GPUS = 16;
    static final List<StepKind> CERTIFY = List.of(StepKind.PING, StepKind.PING, StepKind.PING,
            StepKind.COMPUTE, StepKind.OPEN_COMPUTE, StepKind.MEMORY, StepKind.OPEN_MEMORY);
    static final List<StepKind> SPOT = List.of(StepKind.START, StepKind.COMPUTE, StepKind.OPEN_COMPUTE);
    private static final Pattern ROOT = Pattern.compile("0x[0-9a-f]{64}");
    private static final int MAX_PATH = 40;

    private final Clock clock;
    private final GpuConfig.Proof config;
    private final SecureRandom random = new SecureRandom();

    ProofSessions(Clock clock, GpuConfig config) {
        this.clock = clock;
        this.config = config.proof();
    }

    /** A GPU a session is opened for. */
    record Claim(String uuid, GpuModel model) {
    }

    // ------------------------------------------------------------------ opening

    ProofSessionEntity open(ProofSessionEntity.Kind kind, WalletAddress operator, List<Claim> gpus, Instant startsAt) {
        Instant now = clock.instant();
        ProofSessionEntity session = new ProofSessionEntity();
        session.id = UUID.randomUUID();
        session.kind = kind.name();
        session.operator = operator.value();
        session.openedAt = now;
        session.step = 0;
        session.stepSentAt = now;
        session.startsAt = startsAt;
        session.state = ProofSessionEntity.State.OPEN.name();
        if (kind == ProofSessionEntity.Kind.SPOT) {
            session.allowanceMs = (int) config.maxNetworkAllowance().toMillis();
        }
        ProofState state = new ProofState();
        List<ProofGpuEntity> rows = new ArrayList<>();
        for (int position = 0; position < gpus.size(); position++) {
            Claim claim = gpus.get(position);
            RoundSizing.Rates rates = rates(claim.model());
            state.compute.add(ProofWire.ComputeTask.of(SeedStreams.newSeed(random), RoundSizing.compute(rates)));
            if (kind == ProofSessionEntity.Kind.CERTIFY) {
                state.memory.add(ProofWire.MemoryTask.of(SeedStreams.newSeed(random), RoundSizing.memory(rates)));
            }
            ProofGpuEntity gpu = new ProofGpuEntity();
            gpu.sessionId = session.id;
            gpu.position = position;
            gpu.gpuUuid = claim.uuid();
            gpu.modelId = claim.model().id();
            gpu.state = ProofSessionEntity.State.OPEN.name();
            rows.add(gpu);
        }
        session.rounds = write(state);
        session.persist();
        session.flush();
        rows.forEach(row -> row.persist());
        return session;
    }

    /**
     * The rates a model's rounds are sized and timed by: its calibrated proof figures where it has
     * them, otherwise its spec figures times their pass fractions (the slowest card that certifies).
     */
    static RoundSizing.Rates rates(GpuModel model) {
        long memory = (long) model.memoryMib() << 20;
        ProofFigures proof = model.proof();
        if (proof != null) {
            return new RoundSizing.Rates(proof.bf16Tflops().doubleValue() * 1e12, proof.deviceBandwidthGbs().doubleValue() * 1e9,
                    proof.sha256Mhs().doubleValue() * 1e6, memory);
        }
        ReferenceFigures r = model.reference();
        PassFractions p = model.passFraction();
        return new RoundSizing.Rates(r.bf16Tflops().multiply(p.bf16Tflops()).doubleValue() * 1e12,
                r.deviceBandwidthGbs().multiply(p.deviceBandwidthGbs()).doubleValue() * 1e9,
                RoundSizing.Rates.estimatedCompressions(r.fp32Tflops().multiply(p.fp32Tflops()).doubleValue() * 1e12), memory);
    }

    /** A round's deadline for a GPU of {@code model}: the factor times its expected time, plus the allowance. */
    int deadlineMs(double expectedSeconds, int allowanceMs) {
        return (int) Math.ceil(config.deadlineFactor().multiply(BigDecimal.valueOf(expectedSeconds * 1000)).doubleValue()) + allowanceMs;
    }

    // ------------------------------------------------------------------ answering

    /** The session, locked for this transaction; 404 unless {@code caller} is its operator. */
    static ProofSessionEntity locked(Caller caller, UUID id) {
        ProofSessionEntity session = id == null ? null : ProofSessionEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (session == null || !session.operator.equals(caller.address().value())) {
            throw DomainException.notFound("You have no proof session " + id);
        }
        return session;
    }

    /** Takes the answer to the session's current step and moves it on (or ends it). */
    void answer(ProofSessionEntity session, ProofWire.Answer answer) {
        Instant now = clock.instant();
        if (!ProofSessionEntity.State.OPEN.name().equals(session.state)) {
            throw DomainException.conflict("The session is over (" + session.state.toLowerCase() + ")");
        }
        if (answer == null || answer.step() == null) {
            throw DomainException.invalid("step is required: the number of the step you answer");
        }
        if (answer.step() != session.step) {
            throw DomainException.conflict("The session waits for step " + session.step + ", not " + answer.step());
        }
        List<StepKind> plan = plan(session);
        StepKind kind = plan.get(session.step);
        ProofState state = read(session.rounds);
        List<ProofGpuEntity> gpus = ProofGpuEntity.of(session.id);
        long elapsedMs = Duration.between(session.stepSentAt, now).toMillis();
        switch (kind) {
            case PING -> {
                state.pingsMs.add(elapsedMs);
                if (state.pingsMs.size() == PINGS) {
                    List<Long> sorted = state.pingsMs.stream().sorted().toList();
                    session.allowanceMs = (int) Math.min(config.maxNetworkAllowance().toMillis(), sorted.get(PINGS / 2));
                }
            }
            case START -> {
                if (now.isBefore(session.startsAt)) {
                    throw DomainException.conflict("The spot check starts at " + session.startsAt + "; it is " + now + " on the server");
                }
            }
            case COMPUTE -> {
                List<String> roots = roots(answer.roots(), gpus);
                state.computeRoots = roots;
                state.entries = new ArrayList<>();
                for (ProofGpuEntity gpu : gpus) {
                    ComputeRound.Size size = state.compute.get(gpu.position).size();
                    gpu.computeMs = (int) elapsedMs;
                    gpu.computeDeadlineMs = deadlineMs(RoundSizing.computeSeconds(rates(model(gpu)), size), session.allowanceMs);
                    timed(gpu, elapsedMs, gpu.computeDeadlineMs, "compute");
                    state.entries.add(gpu.open() ? Openings.choose(size, Openings.PER_ROUND, random) : null);
                }
            }
            case OPEN_COMPUTE -> {
                List<List<ProofWire.TileOpening>> tiles = perGpu(answer.tiles(), gpus, "tiles");
                for (ProofGpuEntity gpu : gpus) {
                    if (!withinOpeningTimeout(gpu, elapsedMs)) {
                        continue;
                    }
                    ProofWire.ComputeTask task = state.compute.get(gpu.position);
                    List<Openings.Entry> named = state.entries.get(gpu.position);
                    List<Openings.Opening> opened = tiles(tiles.get(gpu.position), named.size(), task.tile());
                    Openings.check(ComputeRound.Keys.of(SeedStreams.parse(task.seed())), task.size(),
                                    hex(state.computeRoots.get(gpu.position)), named, opened)
                            .ifPresent(why -> gpu.fail("The compute round's " + why));
                }
            }
            case MEMORY -> {
                List<String> roots = roots(answer.roots(), gpus);
                state.memoryRoots = roots;
                state.chains = new ArrayList<>();
                for (ProofGpuEntity gpu : gpus) {
                    MemoryRound.Params params = state.memory.get(gpu.position).params();
                    gpu.memoryMs = (int) elapsedMs;
                    gpu.memoryDeadlineMs = deadlineMs(RoundSizing.memorySeconds(rates(model(gpu)), params), session.allowanceMs);
                    timed(gpu, elapsedMs, gpu.memoryDeadlineMs, "memory");
                    List<Long> named = new ArrayList<>();
                    for (int n = 0; n < Openings.PER_ROUND; n++) {
                        named.add(random.nextLong(params.chains()));
                    }
                    state.chains.add(gpu.open() ? named : null);
                }
            }
            case OPEN_MEMORY -> {
                List<List<ProofWire.ChainOpening>> chains = perGpu(answer.chains(), gpus, "chains");
                for (ProofGpuEntity gpu : gpus) {
                    if (!withinOpeningTimeout(gpu, elapsedMs)) {
                        continue;
                    }
                    ProofWire.MemoryTask task = state.memory.get(gpu.position);
                    List<Long> named = state.chains.get(gpu.position);
                    new MemoryRound(SeedStreams.parse(task.seed()), task.params())
                            .check(hex(state.memoryRoots.get(gpu.position)), named, chains(chains.get(gpu.position), named.size()))
                            .ifPresent(why -> gpu.fail("The memory round's " + why));
                }
            }
        }
        session.rounds = write(state);
        boolean anyLeft = gpus.stream().anyMatch(ProofGpuEntity::open);
        if (!anyLeft) {
            finish(session, gpus, now, ProofSessionEntity.State.FAILED, "Every GPU of the session failed: "
                    + String.join("; ", gpus.stream().map(g -> g.gpuUuid + ": " + g.reason).toList()));
        } else if (session.step + 1 == plan.size()) {
            finish(session, gpus, now, ProofSessionEntity.State.PASSED, null);
        } else {
            session.step++;
            session.stepSentAt = kind == StepKind.START ? session.startsAt : clock.instant();
        }
    }

    private void timed(ProofGpuEntity gpu, long elapsedMs, int deadlineMs, String round) {
        if (gpu.open() && elapsedMs > deadlineMs) {
            gpu.fail("The " + round + " round's answer came " + elapsedMs + " ms after the round started; its deadline was "
                    + deadlineMs + " ms");
        }
    }

    private boolean withinOpeningTimeout(ProofGpuEntity gpu, long elapsedMs) {
        if (!gpu.open()) {
            return false;
        }
        if (elapsedMs > config.openingTimeout().toMillis()) {
            gpu.fail("The openings came " + elapsedMs + " ms after they were named; the limit is " + config.openingTimeout().toMillis() + " ms");
            return false;
        }
        return true;
    }

    private static void finish(ProofSessionEntity session, List<ProofGpuEntity> gpus, Instant now, ProofSessionEntity.State state,
                               String reason) {
        session.state = state.name();
        session.reason = reason;
        session.finishedAt = now;
        for (ProofGpuEntity gpu : gpus) {
            if (gpu.open()) {
                gpu.state = ProofSessionEntity.State.PASSED.name();
            }
        }
    }

    /** Ends an open session whose host stopped answering: its open GPUs fail with {@code reason}. */
    void abandon(ProofSessionEntity session, String reason) {
        List<ProofGpuEntity> gpus = ProofGpuEntity.of(session.id);
        gpus.stream().filter(ProofGpuEntity::open).forEach(g -> g.fail(reason));
        finish(session, gpus, clock.instant(), ProofSessionEntity.State.FAILED, reason);
    }

    static List<StepKind> plan(ProofSessionEntity session) {
        return session.kind() == ProofSessionEntity.Kind.CERTIFY ? CERTIFY : SPOT;
    }

    private static GpuModel model(ProofGpuEntity gpu) {
        return GpuModelEntity.<GpuModelEntity>findByIdOptional(gpu.modelId).map(GpuModelEntity::view)
                .orElseThrow(() -> new IllegalStateException("model " + gpu.modelId + " left the table"));
    }

    // ------------------------------------------------------------------ what the host sends, bounded

    private static List<String> roots(List<String> roots, List<ProofGpuEntity> gpus) {
        if (roots == null || roots.size() != gpus.size()) {
            throw DomainException.invalid("roots: one root per GPU of the session (" + gpus.size() + "), null for a GPU that failed");
        }
        for (ProofGpuEntity gpu : gpus) {
            String root = roots.get(gpu.position);
            if (gpu.open() && (root == null || root.length() != 66 || !ROOT.matcher(root).matches())) {
                throw DomainException.invalid("roots[" + gpu.position + "]: a root is 0x and 64 lowercase hex digits");
            }
        }
        return roots;
    }

    private static <T> List<List<T>> perGpu(List<List<T>> lists, List<ProofGpuEntity> gpus, String field) {
        if (lists == null || lists.size() != gpus.size()) {
            throw DomainException.invalid(field + ": one list per GPU of the session (" + gpus.size() + "), null for a GPU that failed");
        }
        for (ProofGpuEntity gpu : gpus) {
            if (gpu.open() && lists.get(gpu.position) == null) {
                throw DomainException.invalid(field + "[" + gpu.position + "] is missing");
            }
        }
        return lists;
    }

    private static List<Openings.Opening> tiles(List<ProofWire.TileOpening> tiles, int named, int tile) {
        if (tiles.size() != named) {
            throw DomainException.invalid("tiles: open each of the " + named + " named entries, in order");
        }
        int bytes = tile * tile * 4;
        List<Openings.Opening> out = new ArrayList<>();
        for (ProofWire.TileOpening t : tiles) {
            if (t == null || t.values() == null || t.values().length() > (bytes + 2) / 3 * 4) {
                throw DomainException.invalid("tiles: each tile's values are " + bytes + " bytes in base64");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(t.values());
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("tiles: values are not base64");
            }
            if (raw.length != bytes) {
                throw DomainException.invalid("tiles: each tile's values are " + bytes + " bytes, not " + raw.length);
            }
            int[] values = new int[tile * tile];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
            out.add(new Openings.Opening(t.tile(), values, path(t.path())));
        }
        return out;
    }

    private static List<MemoryRound.ChainOpening> chains(List<ProofWire.ChainOpening> chains, int named) {
        if (chains.size() != named) {
            throw DomainException.invalid("chains: open each of the " + named + " named chains, in order");
        }
        List<MemoryRound.ChainOpening> out = new ArrayList<>();
        for (ProofWire.ChainOpening c : chains) {
            if (c == null || c.answer() == null || !ROOT.matcher(c.answer()).matches()) {
                throw DomainException.invalid("chains: each answer is 0x and 64 lowercase hex digits");
            }
            out.add(new MemoryRound.ChainOpening(c.chain(), hex(c.answer()), path(c.path())));
        }
        return out;
    }

    private static List<byte[]> path(List<String> path) {
        if (path == null || path.size() > MAX_PATH) {
            throw DomainException.invalid("path: at most " + MAX_PATH + " hashes");
        }
        List<byte[]> out = new ArrayList<>();
        for (String h : path) {
            if (h == null || h.length() != 66 || !ROOT.matcher(h).matches()) {
                throw DomainException.invalid("path: each hash is 0x and 64 lowercase hex digits");
            }
            out.add(hex(h));
        }
        return out;
    }

    static byte[] hex(String value) {
        return HexFormat.of().parseHex(value.substring(2));
    }

    // ------------------------------------------------------------------ views

    ProofSession view(ProofSessionEntity session) {
        List<ProofGpuEntity> gpus = ProofGpuEntity.of(session.id);
        ProofWire.Step step = null;
        if (ProofSessionEntity.State.OPEN.name().equals(session.state)) {
            step = step(session, read(session.rounds), gpus);
        }
        Instant reportsUntil = session.kind() == ProofSessionEntity.Kind.CERTIFY && ProofSessionEntity.State.PASSED.name().equals(session.state)
                ? session.finishedAt.plus(config.sessionValidity()) : null;
        return new ProofSession(session.id, session.kind, session.state, session.reason, session.openedAt, session.finishedAt,
                reportsUntil, session.allowanceMs, gpus.stream().map(g -> new ProofSession.Gpu(g.position, g.gpuUuid, g.modelId, g.state,
                g.reason, g.computeMs, g.computeDeadlineMs, g.memoryMs, g.memoryDeadlineMs, g.certificate)).toList(), step, clock.instant());
    }

    private ProofWire.Step step(ProofSessionEntity session, ProofState state, List<ProofGpuEntity> gpus) {
        StepKind kind = plan(session).get(session.step);
        Set<Integer> open = new HashSet<>();
        gpus.stream().filter(ProofGpuEntity::open).forEach(g -> open.add(g.position));
        return switch (kind) {
            case PING -> new ProofWire.Step(session.step, kind, null, null, null, null, null, null);
            case START -> new ProofWire.Step(session.step, kind, session.startsAt.toString(), null, null, null, null, null);
            case COMPUTE -> new ProofWire.Step(session.step, kind, session.stepSentAt.toString(), gpus.stream()
                    .filter(ProofGpuEntity::open)
                    .mapToLong(g -> deadlineMs(RoundSizing.computeSeconds(rates(model(g)), state.compute.get(g.position).size()),
                            session.allowanceMs)).max().orElse(0),
                    onlyOpen(state.compute, open), null, null, null);
            case OPEN_COMPUTE -> new ProofWire.Step(session.step, kind, null, config.openingTimeout().toMillis(), null, null,
                    onlyOpen(state.entries, open), null);
            case MEMORY -> new ProofWire.Step(session.step, kind, session.stepSentAt.toString(), gpus.stream()
                    .filter(ProofGpuEntity::open)
                    .mapToLong(g -> deadlineMs(RoundSizing.memorySeconds(rates(model(g)), state.memory.get(g.position).params()),
                            session.allowanceMs)).max().orElse(0),
                    null, onlyOpen(state.memory, open), null, null);
            case OPEN_MEMORY -> new ProofWire.Step(session.step, kind, null, config.openingTimeout().toMillis(), null, null, null,
                    onlyOpen(state.chains, open));
        };
    }

    private static <T> List<T> onlyOpen(List<T> all, Set<Integer> open) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            out.add(open.contains(i) ? all.get(i) : null);
        }
        return out;
    }

    /** Why a report of {@code uuid} and {@code modelId} cannot use this session, if it cannot. */
    Optional<String> refusal(ProofSessionEntity session, ProofGpuEntity gpu, String modelId, Instant now) {
        if (session.kind() != ProofSessionEntity.Kind.CERTIFY || !ProofSessionEntity.State.PASSED.name().equals(session.state)) {
            return Optional.of("The proof session " + session.id + " has not passed");
        }
        if (!now.isBefore(session.finishedAt.plus(config.sessionValidity()))) {
            return Optional.of("The proof session " + session.id + " passed at " + session.finishedAt + "; reports may use it for "
                    + config.sessionValidity().toMinutes() + " minutes: run a new one");
        }
        if (gpu == null || !gpu.state.equals(ProofSessionEntity.State.PASSED.name())) {
            return Optional.of("The proof session " + session.id + " did not pass for this GPU");
        }
        if (!gpu.modelId.equals(modelId)) {
            return Optional.of("The proof session proved a " + gpu.modelId + ", not a " + modelId);
        }
        if (gpu.certificate != null) {
            return Optional.of("The proof session already certified this GPU (" + gpu.certificate + "); run a new one");
        }
        return Optional.empty();
    }

    private static String write(ProofState state) {
        try {
            return ReportJson.mapper().writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProofState read(String json) {
        try {
            return ReportJson.mapper().readValue(json, ProofState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
