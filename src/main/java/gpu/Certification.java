package gpu;

import accounts.Caller;
import accounts.WalletAddress;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import gpu.report.GpuReport;
import gpu.report.ReferenceMath;
import gpu.report.ReportJson;
import gpu.report.ReportSigning;
import gpu.report.SeedStreams;
import gpu.report.SignedReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import platform.DomainException;
import platform.PlatformConfig;

/**
 * The gpu module's facade: the reference table of GPU models, challenges, the verification of signed
 * benchmark reports, certificates and host keys. The pools module asks it whether a GPU may be
 * minted ({@link #validCertificate}) and for the certificate whose hash goes into the GPU NFT.
 */
@ApplicationScoped
public class Certification {

    /** The PTX the CLI runs; a report must name its SHA-256. */
    static final String KERNELS_RESOURCE = "/gpu/kernels/suite.ptx";
    private static final Pattern MODEL_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    /** "0x" and 65 bytes in hex. */
    private static final int MAX_SIGNATURE_CHARS = 132;
    private static final Pattern SIGNATURE_SHAPE = Pattern.compile("0x[0-9a-fA-F]{130}");
    private static final Pattern CERTIFICATE_HASH = Pattern.compile("0x[0-9a-f]{64}");
    private static final TypeReference<List<Reason>> REASONS = new TypeReference<>() {
    };

    private final Clock clock;
    private final GpuConfig config;
    private final PlatformConfig platform;
    private final Validator validator;
    private final ReportVerifier verifier;
    private final ProofSessions sessions;
    private final SecureRandom random = new SecureRandom();

    Certification(Clock clock, GpuConfig config, PlatformConfig platform, Validator validator, ProofSessions sessions) {
        this.clock = clock;
        this.config = config;
        this.platform = platform;
        this.validator = validator;
        this.sessions = sessions;
        this.verifier = new ReportVerifier(new ReportVerifier.Rules(config.minStability().toSeconds(),
                config.plausibilityTolerance(), config.minMemoryCoverage(), kernelsSha256()));
    }

    // ------------------------------------------------------------------ the reference table

    /** Every GPU model that can be certified, by id. */
    @Transactional
    public List<GpuModel> models() {
        return GpuModelEntity.<GpuModelEntity>listAll().stream().map(GpuModelEntity::view)
                .sorted(Comparator.comparing(GpuModel::id)).toList();
    }

    @Transactional
    public Optional<GpuModel> model(String modelId) {
        return modelId == null ? Optional.empty() : GpuModelEntity.<GpuModelEntity>findByIdOptional(modelId).map(GpuModelEntity::view);
    }

    /** The saved model and whether it was new. */
    public record SavedModel(GpuModel model, boolean created) {
    }

    /** Creates or replaces a row of the reference table; admins only. Invalid values change nothing. */
    @Transactional
    public SavedModel saveModel(Caller caller, String modelId, ModelUpdate update) {
        if (!caller.isAdmin()) {
            throw DomainException.forbidden("Only admins edit the GPU model table");
        }
        if (modelId == null || !MODEL_ID.matcher(modelId).matches()) {
            throw DomainException.invalid("A model id is 1 to 40 lowercase letters, digits and dashes, e.g. h100-sxm");
        }
        Set<ConstraintViolation<ModelUpdate>> violations = validator.validate(update);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        GpuModelEntity entity = GpuModelEntity.findById(modelId);
        boolean created = entity == null;
        if (created) {
            entity = new GpuModelEntity();
            entity.id = modelId;
        }
        entity.apply(update);
        entity.updatedAt = clock.instant();
        entity.updatedBy = caller.address().value();
        entity.persist();
        return new SavedModel(entity.view(), created);
    }

    // ------------------------------------------------------------------ challenges and reports

    /** A fresh challenge for the caller: a single-use nonce and a random seed. */
    @Transactional
    public Challenge issueChallenge(Caller caller) {
        Instant now = clock.instant();
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        ChallengeEntity challenge = new ChallengeEntity();
        challenge.nonce = HexFormat.of().formatHex(nonce);
        challenge.operator = caller.address().value();
        challenge.seed = SeedStreams.newSeed(random);
        challenge.issuedAt = now;
        challenge.expiresAt = now.plus(config.challengeTtl());
        challenge.persist();
        return challenge.view(config.minStability());
    }

