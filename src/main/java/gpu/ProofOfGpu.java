package gpu;

import accounts.Caller;
import accounts.WalletAddress;
import gpu.proof.ProofWire;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import platform.DomainException;

/**
 * The gpu module's facade for proof of GPU (issue 12; docs/gpu-certification.md, "Proof of GPU"):
 * certification sessions of rounds the server times, and the node agent's spot checks. Settlement
 * and the pools' pages read spot-check results here.
 */
@ApplicationScoped
public class ProofOfGpu {

    private static final int MAX_RECENT = 100;
    private static final String RESULT = "select gpu_uuid, starts_at, passed, reason, elapsed_ms, deadline_ms from gpu_spot_result ";

    private final EntityManager em;
    private final Clock clock;
    private final GpuConfig.Proof config;
    private final ProofSessions sessions;
    private final Certification certification;
    private final SecureRandom random = new SecureRandom();

    ProofOfGpu(EntityManager em, Clock clock, GpuConfig config, ProofSessions sessions, Certification certification) {
        this.em = em;
        this.clock = clock;
        this.config = config.proof();
        this.sessions = sessions;
        this.certification = certification;
    }

    /** A GPU a host claims: its UUID and the model it says it is. */
    public record ClaimedGpu(String uuid, String model) {
    }

    // ------------------------------------------------------------------ certification sessions

    /**
     * Opens a certification session for every GPU a host claims (1 to 16), which must all answer
     * together. The first step is a ping.
     */
    @Transactional
    public ProofSession openSession(Caller caller, List<ClaimedGpu> gpus) {
        if (gpus == null || gpus.isEmpty() || gpus.size() > ProofSessions.MAX_GPUS) {
            throw DomainException.invalid("gpus: name 1 to " + ProofSessions.MAX_GPUS + " GPUs of this host, each with its uuid and model");
        }
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        List<ProofSessions.Claim> claims = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            ClaimedGpu gpu = gpus.get(i);
            if (gpu == null || gpu.uuid() == null || gpu.uuid().length() > 100 || !ReportVerifier.GPU_UUID.matcher(gpu.uuid()).matches()) {
                throw DomainException.invalid("gpus[" + i + "].uuid: a GPU UUID as the driver gives it, GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
            }
            if (!seen.add(gpu.uuid())) {
                throw DomainException.invalid("gpus[" + i + "].uuid: " + gpu.uuid() + " is named twice");
            }
            GpuModel model = certification.model(gpu.model() == null || gpu.model().length() > 40 ? null : gpu.model())
                    .orElseThrow(() -> DomainException.invalid("gpus[" + seen.size() + "].model: there is no GPU model '" + gpu.model()
                            + "' in the reference table (GET /api/gpu/models)"));
            certification.validCertificateOfAnother(gpu.uuid(), caller.address(), now).ifPresent(other -> {
                throw DomainException.conflict("The GPU " + gpu.uuid() + " is certified for another operator until " + other.expiresAt());
            });
            claims.add(new ProofSessions.Claim(gpu.uuid(), model));
        }
        return sessions.view(sessions.open(ProofSessionEntity.Kind.CERTIFY, caller.address(), claims, null));
    }

    /** Takes the answer to a session's current step; the reply has the next step, or the outcome. */
    @Transactional
    public ProofSession answer(Caller caller, UUID id, ProofWire.Answer answer) {
        ProofSessionEntity session = ProofSessions.locked(caller, id);
        sessions.answer(session, answer);
        if (session.kind() == ProofSessionEntity.Kind.SPOT && !ProofSessionEntity.State.OPEN.name().equals(session.state)) {
            recordSpotResults(session);
        }
        return sessions.view(session);
    }

    @Transactional
    public ProofSession session(Caller caller, UUID id) {
        return sessions.view(ProofSessions.locked(caller, id));
    }

    /** The caller's sessions, newest first, at most 50. */
    @Transactional
    public List<ProofSession> sessions(Caller caller) {
        return ProofSessionEntity.<ProofSessionEntity>find("operator = ?1 order by openedAt desc", caller.address().value())
                .page(0, 50).list().stream().map(sessions::view).toList();
    }

    // ------------------------------------------------------------------ spot checks

