package gpu;

import gpu.report.GpuReport;
import gpu.report.ReferenceMath;
import gpu.report.ReportSigning;
import gpu.report.SeedStreams;
import gpu.report.SignedReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.web3j.crypto.ECKeyPair;

/**
 * A pretend GPU for tests without one: it "runs" the suite by computing, on the CPU, exactly what a
 * healthy GPU of the model would report for a challenge: figures at a chosen share of the model's
 * reference, and the seeded digests the server recomputes. Tests then break one thing at a time.
 */
public final class FakeGpu {

    /** An H100 SXM as the driver describes it. */
    static final String H100_NAME = "NVIDIA H100 80GB HBM3";
    static final long H100_BYTES = 81559L << 20;
    /** Small enough that the server's recomputation is quick in tests; still a valid size. */
    static final int STABILITY_SIZE = 1024;

    private FakeGpu() {
    }

    /**
     * Certifies a pretend H100 SXM with this UUID for {@code wallet} through the real API (challenge,
     * signed report, upload), as {@code bc-cli certify} would; returns the certificate's hash.
     */
    public static String certifyH100(accounts.TestWallet wallet, String token, String uuid) {
        java.util.Map<String, Object> challenge = io.restassured.RestAssured.given().auth().oauth2(token)
                .contentType(io.restassured.http.ContentType.JSON).body("{}")
                .post("/api/gpu/challenges").then().statusCode(201).extract().jsonPath().getMap("");
        GpuReport report = h100((String) challenge.get("nonce"), (String) challenge.get("seed"), wallet.address().toLowerCase(), uuid);
        return io.restassured.RestAssured.given().auth().oauth2(token).contentType(io.restassured.http.ContentType.JSON)
                .body(gpu.report.ReportJson.pretty(signed(report, wallet.key())))
                .post("/api/gpu/reports").then().statusCode(201).extract().path("hash");
    }

    static String newUuid() {
        return "GPU-" + UUID.randomUUID();
    }

    /** A healthy H100 SXM's report for this challenge, figures at 90 % of the seeded reference table's. */
    static GpuReport h100(String nonce, String seed, String operator, String uuid) {
        return h100(nonce, seed, seed, operator, uuid);
    }

    /** The same, but with the digests computed from {@code digestSeed} (which a cheat would not know). */
    static GpuReport h100(String nonce, String seed, String digestSeed, String operator, String uuid) {
        byte[] s = SeedStreams.parse(digestSeed);
        long free = H100_BYTES - (512L << 20);
        long tested = (long) (free * 0.95) / (2L << 20) * (2L << 20);
        GpuReport.Identity identity = new GpuReport.Identity(H100_NAME, uuid, "00000000:19:00.0", H100_BYTES, 132, "9.0", 1980, 2619,
                5120, "13.0");
        GpuReport.Bandwidth bandwidth = new GpuReport.Bandwidth(1L << 30, "copy_u4 528x512", d("3015.00"), d("2990.50"), d("3100.25"),
                256L << 20, d("55.10"), d("53.90"), 9);
        GpuReport.Compute compute = new GpuReport.Compute(d("60.21"), d("650.00"), 9);
        GpuReport.Integrity integrity = new GpuReport.Integrity(free, tested, GpuReport.INTEGRITY_PATTERNS, 0, d("0.55"),
                ReferenceMath.integritySample(s, tested / 4));
        GpuReport.Stability stability = new GpuReport.Stability(STABILITY_SIZE, d("20.40"), 4000, 0, 3, true,
                ReferenceMath.stabilityProjectionDigest(s, STABILITY_SIZE));
        GpuReport.Digests digests = new GpuReport.Digests(GpuReport.MATMUL_SIZE, ReferenceMath.matmulDigest(s, GpuReport.MATMUL_SIZE),
                GpuReport.MMA_SIZE, ReferenceMath.mmaDigest(s, GpuReport.MMA_SIZE));
        Instant now = Instant.now();
        return new GpuReport(GpuReport.FORMAT, operator, "h100-sxm", new GpuReport.Challenge(nonce, seed),
                new GpuReport.Tool("test", Certification.kernelsSha256()), identity, bandwidth, compute, integrity, stability, digests,
                now.minusSeconds(40).toString(), now.toString());
    }