    /**
     * Verifies a signed report uploaded by {@code caller} and certifies the GPU if every check passes.
     * A report that is not a report at all (too large, a field the format lacks or out of its
     * bounds) is a 400 and changes nothing. A report whose challenge the caller cannot use (not
     * theirs, used or expired) is refused with that one reason before anything costly is checked,
     * and is not kept. Any other report uses its challenge up and is kept, as its canonical text and
     * with all its reasons. With {@code bc.gpu.proof.required} on, only a report uploaded to a
     * passed proof session ({@link #submit(Caller, SignedReport, UUID)}) certifies.
     */
    @Transactional
    public ReportOutcome submit(Caller caller, SignedReport signed) {
        return submit(caller, signed, null);
    }

    /**
     * {@link #submit(Caller, SignedReport)} of a GPU that the caller's certification session
     * {@code sessionId} proved: the session must have passed for the report's GPU and model within
     * {@code bc.gpu.proof.session-validity}, and certifies it once. The certificate names protocol
     * {@code bc-proof/1} and the session's measured times.
     */
    @Transactional
    public ReportOutcome submit(Caller caller, SignedReport signed, UUID sessionId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ProofSessionEntity session = sessionId == null ? null : ProofSessions.locked(caller, sessionId); // someone else's: 404 before anything
        if (signed == null) {
            throw DomainException.invalid("body is required: send {\"report\": {…}, \"signature\": \"0x…\"}");
        }
        if (signed.report() == null) {
            throw DomainException.invalid("report is required: send {\"report\": {…}, \"signature\": \"0x…\"}");
        }
        if (signed.signature() == null || signed.signature().length() > MAX_SIGNATURE_CHARS
                || !SIGNATURE_SHAPE.matcher(signed.signature()).matches()) {
            throw DomainException.invalid("signature must be an EIP-191 signature: 0x and 130 hex digits");
        }
        GpuReport report;
        try {
            report = ReportJson.read(signed.report());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("The report is not valid: " + e.getMessage());
        }
        requireShape(report);
        WalletAddress operator = caller.address();

        Optional<Reason> unusable = challengeRefusal(report.challenge().nonce(), operator, now);
        if (unusable.isPresent()) {
            return new ReportOutcome(null, null, List.of(unusable.get()));
        }
        ChallengeEntity challenge = ChallengeEntity.findById(report.challenge().nonce());
        List<Reason> reasons = new ArrayList<>();
        if (!challenge.seed.equalsIgnoreCase(String.valueOf(report.challenge().seed()))) {
            reasons.add(new Reason("seed", "The report's seed is not the seed of challenge " + challenge.nonce));
        }
        byte[] seed = SeedStreams.parse(challenge.seed);

        String canonical = ReportSigning.canonical(report);
        WalletAddress signer = null;
        try {
            signer = ReportSigning.signer(report, signed.signature());
        } catch (DomainException e) {
            reasons.add(new Reason("signature", "The signature does not verify: " + e.getMessage()));
        }
        if (signer != null && !signer.equals(operator) && !HostKeyEntity.isActiveKeyOf(operator, signer)) {
            reasons.add(new Reason("signature", "The report is signed by " + signer.checksummed()
                    + ", which is neither your wallet nor one of your registered host keys"));
        }
        if (report.operator() == null || !report.operator().equalsIgnoreCase(operator.value())) {
            reasons.add(new Reason("operator", "The report is for operator " + report.operator() + ", not for you (" + operator.checksummed() + ")"));
        }

        GpuModel model = null;
        if (report.model() == null) {
            reasons.add(new Reason("model", "The report names no model; run the CLI with --model (see GET /api/gpu/models)"));
        } else {
            model = model(report.model()).orElse(null);
            if (model == null) {
                reasons.add(new Reason("model", "There is no GPU model '" + report.model() + "' in the reference table (GET /api/gpu/models)"));
            }
        }
        reasons.addAll(verifier.verify(report, model, seed));

        String uuid = report.gpu().uuid();
        ProofGpuEntity proven = null;
        if (session != null) {
            proven = ProofGpuEntity.<ProofGpuEntity>find("sessionId = ?1 and gpuUuid = ?2", sessionId, uuid).firstResult();
            sessions.refusal(session, proven, report.model(), now).ifPresent(why -> reasons.add(new Reason("session", why)));
        } else if (config.proof().required()) {
            reasons.add(new Reason("session", "A new certificate needs a passed proof-of-GPU session: upload the report to"
                    + " POST /api/gpu/sessions/{id}/reports of a session its GPU passed (docs/gpu-certification.md, \"Proof of GPU\");"
                    + " this server takes no one-shot reports (bc.gpu.proof.required)"));
        }
        lockGpu(uuid);
        List<CertificateEntity> current = CertificateEntity.list("gpuUuid = ?1 and revokedAt is null and expiresAt > ?2", uuid, now);
        current.stream().filter(c -> !c.operator.equals(operator.value())).findFirst().ifPresent(other -> reasons.add(new Reason("uuid",
                "The GPU " + uuid + " is already certified for operator " + WalletAddress.of(other.operator).checksummed()
                        + " until " + other.expiresAt + "; it must be revoked there first")));

        ReportEntity entity = new ReportEntity();
        entity.id = UUID.randomUUID();
        entity.operator = operator.value();
        entity.nonce = challenge.nonce;
        entity.signer = signer == null ? null : signer.value();
        entity.gpuUuid = uuid;
        entity.gpuName = report.gpu().name();
        entity.modelId = report.model();
        entity.submittedAt = now;
        entity.certified = reasons.isEmpty();
        entity.reasons = json(reasons);
        entity.body = canonical;
        entity.persist();
        if (!reasons.isEmpty()) {
            return new ReportOutcome(entity.id, null, reasons);
        }

        Instant expires = now.plus(config.certificateValidity());
        String content = CertificateContent.build(report, entity.id, ReferenceMath.sha256(canonical.getBytes(StandardCharsets.UTF_8)),
                model, operator, signer, now, expires, proven);
        CertificateEntity certificate = new CertificateEntity();
        certificate.hash = CertificateContent.hash(content);
        certificate.gpuUuid = uuid;
        certificate.modelId = model.id();
        certificate.operator = operator.value();
        certificate.reportId = entity.id;
        certificate.issuedAt = now;
        certificate.expiresAt = expires;
        certificate.content = content;
        if (proven != null) {
            certificate.protocol = CertificateContent.PROOF_PROTOCOL;
            certificate.sessionId = proven.sessionId;
            proven.certificate = certificate.hash;
        }
        for (CertificateEntity older : current) {
            older.revokedAt = now;
            older.supersededBy = certificate.hash;
        }
        certificate.persist();
        return new ReportOutcome(entity.id, CertificateContent.view(certificate), List.of());
    }