    /** One spot check a node agent must answer: the session for its GPUs and the instant it starts. */
    public record DueCheck(UUID session, Instant startsAt, List<String> gpus) {
    }

    /**
     * What the node agent asks at every heartbeat: the spot checks due for the GPUs it serves. An
     * operator's check starts at one instant for all of its GPUs; the first poll for a GPU opens a
     * session for it (with the other GPUs of that poll), so several hosts of one operator each answer
     * for their own GPUs from the same instant. GPUs without a proof-issued ({@code bc-proof/1})
     * certificate of the caller's are left out: the proof's spot checks follow the proof's certificates.
     */
    @Transactional
    public List<DueCheck> dueSpotChecks(Caller caller, List<String> gpuUuids) {
        if (gpuUuids == null || gpuUuids.size() > 64 || gpuUuids.stream().anyMatch(u -> u == null || u.length() > 100)) {
            throw DomainException.invalid("gpus: the UUIDs of this host's GPUs, at most 64");
        }
        Instant now = clock.instant();
        WalletAddress operator = caller.address();
        List<DueCheck> due = new ArrayList<>();
        List<Object[]> checks = rows(em.createNativeQuery("select id, starts_at from gpu_spot_check where operator = ?1 and closed_at is null"
                + " order by starts_at").setParameter(1, operator.value()).getResultList());
        for (Object[] check : checks) {
            UUID checkId = (UUID) check[0];
            Instant startsAt = instant(check[1]);
            List<ProofSessions.Claim> fresh = new ArrayList<>();
            Set<UUID> existing = new HashSet<>();
            for (String uuid : new HashSet<>(gpuUuids)) {
                List<?> session = em.createNativeQuery("select session_id from gpu_spot_result where check_id = ?1 and gpu_uuid = ?2")
                        .setParameter(1, checkId).setParameter(2, uuid).getResultList();
                if (!session.isEmpty()) {
                    if (session.get(0) != null) {
                        existing.add((UUID) session.get(0));
                    }
                    continue;
                }
                certification.validCertificate(uuid, now).filter(c -> c.operator().equals(operator) && CertificateContent.PROOF_PROTOCOL.equals(c.protocol()))
                        .flatMap(c -> certification.model(c.modelId()))
                        .ifPresent(model -> fresh.add(new ProofSessions.Claim(uuid, model)));
            }
            if (!fresh.isEmpty()) {
                ProofSessionEntity session = sessions.open(ProofSessionEntity.Kind.SPOT, operator, fresh, startsAt);
                for (ProofSessions.Claim claim : fresh) {
                    em.createNativeQuery("insert into gpu_spot_result (check_id, gpu_uuid, operator, starts_at, session_id)"
                                    + " values (?1, ?2, ?3, ?4, ?5)")
                            .setParameter(1, checkId).setParameter(2, claim.uuid()).setParameter(3, operator.value())
                            .setParameter(4, Timestamp.from(startsAt)).setParameter(5, session.id).executeUpdate();
                }
                existing.add(session.id);
            }
            for (UUID id : existing) {
                ProofSessionEntity session = ProofSessionEntity.findById(id);
                if (ProofSessionEntity.State.OPEN.name().equals(session.state)) {
                    due.add(new DueCheck(id, startsAt, ProofGpuEntity.of(id).stream().map(g -> g.gpuUuid).toList()));
                }
            }
        }
        return due;
    }

    /**
     * Announces spot checks. With probability {@code spotChecksPerDay / 1440} per minute, every
     * operator with GPUs certified under {@code bc-proof/1} (and no check still open) gets one, all
     * starting at the same instant {@code spotCheckNotice} from now: one GPU cannot answer for UUIDs
     * of several wallets in turn, as it could if each wallet's checks came at its own times. Run every
     * minute on every replica; one of them does the work (an advisory lock). Returns the checks announced.
     */
    @Transactional
    public int announceSpotChecks() {
        return announceSpotChecks(clock.instant(), random.nextDouble());
    }