    static SignedReport signed(GpuReport report, ECKeyPair key) {
        return ReportSigning.sign(report, key);
    }

    static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    // Small edits for tests: records are immutable, so each returns a changed copy.

    static GpuReport withModel(GpuReport r, String model) {
        return new GpuReport(r.format(), r.operator(), model, r.challenge(), r.tool(), r.gpu(), r.bandwidth(), r.compute(),
                r.integrity(), r.stability(), r.digests(), r.startedAt(), r.finishedAt());
    }

    static GpuReport withGpu(GpuReport r, UnaryOperator<GpuReport.Identity> change) {
        return new GpuReport(r.format(), r.operator(), r.model(), r.challenge(), r.tool(), change.apply(r.gpu()), r.bandwidth(),
                r.compute(), r.integrity(), r.stability(), r.digests(), r.startedAt(), r.finishedAt());
    }

    static GpuReport withCompute(GpuReport r, String fp32, String bf16) {
        return new GpuReport(r.format(), r.operator(), r.model(), r.challenge(), r.tool(), r.gpu(), r.bandwidth(),
                new GpuReport.Compute(d(fp32), d(bf16), r.compute().runs()), r.integrity(), r.stability(), r.digests(), r.startedAt(),
                r.finishedAt());
    }

    static GpuReport withCopyBandwidth(GpuReport r, String copyGbs) {
        GpuReport.Bandwidth b = r.bandwidth();
        return new GpuReport(r.format(), r.operator(), r.model(), r.challenge(), r.tool(), r.gpu(),
                new GpuReport.Bandwidth(b.bufferBytes(), b.copyKernel(), d(copyGbs), b.triadGbs(), b.memcpyDtoDGbs(), b.pinnedBytes(),
                        b.hostToDeviceGbs(), b.deviceToHostGbs(), b.runs()),
                r.compute(), r.integrity(), r.stability(), r.digests(), r.startedAt(), r.finishedAt());
    }

    static GpuReport withIntegrityErrors(GpuReport r, long errors) {
        GpuReport.Integrity i = r.integrity();
        return new GpuReport(r.format(), r.operator(), r.model(), r.challenge(), r.tool(), r.gpu(), r.bandwidth(), r.compute(),
                new GpuReport.Integrity(i.freeBytes(), i.testedBytes(), i.patterns(), errors, i.seconds(), i.sampleXor()),
                r.stability(), r.digests(), r.startedAt(), r.finishedAt());
    }

    static GpuReport withStability(GpuReport r, long mismatches, boolean freivalds, String seconds) {
        GpuReport.Stability s = r.stability();
        return new GpuReport(r.format(), r.operator(), r.model(), r.challenge(), r.tool(), r.gpu(), r.bandwidth(), r.compute(),
                r.integrity(), new GpuReport.Stability(s.matrixSize(), d(seconds), s.iterations(), mismatches, s.freivaldsRounds(),
                freivalds, s.projectionSha256()), r.digests(), r.startedAt(), r.finishedAt());
    }

    /** The same report from a card with {@code totalBytes} of memory: free and tested memory and the sample follow. */
    static GpuReport withMemory(GpuReport r, long totalBytes) {
        long free = totalBytes - totalBytes / 64;
        long tested = (long) (free * 0.95) / 4096 * 4096;
        GpuReport.Integrity i = r.integrity();
        return new GpuReport(r.format(), r.operator(), r.model(), r.challenge(), r.tool(),
                new GpuReport.Identity(r.gpu().name(), r.gpu().uuid(), r.gpu().pciBusId(), totalBytes, r.gpu().smCount(),
                        r.gpu().computeCapability(), r.gpu().clockMhz(), r.gpu().memoryClockMhz(), r.gpu().memoryBusWidthBits(),
                        r.gpu().driverVersion()),
                r.bandwidth(), r.compute(), new GpuReport.Integrity(free, tested, i.patterns(), i.errors(), i.seconds(),
                ReferenceMath.integritySample(SeedStreams.parse(r.challenge().seed()), tested / 4)),
                r.stability(), r.digests(), r.startedAt(), r.finishedAt());
    }
}
