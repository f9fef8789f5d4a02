package market;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How the pieces of a reservation's time slot inherit its allocation (DESIGN section 6): by time,
 * each piece keeps the same GPUs over its sub-window; by GPU count, over every stretch of time the
 * first piece gets the lowest GPU ids the parent holds then, the second the others; a merge holds
 * what both held, ranges of one GPU that touch joined into one. Only GPU time moves: the pieces'
 * holds exactly cover the parent's (no gap, no overlap), so GPU-seconds are conserved. Pure
 * functions over {@link Span}s, tested without a database.
 */
final class SlotPieces {

    private SlotPieces() {
    }

    /** A GPU held over [lower, upper) (a reservation's hold always has an end). */
    record Span(long gpuId, String gpuUuid, Instant lower, Instant upper) {
        Span {
            if (upper == null || !lower.isBefore(upper)) {
                throw new IllegalArgumentException("a piece's hold needs a window: " + lower + " to " + upper);
            }
        }

        long seconds() {
            return Duration.between(lower, upper).getSeconds();
        }
    }

    /** What the two pieces of a split hold. */
    record Split(List<Span> first, List<Span> second) {
    }

    static long gpuSeconds(List<Span> spans) {
        return spans.stream().mapToLong(Span::seconds).sum();
    }

    /** A split by time at {@code at}: the first piece holds what the parent held before it, the second from it. */
    static Split byTime(List<Span> parent, Instant at) {
        List<Span> first = new ArrayList<>();
        List<Span> second = new ArrayList<>();
        for (Span s : parent) {
            if (s.lower().isBefore(at)) {
                first.add(new Span(s.gpuId(), s.gpuUuid(), s.lower(), s.upper().isAfter(at) ? at : s.upper()));
            }
            if (s.upper().isAfter(at)) {
                second.add(new Span(s.gpuId(), s.gpuUuid(), s.lower().isAfter(at) ? s.lower() : at, s.upper()));
            }
        }
        return new Split(sorted(first), sorted(second));
    }

    /**
     * A split by count: over each stretch of time where the same GPUs are held, the first
     * {@code count} of them by id go to the first piece, the rest to the second.
     */
    static Split byCount(List<Span> parent, int count) {
        TreeSet<Instant> bounds = new TreeSet<>();
        parent.forEach(s -> {
            bounds.add(s.lower());
            bounds.add(s.upper());
        });
        List<Span> first = new ArrayList<>();
        List<Span> second = new ArrayList<>();
        Instant from = null;
        for (Instant to : bounds) {
            if (from != null) {
                Instant lo = from;
                List<Span> held = parent.stream().filter(s -> !s.lower().isAfter(lo) && s.upper().isAfter(lo))
                        .sorted(Comparator.comparingLong(Span::gpuId)).toList();
                for (int i = 0; i < held.size(); i++) {
                    Span s = held.get(i);
                    (i < count ? first : second).add(new Span(s.gpuId(), s.gpuUuid(), lo, to));
                }
            }
            from = to;
        }
        return new Split(joined(first), joined(second));
    }

    /** A merge: both pieces' holds, those of one GPU that touch joined. */
    static List<Span> merge(List<Span> a, List<Span> b) {
        List<Span> all = new ArrayList<>(a);
        all.addAll(b);
        return joined(all);
    }

    /** The spans with those of one GPU that touch (or overlap) joined, by GPU and time. */
    static List<Span> joined(List<Span> spans) {
        Map<Long, List<Span>> byGpu = new TreeMap<>();
        for (Span s : sorted(spans)) {
            byGpu.computeIfAbsent(s.gpuId(), g -> new ArrayList<>()).add(s);
        }
        List<Span> joined = new ArrayList<>();
        for (List<Span> gpu : byGpu.values()) {
            Span open = null;
            for (Span s : gpu) {
                if (open != null && !s.lower().isAfter(open.upper())) {
                    open = new Span(open.gpuId(), open.gpuUuid(), open.lower(), s.upper().isAfter(open.upper()) ? s.upper() : open.upper());
                } else {
                    if (open != null) {
                        joined.add(open);
                    }
                    open = s;
                }
            }
            joined.add(open);
        }
        return joined;
    }

    private static List<Span> sorted(List<Span> spans) {
        return spans.stream().sorted(Comparator.comparingLong(Span::gpuId).thenComparing(Span::lower)).toList();
    }
}
