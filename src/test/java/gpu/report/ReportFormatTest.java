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
}
