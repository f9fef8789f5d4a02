package gpu.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/** The parts of the report format that CLI and server must agree on byte for byte. */
class ReportFormatTest {

    private static JsonNode json(String text) throws Exception {
        return ReportJson.mapper().readTree(text);
    }

    @Test
    void canonicalJsonSortsKeysDropsWhitespaceAndEscapesOnlyWhatRfc8785Escapes() throws Exception {
        assertThat(CanonicalJson.write(json("{ \"b\": 1, \"a\": \"x\\ny\\u0001/é\", \"c\": [true, null, -5, {\"z\": 0, \"Z\": 1}] }")))
                .isEqualTo("{\"a\":\"x\\ny\\u0001/é\",\"b\":1,\"c\":[true,null,-5,{\"Z\":1,\"z\":0}]}");
        assertThat(CanonicalJson.write(json("{\"big\": 123456789012345678901234567890}")))
                .isEqualTo("{\"big\":123456789012345678901234567890}");
    }

    @Test
    void canonicalJsonRefusesNumbersWithFractions() {
        assertThatThrownBy(() -> CanonicalJson.write(json("{\"compute\": {\"fp32Tflops\": 64.2}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.compute.fp32Tflops is the number 64.2: numbers must be integers");
        assertThatThrownBy(() -> CanonicalJson.write(json("[1e3]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decimalsTravelAsStringsAndSurviveARoundTrip() throws Exception {
        GpuReport.Compute compute = new GpuReport.Compute(new BigDecimal("64.20"), new BigDecimal("799.00"), 9);
        JsonNode tree = ReportJson.tree(compute);
        assertThat(CanonicalJson.write(tree)).isEqualTo("{\"bf16Tflops\":\"799.00\",\"fp32Tflops\":\"64.20\",\"runs\":9}");
        assertThat(ReportJson.mapper().treeToValue(tree, GpuReport.Compute.class)).isEqualTo(compute);
    }

    @Test
    void splitmix64MatchesTheReferenceSequence() {
        // The first outputs of splitmix64 seeded with 0 (Vigna's reference implementation).
        assertThat(SeedStreams.mix(0)).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(SeedStreams.mix(0x9E3779B97F4A7C15L)).isEqualTo(0x6E789E6AA1B965F4L);
    }

    @Test
    void streamsAreSeparateAndSmallIntsStayInRange() {
        byte[] seed = SeedStreams.parse(SeedStreams.newSeed(new SecureRandom()));
        assertThat(SeedStreams.key(seed, SeedStreams.Stream.MATMUL_A)).isNotEqualTo(SeedStreams.key(seed, SeedStreams.Stream.MATMUL_B));
        long key = SeedStreams.key(seed, SeedStreams.Stream.STABILITY_A);
        int[] seen = new int[17];
        for (int i = 0; i < 17_000; i++) {
            int v = SeedStreams.smallInt(key, i, 17, 8);
            assertThat(v).isBetween(-8, 8);
            seen[v + 8]++;
        }
        assertThat(java.util.Arrays.stream(seen).boxed().toList()).allMatch(count -> count > 800);
        assertThatThrownBy(() -> SeedStreams.parse("0x1234")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void freivaldsAcceptsTheProductAndCatchesOneWrongEntry() {
        byte[] seed = SeedStreams.parse(SeedStreams.newSeed(new SecureRandom()));
        int n = 128;
        int[] a = ReferenceMath.matrix(seed, SeedStreams.Stream.STABILITY_A, n, ReferenceMath.F32_MODULUS, ReferenceMath.F32_OFFSET);
        int[] b = ReferenceMath.matrix(seed, SeedStreams.Stream.STABILITY_B, n, ReferenceMath.F32_MODULUS, ReferenceMath.F32_OFFSET);
        int[] c = ReferenceMath.multiply(a, b, n);
        float[] gpu = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            gpu[i] = c[i];
        }
        assertThat(ReferenceMath.freivalds(seed, gpu, n, 3)).isTrue();
        assertThat(ReferenceMath.digestOfLongs(ReferenceMath.times(gpu, n, ReferenceMath.vector(seed, n, -1))))
                .isEqualTo(ReferenceMath.stabilityProjectionDigest(seed, n));
        gpu[n * 77 + 5] += 1;
        assertThat(ReferenceMath.freivalds(seed, gpu, n, 3)).isFalse();
    }

    @Test
    void aResultThatIsNotAnIntegerNeverMatchesItsDigest() {
        assertThat(ReferenceMath.digestOfFloats(new float[] {3.0f, -2.0f})).isEqualTo(ReferenceMath.digestOfInts(new int[] {3, -2}));
        assertThat(ReferenceMath.digestOfFloats(new float[] {3.0000002f, -2.0f})).isNotEqualTo(ReferenceMath.digestOfInts(new int[] {3, -2}));
        assertThat(ReferenceMath.digestOfFloats(new float[] {-0.0f})).isEqualTo(ReferenceMath.digestOfInts(new int[] {0}));
    }

    @Test
    void theSignatureCoversTheCanonicalTextAndNamesItsSigner() throws Exception {
        ECKeyPair key = ECKeyPair.create(BigInteger.valueOf(42));
        GpuReport.Compute compute = new GpuReport.Compute(new BigDecimal("64.20"), new BigDecimal("799.00"), 9);
        SignedReport signed = new SignedReport(ReportJson.tree(compute),
                accounts.PersonalSignature.sign(CanonicalJson.write(ReportJson.tree(compute)), key));
        assertThat(ReportSigning.signer(signed).value()).isEqualTo("0x" + Keys.getAddress(key));

        ObjectNode reordered = (ObjectNode) json("{\"runs\": 9, \"fp32Tflops\": \"64.20\", \"bf16Tflops\": \"799.00\"}");
        assertThat(ReportSigning.signer(new SignedReport(reordered, signed.signature())).value()).isEqualTo("0x" + Keys.getAddress(key));
        reordered.put("fp32Tflops", "66.00");
        assertThat(ReportSigning.signer(new SignedReport(reordered, signed.signature())).value()).isNotEqualTo("0x" + Keys.getAddress(key));
    }

    @Test
    void theIntegritySampleFoldsEverySixtyFifthThousandFiveHundredThirtySixthWord() {
        byte[] seed = SeedStreams.parse(SeedStreams.newSeed(new SecureRandom()));
        long key = SeedStreams.key(seed, SeedStreams.Stream.INTEGRITY);
        int expected = ReferenceMath.randomPatternWord(key, 0) ^ ReferenceMath.randomPatternWord(key, 65536)
                ^ ReferenceMath.randomPatternWord(key, 131072);
        assertThat(ReferenceMath.integritySample(seed, 131073)).isEqualTo(ReferenceMath.hex32(expected));
        assertThat(ReferenceMath.integritySample(seed, 131072)).isNotEqualTo(ReferenceMath.hex32(expected));
        assertThat(GpuReport.INTEGRITY_PATTERNS).isEqualTo(List.of("walking-ones", "walking-zeros", "address", "random", "random-inverted"));
    }

    private static ObjectNode practiceReport() {
        GpuReport report = new GpuReport(GpuReport.FORMAT, null, "h100-sxm", new GpuReport.Challenge(null, "0x" + "00".repeat(32)),
                new GpuReport.Tool("test", "0x00"), null, null, new GpuReport.Compute(new BigDecimal("64.20"), new BigDecimal("799.00"), 9),
                null, null, null, null, null);
        return (ObjectNode) ReportJson.tree(report);
    }

    @Test
    void aFigureIsReadOnlyAsABoundedPlainDecimalString() {
        assertThat(ReportJson.read(practiceReport()).compute().fp32Tflops()).isEqualByComparingTo("64.20");
        for (String bad : List.of("1e-2000000000", "1E+5", "0x10", "NaN", "Infinity", "1234567890123", "1.1234567", " 1.0", "", "1.")) {
            ObjectNode report = practiceReport();
            ((ObjectNode) report.get("compute")).put("fp32Tflops", bad);
            long started = System.nanoTime();
            assertThatThrownBy(() -> ReportJson.read(report)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("compute.fp32Tflops is ")
                    .hasMessageContaining("at most 12 digits before the point and 6 after, without an exponent");
            assertThat(System.nanoTime() - started).as(bad).isLessThan(100_000_000L);
        }
        ObjectNode number = practiceReport();
        ((ObjectNode) number.get("compute")).put("bf16Tflops", 799.5);
        assertThatThrownBy(() -> ReportJson.read(number)).hasMessageContaining("compute.bf16Tflops is the number 799.5: numbers must be integers");
    }

    @Test
    void aReportReadsOnlyItsOwnFieldsWithinTheirBounds() {
        ObjectNode unknown = practiceReport();
        unknown.put("comment", "hello");
        assertThatThrownBy(() -> ReportJson.read(unknown)).hasMessage("comment is not a field of a bc-gpu-report/1 report (docs/gpu-certification.md lists them)");
        ObjectNode long_ = practiceReport();
        ((ObjectNode) long_.get("tool")).put("version", "v".repeat(101));
        assertThatThrownBy(() -> ReportJson.read(long_)).hasMessage("tool.version has 101 characters; at most 100 are allowed");
        ObjectNode control = practiceReport();
        control.put("model", "h100\nsxm");
        assertThatThrownBy(() -> ReportJson.read(control)).hasMessageContaining("model contains the control character U+000A");
        ObjectNode runs = practiceReport();
        ((ObjectNode) runs.get("compute")).put("runs", 9.5);
        assertThatThrownBy(() -> ReportJson.read(runs)).hasMessageStartingWith("compute.runs must be a whole number");
        ObjectNode huge = practiceReport();
        huge.put("startedAt", "x".repeat(ReportLimits.MAX_REPORT_CHARS));
        assertThatThrownBy(() -> ReportJson.read(huge)).hasMessageContaining("more than 16384 characters of JSON");
        assertThatThrownBy(() -> new GpuReport.Integrity(1, 1, java.util.Collections.nCopies(11, "random"), 0, BigDecimal.ONE, "0x0"))
                .hasMessage("integrity.patterns has 11 items; at most 10 are allowed");
        assertThatThrownBy(() -> new GpuReport.Stability(1024, new BigDecimal("1e-2000000000"), 1, 0, 1, true, "0x"))
                .hasMessageStartingWith("stability.seconds has 1 digits at scale 2000000000");
    }
}