    /** {@link #announceSpotChecks()} at {@code now} with the minute's random {@code draw} in [0, 1). */
    @Transactional
    int announceSpotChecks(Instant now, double draw) {
        if (draw >= config.spotChecksPerDay() / 1440.0 || !tryLock("gpu:spot-announce")) {
            return 0;
        }
        List<?> operators = em.createNativeQuery("select distinct c.operator from gpu_certificate c where c.revoked_at is null"
                        + " and c.expires_at > ?1 and c.issued_at <= ?1 and c.protocol = ?2 and not exists (select 1 from gpu_spot_check s"
                        + " where s.operator = c.operator and s.closed_at is null)")
                .setParameter(1, Timestamp.from(now)).setParameter(2, CertificateContent.PROOF_PROTOCOL).getResultList();
        Instant startsAt = now.plus(config.spotCheckNotice());
        operators.forEach(operator -> announce((String) operator, startsAt));
        return operators.size();
    }

    /** Announces a spot check of {@code operator}'s GPUs starting at {@code startsAt}; returns its id. */
    @Transactional
    public UUID announce(String operator, Instant startsAt) {
        UUID id = UUID.randomUUID();
        em.createNativeQuery("insert into gpu_spot_check (id, operator, starts_at, created_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, id).setParameter(2, operator).setParameter(3, Timestamp.from(startsAt))
                .setParameter(4, Timestamp.from(clock.instant())).executeUpdate();
        return id;
    }

    /**
     * Closes spot checks whose time is up (their start plus the notice): sessions still open fail,
     * and every GPU certified for the operator under {@code bc-proof/1} at the start that no agent
     * answered for fails as missed. Returns the checks closed.
     */
    @Transactional
    public int closeSpotChecks() {
        return closeSpotChecks(clock.instant());
    }

    /** {@link #closeSpotChecks()} as at {@code now}. */
    @Transactional
    int closeSpotChecks(Instant now) {
        if (!tryLock("gpu:spot-close")) {
            return 0;
        }
        Duration window = config.spotCheckNotice().plus(config.openingTimeout());
        List<Object[]> due = rows(em.createNativeQuery("select id, operator, starts_at from gpu_spot_check where closed_at is null"
                + " and starts_at < ?1 for update skip locked").setParameter(1, Timestamp.from(now.minus(window))).getResultList());
        for (Object[] check : due) {
            UUID id = (UUID) check[0];
            String operator = (String) check[1];
            Instant startsAt = instant(check[2]);
            List<?> open = em.createNativeQuery("select distinct r.session_id from gpu_spot_result r join gpu_proof_session s"
                    + " on s.id = r.session_id where r.check_id = ?1 and s.state = 'OPEN'").setParameter(1, id).getResultList();
            for (Object sessionId : open) {
                ProofSessionEntity session = ProofSessionEntity.findById(sessionId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
                sessions.abandon(session, "The host stopped answering the spot check");
                recordSpotResults(session);
            }
            em.createNativeQuery("insert into gpu_spot_result (check_id, gpu_uuid, operator, starts_at, passed, reason, decided_at)"
                            + " select distinct cast(?1 as uuid), c.gpu_uuid, c.operator, cast(?3 as timestamptz), false, cast(?4 as text),"
                            + " cast(?5 as timestamptz) from gpu_certificate c"
                            + " where c.operator = ?2 and c.protocol = ?6 and c.issued_at <= ?3 and c.expires_at > ?3"
                            + " and (c.revoked_at is null or c.revoked_at > ?3) on conflict do nothing")
                    .setParameter(1, id).setParameter(2, operator).setParameter(3, Timestamp.from(startsAt))
                    .setParameter(6, CertificateContent.PROOF_PROTOCOL)
                    .setParameter(4, "Missed: no node agent answered for this GPU").setParameter(5, Timestamp.from(now)).executeUpdate();
            em.createNativeQuery("update gpu_spot_check set closed_at = ?2 where id = ?1").setParameter(1, id)
                    .setParameter(2, Timestamp.from(now)).executeUpdate();
        }
        return due.size();
    }

    private void recordSpotResults(ProofSessionEntity session) {
        for (ProofGpuEntity gpu : ProofGpuEntity.of(session.id)) {
            em.createNativeQuery("update gpu_spot_result set passed = ?3, reason = ?4, elapsed_ms = ?5, deadline_ms = ?6, decided_at = ?7"
                            + " where session_id = ?1 and gpu_uuid = ?2")
                    .setParameter(1, session.id).setParameter(2, gpu.gpuUuid)
                    .setParameter(3, ProofSessionEntity.State.PASSED.name().equals(gpu.state)).setParameter(4, gpu.reason)
                    .setParameter(5, gpu.computeMs).setParameter(6, gpu.computeDeadlineMs)
                    .setParameter(7, Timestamp.from(clock.instant())).executeUpdate();
        }
    }

    private boolean tryLock(String name) {
        return (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(hashtext(?1))").setParameter(1, name).getSingleResult();
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(List<?> rows) {
        return (List<Object[]>) rows;
    }

    // ------------------------------------------------------------------ results

    /**
     * Spot checks that started in [from, to) and that a GPU failed or missed, oldest first: each
     * removes that GPU's online seconds of the hour it started in (the settlement rule).
     */
    @Transactional
    public List<SpotResult> failedSpotChecks(Instant from, Instant to) {
        return results(em.createNativeQuery(RESULT + "where passed = false and starts_at >= ?1 and starts_at < ?2 order by starts_at, gpu_uuid")
                .setParameter(1, Timestamp.from(from)).setParameter(2, Timestamp.from(to)).getResultList());
    }

    /** The GPU's latest spot checks, newest first, at most {@code limit} (up to 100). */
    @Transactional
    public List<SpotResult> recentSpotChecks(String gpuUuid, int limit) {
        return results(em.createNativeQuery(RESULT + "where gpu_uuid = ?1 order by starts_at desc limit ?2")
                .setParameter(1, gpuUuid).setParameter(2, Math.max(1, Math.min(MAX_RECENT, limit))).getResultList());
    }

    /**
     * The failed or missed spot checks of these GPUs that started in [from, to), oldest first: what a
     * pool's reputation counts (one query on the GPU's index, whatever the network's failures).
     */
    @Transactional
    public List<SpotResult> failedSpotChecks(Collection<String> gpuUuids, Instant from, Instant to) {
        // A join with the UUIDs, not "= any(?)": the planner may filter a scan with a large array (Chain.holdersAt).
        return gpuUuids.isEmpty() ? List.of() : results(em.createNativeQuery("""
                        select r.gpu_uuid, r.starts_at, r.passed, r.reason, r.elapsed_ms, r.deadline_ms
                        from gpu_spot_result r join unnest(cast(?1 as varchar[])) as wanted(uuid) on r.gpu_uuid = wanted.uuid
                        where r.passed = false and r.starts_at >= ?2 and r.starts_at < ?3 order by r.starts_at, r.gpu_uuid""")
                .setParameter(1, gpuUuids.stream().distinct().toArray(String[]::new))
                .setParameter(2, Timestamp.from(from)).setParameter(3, Timestamp.from(to)).getResultList());
    }

    /** {@link #recentSpotChecks(String, int)} of each of these GPUs, in one query: newest first per GPU, GPUs in UUID order. */
    @Transactional
    public List<SpotResult> recentSpotChecks(Collection<String> gpuUuids, int limitEach) {
        return gpuUuids.isEmpty() ? List.of() : results(em.createNativeQuery("""
                        select r.gpu_uuid, r.starts_at, r.passed, r.reason, r.elapsed_ms, r.deadline_ms
                        from unnest(cast(?1 as varchar[])) as wanted(uuid) cross join lateral (
                            select * from gpu_spot_result where gpu_uuid = wanted.uuid order by starts_at desc limit ?2) r
                        order by r.gpu_uuid, r.starts_at desc""")
                .setParameter(1, gpuUuids.stream().distinct().toArray(String[]::new))
                .setParameter(2, Math.max(1, Math.min(MAX_RECENT, limitEach))).getResultList());
    }

    @SuppressWarnings("unchecked")
    private static List<SpotResult> results(List<?> rows) {
        return ((List<Object[]>) rows).stream().map(r -> new SpotResult((String) r[0], instant(r[1]), (Boolean) r[2], (String) r[3],
                r[4] == null ? null : ((Number) r[4]).intValue(), r[5] == null ? null : ((Number) r[5]).intValue())).toList();
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : value instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) value;
    }
}
