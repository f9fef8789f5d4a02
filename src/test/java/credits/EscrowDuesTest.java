package credits;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What an escrow owes each GPU through an instant, with and without failovers moving its shares. */
class EscrowDuesTest {

    private static final List<Long> GPUS = List.of(1L, 2L, 3L);

    @Test
    void withoutMovesEachGpuIsOwedItsShareAsItAccrues() {
        // 1,000 DC over three GPUs: 333, 333 and 334 (the last gets the odd unit), half of each by half-time
        assertThat(EscrowDues.through(1_000, GPUS, 0, 3_600, 1_800, List.of())).containsExactly(
                Map.entry(1L, 166L), Map.entry(2L, 166L), Map.entry(3L, 167L));
        assertThat(EscrowDues.through(1_000, GPUS, 0, 3_600, 9_999, List.of())).as("clamped to the window").containsExactly(
                Map.entry(1L, 333L), Map.entry(2L, 333L), Map.entry(3L, 334L));
    }

    @Test
    void aMovedShareIsOwedToTheGpuThatServedItFromTheMoveOn() {
        List<EscrowDues.Move> moves = List.of(new EscrowDues.Move(0, 1_200, 9));
        assertThat(EscrowDues.through(1_000, GPUS, 0, 3_600, 3_600, moves)).containsExactly(
                Map.entry(1L, 111L), Map.entry(9L, 222L), Map.entry(2L, 333L), Map.entry(3L, 334L));
        assertThat(EscrowDues.through(1_000, GPUS, 0, 3_600, 600, moves)).as("before the move, nothing for the new GPU yet")
                .containsEntry(1L, 55L).containsEntry(9L, 0L);
        // a GPU that comes to serve a second share is owed both
        assertThat(EscrowDues.through(1_000, GPUS, 0, 3_600, 3_600, List.of(new EscrowDues.Move(0, 1_800, 2))))
                .containsExactly(Map.entry(1L, 166L), Map.entry(2L, 500L), Map.entry(3L, 334L));
    }

    @Test
    void whateverTheMovesTheDuesAddUpToWhatTheSharesAccrued() {
        Random random = new Random(42);
        for (int run = 0; run < 2_000; run++) {
            int n = 1 + random.nextInt(6);
            List<Long> gpus = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                gpus.add(100L + i);
            }
            long total = random.nextInt(10_000_000);
            long start = random.nextInt(1_000);
            long end = start + 1 + random.nextInt(100_000);
            List<EscrowDues.Move> moves = new ArrayList<>();
            for (int m = random.nextInt(5); m > 0; m--) {
                moves.add(new EscrowDues.Move(random.nextInt(n), start + random.nextInt((int) (end - start)), 200L + random.nextInt(4)));
            }
            long through = start + random.nextInt((int) (end - start) + 10);
            long accrued = 0;
            for (int i = 0; i < n; i++) {
                long share = Math.floorDiv(total * (i + 1), n) - Math.floorDiv(total * i, n);
                accrued += BigInteger.valueOf(share).multiply(BigInteger.valueOf(Math.min(through, end) - start))
                        .divide(BigInteger.valueOf(end - start)).longValueExact();
            }
            Map<Long, Long> dues = EscrowDues.through(total, gpus, start, end, through, moves);
            assertThat(dues.values()).allMatch(d -> d >= 0);
            assertThat(dues.values().stream().mapToLong(Long::longValue).sum()).as("run %d", run).isEqualTo(accrued);
            if (through >= end) {
                assertThat(dues.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
            }
        }
    }
}
