package market;

import chain.SlotSplit;
import chain.SlotTransferred;
import chain.SlotsMerged;
import chain.Token;
import credits.Credits;
import credits.DataCredits;
import credits.EscrowTerms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The market follows its time slots on chain (DESIGN section 6). Event sync fires these events
 * synchronously inside its transaction, once per chain log, so what is done here commits with the
 * mirror or not at all:
 * <ul>
 * <li>a split ({@link SlotSplit}): the parent order becomes SPLIT and each piece an order of its own;
 *     the parent's holds are replaced by the pieces' ({@link SlotPieces}: by time the same GPUs over
 *     the sub-windows, by count the lowest GPU ids first) and its escrow divided in proportion to
 *     GPU-seconds ({@link Credits#divideEscrow}, keys from the log);</li>
 * <li>a merge ({@link SlotsMerged}): both parents become MERGED, the merged slot's order holds what
 *     both held and gets both escrows ({@link Credits#joinEscrows});</li>
 * <li>a transfer ({@link SlotTransferred}, a sale included): the order's workload is cleared, so the
 *     lease feed carries none and the node agent stops the old holder's container; the new holder
 *     sets one ({@link Slots#setWorkload}).</li>
 * </ul>
 * A slot the market has no order for (minted elsewhere) is ignored with a log line: throwing would
 * stop event sync for good.
 */
@ApplicationScoped
class SlotFollower {

    private static final Logger LOG = Logger.getLogger(SlotFollower.class);

    private final Holds holds;
    private final Credits credits;
    private final Clock clock;

    SlotFollower(Holds holds, Credits credits, Clock clock) {
        this.holds = holds;
        this.credits = credits;
        this.clock = clock;
    }

    private static Instant instant(chain.ChainTime time) {
        return time.instant().orElseThrow(() -> new IllegalStateException("a reserved slot's window always ends: " + time));
    }

    private static String logKey(long chainId, String txHash, int logIndex) {
        return chainId + ":" + txHash + ":" + logIndex;
    }

    void split(@Observes SlotSplit e) {
        Optional<OrderEntity> found = OrderEntity.bySlot(e.parent());
        if (found.isEmpty() || found.get().kind != OrderKind.RESERVED || !found.get().slotTokenId.equals(e.parent())) {
            LOG.infof("slot %s was split into %s and %s: the market has no reservation for it, so it follows neither piece",
                    e.parent(), e.first(), e.second());
            return;
        }
        OrderEntity parent = found.get();
        if (replaced(parent)) {
            LOG.warnf("slot %s was split again on chain, but order %d already is %s; ignored", e.parent(), parent.id, parent.status);
            return;
        }
        Token.Slot a = e.firstTerms();
        Token.Slot b = e.secondTerms();
        List<SlotPieces.Span> spans = spans(parent.id);
        boolean byTime = a.gpuCount() == b.gpuCount() && a.end().equals(b.start()) && !a.start().equals(b.start());
        SlotPieces.Split split = byTime ? SlotPieces.byTime(spans, instant(a.end())) : SlotPieces.byCount(spans, (int) a.gpuCount());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        OrderEntity first = OrderEntity.piece(parent, e.holder(), e.first(), (int) a.gpuCount(), instant(a.start()), instant(a.end()),
                parent.id, now);
        OrderEntity second = OrderEntity.piece(parent, e.holder(), e.second(), (int) b.gpuCount(), instant(b.start()), instant(b.end()),
                parent.id, now);
        List<DataCredits> moved = credits.divideEscrow("market:slot-split:" + logKey(e.chainId(), e.txHash(), e.logIndex()),
                Orders.escrowId(parent.id), List.of(
                        new Credits.EscrowPiece(Orders.escrowId(first.id), terms(parent.poolId, first, split.first()),
                                SlotPieces.gpuSeconds(split.first())),
                        new Credits.EscrowPiece(Orders.escrowId(second.id), terms(parent.poolId, second, split.second()),
                                SlotPieces.gpuSeconds(split.second()))),
                "slot " + e.parent() + " split into " + e.first() + " and " + e.second());
        first.priceDc = moved.get(0).value();
        second.priceDc = moved.get(1).value();
        parent.replaced(OrderStatus.SPLIT, e.blockTime());
        replace(List.of(parent.id), List.of(first, second), List.of(split.first(), split.second()));
        LOG.infof("order %d (slot %s) split into orders %d (slot %s, %d DC) and %d (slot %s, %d DC)", parent.id, e.parent(), first.id,
                e.first(), first.priceDc, second.id, e.second(), second.priceDc);
    }

    void merge(@Observes SlotsMerged e) {
        Optional<OrderEntity> a = OrderEntity.bySlot(e.first());
        Optional<OrderEntity> b = OrderEntity.bySlot(e.second());
        if (a.isEmpty() || b.isEmpty() || a.get().kind != OrderKind.RESERVED || b.get().kind != OrderKind.RESERVED
                || a.get().poolId != b.get().poolId) {
            LOG.infof("slots %s and %s were merged into %s: the market does not have reservations of one pool for both, so it "
                    + "does not follow the merged slot", e.first(), e.second(), e.merged());
            return;
        }
        OrderEntity first = a.get();
        OrderEntity second = b.get();
        if (replaced(first) || replaced(second)) {
            LOG.warnf("slots %s and %s were merged on chain, but their orders are %s and %s; ignored", e.first(), e.second(),
                    first.status, second.status);
            return;
        }
        Token.Slot terms = e.mergedTerms();
        List<SlotPieces.Span> spans = SlotPieces.merge(spans(first.id), spans(second.id));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        OrderEntity merged = OrderEntity.piece(first.status.open() ? first : second, e.holder(), e.merged(), (int) terms.gpuCount(),
                instant(terms.start()), instant(terms.end()), null, now);
        if (merged.workload == null) {
            merged.workload = second.workload;
        }
        merged.priceDc = credits.joinEscrows("market:slot-merge:" + logKey(e.chainId(), e.txHash(), e.logIndex()),
                List.of(Orders.escrowId(first.id), Orders.escrowId(second.id)), Orders.escrowId(merged.id),
                terms(first.poolId, merged, spans), "slots " + e.first() + " and " + e.second() + " merged into " + e.merged()).value();
        first.replaced(OrderStatus.MERGED, e.blockTime());
        second.replaced(OrderStatus.MERGED, e.blockTime());
        replace(List.of(first.id, second.id), List.of(merged), List.of(spans));
        LOG.infof("orders %d and %d (slots %s, %s) merged into order %d (slot %s, %d DC)", first.id, second.id, e.first(), e.second(),
                merged.id, e.merged(), merged.priceDc);
    }

    void transferred(@Observes SlotTransferred e) {
        Optional<OrderEntity> found = OrderEntity.bySlot(e.tokenId());
        if (found.isEmpty()) {
            return; // not a slot of the market's
        }
        OrderEntity order = found.get();
        if (order.workload != null) {
            order.workload = null;
            LOG.infof("slot %s of order %d moved from %s to %s: its workload is cleared until the new holder sets one", e.tokenId(),
                    order.id, e.from(), e.to());
        }
    }

    private static boolean replaced(OrderEntity order) {
        return order.status == OrderStatus.SPLIT || order.status == OrderStatus.MERGED;
    }

    private List<SlotPieces.Span> spans(long orderId) {
        return holds.of(orderId).stream().map(h -> new SlotPieces.Span(h.gpuId(), h.gpuUuid(), h.lower(), h.upper())).toList();
    }

    private static EscrowTerms terms(long poolId, OrderEntity piece, List<SlotPieces.Span> spans) {
        return new EscrowTerms(poolId, spans.stream().map(SlotPieces.Span::gpuId).distinct().sorted().toList(), piece.start, piece.end);
    }

    /** The parents' holds go, then the pieces (new orders) hold theirs: the exclusion constraint holds at every statement. */
    private void replace(List<Long> parents, List<OrderEntity> pieces, List<List<SlotPieces.Span>> spans) {
        for (OrderEntity piece : pieces) {
            piece.persist();
        }
        OrderEntity.getEntityManager().flush();
        parents.forEach(holds::deleteOf);
        for (int i = 0; i < pieces.size(); i++) {
            holds.insertAll(pieces.get(i).id, pieces.get(i).poolId, pieces.get(i).kind, spans.get(i));
        }
    }
}
