package credits;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reservation's escrow owes each GPU through an instant (DESIGN section 7, step 1): the
 * escrow's total is shared out over its GPU positions (the first ones get the odd units), and each
 * position's share accrues evenly over the window, {@code floor(share × elapsed / window)}. A
 * position is served by the GPU named at purchase until a failover moves it ({@link Move}); each GPU
 * is owed the part of the accrual while it served. Pieces telescope, so the dues of all GPUs through
 * an instant are exactly what the positions accrued, with or without moves.
 */
final class EscrowDues {

    /** From {@code from} (epoch seconds) on, position {@code position} of the escrow is served by {@code gpuId}. */
    record Move(int position, long from, long gpuId) {
    }

    private EscrowDues() {
    }

    /**
     * Per GPU, in the order of the positions and their moves: what the escrow of {@code total} over
     * GPUs {@code gpuIds} and window [{@code start}, {@code end}) owes it through {@code through}
     * (epoch seconds, clamped to the window).
     */
    static Map<Long, Long> through(long total, List<Long> gpuIds, long start, long end, long through, List<Move> moves) {
        long until = Math.max(start, Math.min(through, end));
        Map<Long, Long> dues = new LinkedHashMap<>();
        int n = gpuIds.size();
        for (int i = 0; i < n; i++) {
            long share = Math.floorDiv(Math.multiplyExact(total, i + 1L), n) - Math.floorDiv(Math.multiplyExact(total, (long) i), n);
            long from = start;
            long gpu = gpuIds.get(i);
            for (Move move : movesOf(moves, i)) {
                long to = Math.max(start, Math.min(move.from(), until));
                dues.merge(gpu, accrued(share, start, end, to) - accrued(share, start, end, from), Long::sum);
                from = Math.max(from, to);
                gpu = move.gpuId();
            }
            dues.merge(gpu, accrued(share, start, end, until) - accrued(share, start, end, from), Long::sum);
        }
        return dues;
    }

    private static List<Move> movesOf(List<Move> moves, int position) {
        List<Move> of = new ArrayList<>();
        for (Move move : moves) {
            if (move.position() == position) {
                of.add(move);
            }
        }
        of.sort(Comparator.comparingLong(Move::from));
        return of;
    }

    /** floor(share × (at − start) / (end − start)), exact for any share and window. */
    private static long accrued(long share, long start, long end, long at) {
        return BigInteger.valueOf(share).multiply(BigInteger.valueOf(at - start)).divide(BigInteger.valueOf(end - start)).longValueExact();
    }
}