    /**
     * Why the caller cannot use the challenge with this nonce, if they cannot: it was not issued to
     * them, it expired or it was used. Otherwise it is used up now (safe under concurrency: of two
     * uploads for one challenge, one gets it) and the answer is empty.
     */
    private static Optional<Reason> challengeRefusal(String nonce, WalletAddress operator, Instant now) {
        ChallengeEntity challenge = nonce == null ? null : ChallengeEntity.findById(nonce);
        if (challenge == null || !challenge.operator.equals(operator.value())) {
            return Optional.of(new Reason("nonce", "The nonce " + nonce + " was not issued to you; ask POST /api/gpu/challenges for a challenge"));
        }
        Reason used = new Reason("nonce", "The challenge " + nonce + " was already used; each challenge is good for one report");
        if (challenge.usedAt != null) {
            return Optional.of(used);
        }
        if (!now.isBefore(challenge.expiresAt)) {
            return Optional.of(new Reason("nonce", "The challenge " + nonce + " expired at " + challenge.expiresAt + "; run again with a fresh one"));
        }
        return ChallengeEntity.consume(nonce, now) ? Optional.empty() : Optional.of(used);
    }

    /** Serialises certification of one GPU UUID across concurrent uploads (until the transaction ends). */
    private static void lockGpu(String uuid) {
        CertificateEntity.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "gpu:" + uuid).getSingleResult();
    }

    private static void requireShape(GpuReport report) {
        List<String> missing = new ArrayList<>();
        if (!GpuReport.FORMAT.equals(report.format())) {
            throw DomainException.invalid("The report's format is " + report.format() + "; this server reads " + GpuReport.FORMAT);
        }
        if (report.challenge() == null) {
            missing.add("challenge");
        }
        if (report.tool() == null) {
            missing.add("tool");
        }
        if (report.gpu() == null) {
            missing.add("gpu");
        }
        if (report.bandwidth() == null || report.bandwidth().copyGbs() == null || report.bandwidth().triadGbs() == null
                || report.bandwidth().memcpyDtoDGbs() == null || report.bandwidth().hostToDeviceGbs() == null
                || report.bandwidth().deviceToHostGbs() == null) {
            missing.add("bandwidth");
        }
        if (report.compute() == null || report.compute().fp32Tflops() == null || report.compute().bf16Tflops() == null) {
            missing.add("compute");
        }
        if (report.integrity() == null || report.integrity().seconds() == null || report.integrity().patterns() == null) {
            missing.add("integrity");
        }
        if (report.stability() == null || report.stability().seconds() == null) {
            missing.add("stability");
        }
        if (report.digests() == null) {
            missing.add("digests");
        }
        if (!missing.isEmpty()) {
            throw DomainException.invalid("The report lacks " + String.join(", ", missing) + " (see docs/gpu-certification.md)");
        }
    }

    /** The caller's uploads, newest first, with the reasons of those that failed. */
    @Transactional
    public List<ReportAttempt> reports(WalletAddress operator) {
        List<ReportEntity> reports = ReportEntity.list("operator = ?1 order by submittedAt desc, id", operator.value());
        return reports.stream().map(r -> new ReportAttempt(r.id, r.submittedAt, r.gpuUuid, r.gpuName, r.modelId, r.certified,
                r.certified ? CertificateEntity.<CertificateEntity>find("reportId", r.id).firstResultOptional().map(c -> c.hash).orElse(null) : null,
                reasons(r.reasons))).toList();
    }

    // ------------------------------------------------------------------ certificates

    /** The operator's certificates, newest first, whatever their status. */
    @Transactional
    public List<Certificate> certificates(WalletAddress operator) {
        return CertificateEntity.<CertificateEntity>list("operator = ?1 order by issuedAt desc, hash", operator.value()).stream()
                .map(CertificateContent::view).toList();
    }

    /** A certificate by its hash, whatever its status. */
    @Transactional
    public Optional<Certificate> certificate(String hash) {
        if (hash == null || !CERTIFICATE_HASH.matcher(hash.toLowerCase()).matches()) {
            return Optional.empty();
        }
        return CertificateEntity.<CertificateEntity>findByIdOptional(hash.toLowerCase()).map(CertificateContent::view);
    }

    /**
     * The certificate that makes the GPU with this UUID certified at {@code at}: the newest valid one,
     * if any. A demo certificate is valid only while demo mode is on.
     */
    @Transactional
    public Optional<Certificate> validCertificate(String gpuUuid, Instant at) {
        return CertificateEntity.<CertificateEntity>list("gpuUuid = ?1 and issuedAt <= ?2 and expiresAt > ?2 order by issuedAt desc",
                        gpuUuid, at).stream()
                .map(CertificateContent::view).filter(c -> valid(c, at)).findFirst();
    }

    private boolean valid(Certificate certificate, Instant at) {
        return certificate.validAt(at) && (!certificate.demo() || platform.demo().enabled());
    }

    /**
     * A demo certificate for a GPU of the demo network (market.DemoNetwork), issued to its operator
     * without a report: the model's reference figures, marked demo, valid for
     * {@code bc.gpu.certificate-validity} and only while demo mode is on. Refused (403) when it is off.
     */
    @Transactional
    public Certificate issueDemoCertificate(WalletAddress operator, String gpuUuid, String modelId) {
        if (!platform.demo().enabled()) {
            throw DomainException.forbidden("Demo certificates are issued only in demo mode (BC_DEMO=true)");
        }
        if (gpuUuid == null || gpuUuid.isBlank() || gpuUuid.length() > 100) {
            throw DomainException.invalid("uuid: a GPU UUID of 1 to 100 characters");
        }
        GpuModel model = model(modelId).orElseThrow(() -> DomainException.notFound("There is no GPU model " + modelId));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expires = now.plus(config.certificateValidity());
        CertificateEntity certificate = new CertificateEntity();
        certificate.content = CertificateContent.demo(gpuUuid, model, operator, now, expires);
        certificate.hash = CertificateContent.hash(certificate.content);
        certificate.gpuUuid = gpuUuid;
        certificate.modelId = model.id();
        certificate.operator = operator.value();
        certificate.issuedAt = now;
        certificate.expiresAt = expires;
        certificate.demo = true;
        certificate.protocol = CertificateContent.DEMO_PROTOCOL;
        certificate.persist();
        return CertificateContent.view(certificate);
    }

    /** Revokes a certificate (its operator or an admin), e.g. before the GPU moves to another operator. */
    @Transactional
    public void revokeCertificate(Caller caller, String hash) {
        CertificateEntity certificate = Optional.ofNullable(hash).map(String::toLowerCase)
                .flatMap(h -> CertificateEntity.<CertificateEntity>findByIdOptional(h))
                .filter(c -> caller.isAdmin() || c.operator.equals(caller.address().value()))
                .orElseThrow(() -> DomainException.notFound("You have no certificate " + hash));
        if (certificate.revokedAt == null) {
            certificate.revokedAt = clock.instant();
        }
    }

    // ------------------------------------------------------------------ host keys

    /** Registers an address whose key lives on one of the caller's GPU hosts; it may then sign the caller's reports. */
    @Transactional
    public HostKey registerHostKey(Caller caller, String address, String label) {
        WalletAddress key = WalletAddress.of(address);
        String trimmed = label == null ? "" : label.trim();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw DomainException.invalid("label: name the host key in 1 to 100 characters, e.g. the host's name");
        }
        if (HostKeyEntity.count("address = ?1 and revokedAt is null", key.value()) > 0) {
            throw DomainException.conflict("The host key " + key.checksummed() + " is already registered; revoke it first");
        }
        HostKeyEntity entity = new HostKeyEntity();
        entity.id = UUID.randomUUID();
        entity.operator = caller.address().value();
        entity.address = key.value();
        entity.label = trimmed;
        entity.createdAt = clock.instant();
        entity.persist();
        return entity.view();
    }

    /** The caller's host keys, newest first, revoked ones included. */
    @Transactional
    public List<HostKey> hostKeys(Caller caller) {
        return HostKeyEntity.<HostKeyEntity>list("operator = ?1 order by createdAt desc, id", caller.address().value()).stream()
                .map(HostKeyEntity::view).toList();
    }

    @Transactional
    public void revokeHostKey(Caller caller, UUID id) {
        HostKeyEntity key = HostKeyEntity.<HostKeyEntity>findByIdOptional(id)
                .filter(k -> k.operator.equals(caller.address().value()))
                .orElseThrow(() -> DomainException.notFound("You have no host key with id " + id));
        if (key.revokedAt == null) {
            key.revokedAt = clock.instant();
        }
    }

    /** Deletes challenges that expired more than a day ago (reports keep their nonce as text). */
    @Transactional
    void purgeExpiredChallenges() {
        ChallengeEntity.delete("expiresAt < ?1", clock.instant().minus(1, ChronoUnit.DAYS));
    }

    // ------------------------------------------------------------------ helpers

    static String kernelsSha256() {
        try (InputStream in = Certification.class.getResourceAsStream(KERNELS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(KERNELS_RESOURCE + " is missing from the build");
            }
            return ReferenceMath.sha256(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(List<Reason> reasons) {
        try {
            return ReportJson.mapper().writeValueAsString(reasons);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Reason> reasons(String json) {
        try {
            return ReportJson.mapper().readValue(json, REASONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A certificate valid at {@code at} for the GPU with this UUID (compared without regard to case)
     * that was issued to an operator other than {@code operator}: while there is one, the GPU is
     * that operator's, and another may not register it.
     */
    @Transactional
    public Optional<Certificate> validCertificateOfAnother(String gpuUuid, WalletAddress operator, Instant at) {
        if (gpuUuid == null || gpuUuid.length() > 100) {
            return Optional.empty();
        }
        return CertificateEntity.<CertificateEntity>list("lower(gpuUuid) = ?1 and operator <> ?2 and issuedAt <= ?3 and expiresAt > ?3 "
                        + "order by issuedAt desc", gpuUuid.toLowerCase(java.util.Locale.ROOT), operator.value(), at).stream()
                .map(CertificateContent::view).filter(c -> valid(c, at)).findFirst();
    }
}
