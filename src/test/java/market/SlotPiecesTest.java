package market;

import static org.assertj.core.api.Assertions.assertThat;

import credits.Credits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How pieces of a slot inherit its holds, and the rounding rule of an escrow divided among them; no database. */
class SlotPiecesTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static Instant h(long hours) {
        return T0.plusSeconds(hours * 3600);
    }

    private static SlotPieces.Span span(long gpu, long from, long to) {
        return new SlotPieces.Span(gpu, "GPU-" + gpu, h(from), h(to));
    }

    private static List<SlotPieces.Span> slot(int gpus, long from, long to) {
        List<SlotPieces.Span> spans = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            spans.add(span(10 + g, from, to));
        }
        return spans;
    }

    @Test
    void aSplitByTimeKeepsTheSameGpusOverEachSubWindow() {
        SlotPieces.Split split = SlotPieces.byTime(slot(2, 0, 10), h(4));
        assertThat(split.first()).containsExactly(span(10, 0, 4), span(11, 0, 4));
        assertThat(split.second()).containsExactly(span(10, 4, 10), span(11, 4, 10));
    }

    @Test
    void aSplitByCountGivesTheFirstPieceTheLowestGpuIds() {
        SlotPieces.Split split = SlotPieces.byCount(List.of(span(30, 0, 5), span(12, 0, 5), span(20, 0, 5)), 2);
        assertThat(split.first()).containsExactly(span(12, 0, 5), span(20, 0, 5));
        assertThat(split.second()).containsExactly(span(30, 0, 5));
    }

    @Test
    void aSplitByCountOfASlotWhoseGpusChangeOverTimeTakesTheLowestIdsOfEachStretch() {
        // one GPU's worth over [0, 6) on GPU 10 and over [6, 12) on GPU 5, plus GPU 20 throughout
        List<SlotPieces.Span> parent = List.of(span(10, 0, 6), span(5, 6, 12), span(20, 0, 12));
        SlotPieces.Split split = SlotPieces.byCount(parent, 1);
        assertThat(split.first()).containsExactly(span(5, 6, 12), span(10, 0, 6));
        assertThat(split.second()).containsExactly(span(20, 0, 12));
    }

    @Test
    void aMergeJoinsTheRangesOfAGpuThatTouch() {
        assertThat(SlotPieces.merge(slot(2, 0, 4), slot(2, 4, 10))).containsExactly(span(10, 0, 10), span(11, 0, 10));
    }

    @Test
    void randomSplitsAndMergesCoverTheParentExactly() {
        Random random = new Random(20261203);
        for (int round = 0; round < 500; round++) {
            int gpus = 1 + random.nextInt(6);
            List<SlotPieces.Span> root = slot(gpus, 0, 24);
            List<List<SlotPieces.Span>> pieces = new ArrayList<>(List.of(root));
            for (int step = 0; step < 8; step++) {
                List<SlotPieces.Span> piece = pieces.remove(random.nextInt(pieces.size()));
                Instant lo = piece.stream().map(SlotPieces.Span::lower).min(Instant::compareTo).orElseThrow();
                Instant hi = piece.stream().map(SlotPieces.Span::upper).max(Instant::compareTo).orElseThrow();
                long hours = (hi.getEpochSecond() - lo.getEpochSecond()) / 3600;
                long count = piece.stream().map(SlotPieces.Span::gpuId).distinct().count();
                if (random.nextBoolean() && hours > 1) {
                    SlotPieces.Split split = SlotPieces.byTime(piece, lo.plusSeconds(3600L * (1 + random.nextInt((int) hours - 1))));
                    pieces.add(split.first());
                    pieces.add(split.second());
                } else if (count > 1) {
                    SlotPieces.Split split = SlotPieces.byCount(piece, 1 + random.nextInt((int) count - 1));
                    pieces.add(split.first());
                    pieces.add(split.second());
                } else if (!pieces.isEmpty()) {
                    pieces.add(SlotPieces.merge(piece, pieces.remove(random.nextInt(pieces.size()))));
                } else {
                    pieces.add(piece);
                }
            }
            List<SlotPieces.Span> all = pieces.stream().flatMap(List::stream).toList();
            assertThat(SlotPieces.gpuSeconds(all)).as("GPU-seconds conserved").isEqualTo(SlotPieces.gpuSeconds(root));
            assertThat(SlotPieces.joined(all)).as("the pieces cover the parent, without overlap").isEqualTo(root);
        }
    }

    @Test
    void anEscrowDividedByWeightAddsUpExactlyAndTheLastPieceGetsWhatIsLeft() {
        assertThat(Credits.proportionalShares(100, List.of(1L, 1L, 1L))).containsExactly(33L, 33L, 34L);
        assertThat(Credits.proportionalShares(10, List.of(3L, 7L))).containsExactly(3L, 7L);
        assertThat(Credits.proportionalShares(0, List.of(5L, 5L))).containsExactly(0L, 0L);
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            long total = Math.abs(random.nextLong() % 1_000_000_000_000L);
            List<Long> weights = new ArrayList<>();
            for (int k = 1 + random.nextInt(5); k > 0; k--) {
                weights.add(1 + Math.abs(random.nextLong() % 100_000_000_000L));
            }
            List<Long> shares = Credits.proportionalShares(total, weights);
            assertThat(shares.stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
            long sum = weights.stream().mapToLong(Long::longValue).sum();
            for (int k = 0; k < shares.size(); k++) {
                double exact = (double) total * weights.get(k) / sum;
                assertThat(Math.abs(shares.get(k) - exact)).isLessThanOrEqualTo(1.0 + exact * 1e-12);
            }
        }
    }
}
