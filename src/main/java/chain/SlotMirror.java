package chain;

import chain.contracts.SlotMarket;
import chain.contracts.TimeSlotNFT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Event sync's part for the time slots' lineage and closes (TimeSlotNFT) and their resale
 * (SlotMarket): it keeps {@code chain_slot_lineage}, {@code chain_slot_close}, {@code chain_listing}
 * and {@code chain_sale}, and fires {@link SlotSplit}, {@link SlotsMerged}, {@link SlotClosed},
 * {@link SlotListed}, {@link SlotListingCancelled} and {@link SlotSold} inside the sync's
 * transaction, each log once: its row in {@code chain_slot_log} (insert or nothing) says whether it
 * is new. The one change it makes to the token mirror, a closed slot's end, is applied on every
 * read, since a range read again re-applies the slot's {@code SlotMinted} (open end) first.
 */
@ApplicationScoped
class SlotMirror {

    static final String SLOT_SPLIT = EventEncoder.encode(TimeSlotNFT.SLOTSPLIT_EVENT);
    static final String SLOTS_MERGED = EventEncoder.encode(TimeSlotNFT.SLOTSMERGED_EVENT);
    static final String SLOT_CLOSED = EventEncoder.encode(TimeSlotNFT.SLOTCLOSED_EVENT);
    static final String LISTED = EventEncoder.encode(SlotMarket.LISTED_EVENT);
    static final String LISTING_CANCELLED = EventEncoder.encode(SlotMarket.LISTINGCANCELLED_EVENT);
    static final String SOLD = EventEncoder.encode(SlotMarket.SOLD_EVENT);
    /** The topics this mirror handles: their blocks' times are read before the sync's transaction. */
    static final Set<String> TOPICS = Set.of(SLOT_SPLIT, SLOTS_MERGED, SLOT_CLOSED, LISTED, LISTING_CANCELLED, SOLD);

    private final EntityManager em;
    private final Event<SlotSplit> splits;
    private final Event<SlotsMerged> merges;
    private final Event<SlotClosed> closes;
    private final Event<SlotListed> listings;
    private final Event<SlotListingCancelled> cancellations;
    private final Event<SlotSold> sales;

    SlotMirror(EntityManager em, Event<SlotSplit> splits, Event<SlotsMerged> merges, Event<SlotClosed> closes,
               Event<SlotListed> listings, Event<SlotListingCancelled> cancellations, Event<SlotSold> sales) {
        this.em = em;
        this.splits = splits;
        this.merges = merges;
        this.closes = closes;
        this.listings = listings;
        this.cancellations = cancellations;
        this.sales = sales;
    }

    /** Applies one of the {@link #TOPICS}' logs, inside the sync's transaction (after the logs before it). */
    void apply(long chainId, Log log, Instant blockTime) {
        String topic = log.getTopics().get(0);
        String tx = log.getTransactionHash().toLowerCase(Locale.ROOT);
        int index = log.getLogIndex().intValueExact();
        long block = log.getBlockNumber().longValueExact();
        if (topic.equals(SLOT_CLOSED)) {
            TimeSlotNFT.SlotClosedEventResponse e = TimeSlotNFT.getSlotClosedEventFromLog(log);
            TokenEntity token = slot(e.tokenId);
            if (token != null) {
                token.slotEndSeconds = e.at;
            }
            if (firstTime(chainId, tx, index, block, "CLOSE")) {
                em.createNativeQuery("""
                                insert into chain_slot_close (chain_id, tx_hash, log_index, token_id, closed_at, block_number, block_time)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                        .setParameter(1, chainId).setParameter(2, tx).setParameter(3, index).setParameter(4, e.tokenId)
                        .setParameter(5, e.at).setParameter(6, block).setParameter(7, Timestamp.from(blockTime)).executeUpdate();
                closes.fire(new SlotClosed(chainId, tx, index, block, blockTime, token == null ? null : token.owner, e.tokenId,
                        new ChainTime(e.at)));
            }
        } else if (topic.equals(SLOT_SPLIT)) {
            TimeSlotNFT.SlotSplitEventResponse e = TimeSlotNFT.getSlotSplitEventFromLog(log);
            if (firstTime(chainId, tx, index, block, "SPLIT")) {
                lineage(chainId, tx, index, block, blockTime, "SPLIT", e.parent, e.first);
                lineage(chainId, tx, index, block, blockTime, "SPLIT", e.parent, e.second);
                TokenEntity first = slot(e.first);
                splits.fire(new SlotSplit(chainId, tx, index, block, blockTime, first.owner, e.parent, e.first, e.second,
                        first.view().slot(), slot(e.second).view().slot()));
            }
        } else if (topic.equals(SLOTS_MERGED)) {
            TimeSlotNFT.SlotsMergedEventResponse e = TimeSlotNFT.getSlotsMergedEventFromLog(log);
            if (firstTime(chainId, tx, index, block, "MERGE")) {
                lineage(chainId, tx, index, block, blockTime, "MERGE", e.first, e.merged);
                lineage(chainId, tx, index, block, blockTime, "MERGE", e.second, e.merged);
                TokenEntity merged = slot(e.merged);
                merges.fire(new SlotsMerged(chainId, tx, index, block, blockTime, merged.owner, e.first, e.second, e.merged,
                        merged.view().slot()));
            }
        } else if (topic.equals(LISTED)) {
            SlotMarket.ListedEventResponse e = SlotMarket.getListedEventFromLog(log);
            if (firstTime(chainId, tx, index, block, "LISTED")) {
                end(chainId, e.tokenId, "RELISTED", tx, block);
                String seller = e.seller.toLowerCase(Locale.ROOT);
                em.createNativeQuery("""
                                insert into chain_listing (chain_id, tx_hash, log_index, token_id, seller, price, block_number, block_time)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                        .setParameter(1, chainId).setParameter(2, tx).setParameter(3, index).setParameter(4, e.tokenId)
                        .setParameter(5, seller).setParameter(6, e.price).setParameter(7, block)
                        .setParameter(8, Timestamp.from(blockTime)).executeUpdate();
                listings.fire(new SlotListed(chainId, tx, index, block, blockTime, e.tokenId, seller, e.price));
            }
        } else if (topic.equals(LISTING_CANCELLED)) {
            SlotMarket.ListingCancelledEventResponse e = SlotMarket.getListingCancelledEventFromLog(log);
            if (firstTime(chainId, tx, index, block, "CANCELLED")) {
                end(chainId, e.tokenId, "CANCELLED", tx, block);
                cancellations.fire(new SlotListingCancelled(chainId, tx, index, block, blockTime, e.tokenId,
                        e.seller.toLowerCase(Locale.ROOT)));
            }
        } else if (topic.equals(SOLD)) {
            SlotMarket.SoldEventResponse e = SlotMarket.getSoldEventFromLog(log);
            if (firstTime(chainId, tx, index, block, "SOLD")) {
                end(chainId, e.listedId, "SOLD", tx, block);
                Token.Slot terms = slot(e.pieceId).view().slot();
                String seller = e.seller.toLowerCase(Locale.ROOT);
                String buyer = e.buyer.toLowerCase(Locale.ROOT);
                em.createNativeQuery("""
                                insert into chain_sale (chain_id, tx_hash, log_index, listed_token_id, piece_id, seller, buyer, price,
                                                        pool, gpu_count, start_seconds, end_seconds, slot_kind, block_number, block_time)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)""")
                        .setParameter(1, chainId).setParameter(2, tx).setParameter(3, index).setParameter(4, e.listedId)
                        .setParameter(5, e.pieceId).setParameter(6, seller).setParameter(7, buyer).setParameter(8, e.price)
                        .setParameter(9, terms.pool()).setParameter(10, terms.gpuCount()).setParameter(11, terms.start().seconds())
                        .setParameter(12, terms.end().seconds()).setParameter(13, terms.kind().name()).setParameter(14, block)
                        .setParameter(15, Timestamp.from(blockTime)).executeUpdate();
                sales.fire(new SlotSold(chainId, tx, index, block, blockTime, e.listedId, e.pieceId, seller, buyer, e.price, terms));
            }
        }
    }

    /** Records the log; false when it was recorded before (a range read again). */
    private boolean firstTime(long chainId, String tx, int index, long block, String event) {
        return em.createNativeQuery("""
                        insert into chain_slot_log (chain_id, tx_hash, log_index, block_number, event)
                        values (?1, ?2, ?3, ?4, ?5) on conflict do nothing""")
                .setParameter(1, chainId).setParameter(2, tx).setParameter(3, index).setParameter(4, block).setParameter(5, event)
                .executeUpdate() == 1;
    }

    private void lineage(long chainId, String tx, int index, long block, Instant time, String event, BigInteger parent, BigInteger child) {
        em.createNativeQuery("""
                        insert into chain_slot_lineage (chain_id, tx_hash, log_index, event, parent, child, block_number, block_time)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                .setParameter(1, chainId).setParameter(2, tx).setParameter(3, index).setParameter(4, event)
                .setParameter(5, parent).setParameter(6, child).setParameter(7, block).setParameter(8, Timestamp.from(time))
                .executeUpdate();
    }

    private void end(long chainId, BigInteger tokenId, String how, String tx, long block) {
        em.createNativeQuery("""
                        update chain_listing set ended = ?3, ended_tx = ?4, ended_block = ?5
                        where chain_id = ?1 and token_id = ?2 and ended is null""")
                .setParameter(1, chainId).setParameter(2, tokenId).setParameter(3, how).setParameter(4, tx).setParameter(5, block)
                .executeUpdate();
    }

    private static TokenEntity slot(BigInteger tokenId) {
        return TokenEntity.findById(new TokenEntity.Key(AssetKind.TIME_SLOT, tokenId));
    }

    // --- reads (the facade's)

    Optional<TimeSlot> timeSlot(long chainId, BigInteger tokenId) {
        TokenEntity token = slot(tokenId);
        return token == null || token.slotPool == null ? Optional.empty() : Optional.of(view(chainId, token));
    }

    List<TimeSlot> slotsOf(long chainId, String holder) {
        return TokenEntity.<TokenEntity>find("kind = ?1 and owner = ?2 and burned = false and slotPool is not null order by tokenId",
                AssetKind.TIME_SLOT, holder).list().stream().map(t -> view(chainId, t)).toList();
    }

    private TimeSlot view(long chainId, TokenEntity t) {
        Token token = t.view();
        Token.Slot s = token.slot();
        return new TimeSlot(t.tokenId, s.kind(), s.pool(), s.gpuCount(), s.start(), s.end(), t.owner, t.burned, token.user(),
                token.userExpires(), related(chainId, "child", "parent", t.tokenId), related(chainId, "parent", "child", t.tokenId));
    }

    @SuppressWarnings("unchecked")
    private List<BigInteger> related(long chainId, String known, String wanted, BigInteger tokenId) {
        List<Object> rows = em.createNativeQuery("select " + wanted + " from chain_slot_lineage where chain_id = ?1 and " + known
                        + " = ?2 order by " + wanted)
                .setParameter(1, chainId).setParameter(2, tokenId).getResultList();
        return rows.stream().map(SlotMirror::integer).toList();
    }

    private static final String LISTING_COLUMNS = """
            select l.token_id, l.seller, l.price, l.ended, l.tx_hash, l.block_number, l.block_time, l.ended_tx,
                   (t.token_id is not null and not t.burned and t.owner = l.seller) as held
            from chain_listing l left join chain_token t on t.kind = 'TIME_SLOT' and t.token_id = l.token_id
            """;

    /** The listing of a slot that has not ended (ACTIVE, or STALE when the seller no longer holds it). */
    Optional<SlotListing> openListing(long chainId, BigInteger tokenId) {
        return listings(LISTING_COLUMNS + " where l.chain_id = ?1 and l.token_id = ?2 and l.ended is null", chainId, tokenId, 1)
                .stream().findFirst();
    }

    /** Every listing of a slot, newest first. */
    List<SlotListing> listingsOf(long chainId, BigInteger tokenId, int limit) {
        return listings(LISTING_COLUMNS + " where l.chain_id = ?1 and l.token_id = ?2 order by l.block_number desc, l.log_index desc limit ?3",
                chainId, tokenId, limit);
    }

    /** The listings that can be bought now, newest first. */
    List<SlotListing> activeListings(long chainId, int limit) {
        return listings(LISTING_COLUMNS + """
                 where l.chain_id = ?1 and ?2 is null and l.ended is null and t.token_id is not null and not t.burned
                 and t.owner = l.seller order by l.block_number desc, l.log_index desc limit ?3""", chainId, null, limit);
    }

    /** Every listing, newest first. */
    List<SlotListing> allListings(long chainId, int limit) {
        return listings(LISTING_COLUMNS + " where l.chain_id = ?1 and ?2 is null order by l.block_number desc, l.log_index desc limit ?3",
                chainId, null, limit);
    }

    @SuppressWarnings("unchecked")
    private List<SlotListing> listings(String sql, long chainId, BigInteger tokenId, int limit) {
        var query = em.createNativeQuery(sql).setParameter(1, chainId);
        if (sql.contains("?2 is null")) {
            query.setParameter(2, (Object) null);
        } else {
            query.setParameter(2, tokenId);
        }
        if (sql.contains("?3")) {
            query.setParameter(3, limit);
        }
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new SlotListing(integer(r[0]), (String) r[1], integer(r[2]),
                r[3] != null ? SlotListing.Status.valueOf((String) r[3]) : Boolean.TRUE.equals(r[8]) ? SlotListing.Status.ACTIVE
                        : SlotListing.Status.STALE,
                (String) r[4], ((Number) r[5]).longValue(), Chain.instant(r[6]), (String) r[7])).toList();
    }

    /** Sales, newest first, of one pool or all. */
    @SuppressWarnings("unchecked")
    List<SlotSale> sales(long chainId, Optional<BigInteger> pool, int limit) {
        List<Object[]> rows = em.createNativeQuery("""
                        select tx_hash, log_index, block_number, block_time, listed_token_id, piece_id, seller, buyer, price,
                               pool, gpu_count, start_seconds, end_seconds, slot_kind
                        from chain_sale where chain_id = ?1 and (cast(?2 as numeric) is null or pool = cast(?2 as numeric))
                        order by block_number desc, log_index desc limit ?3""")
                .setParameter(1, chainId).setParameter(2, pool.map(BigInteger::toString).orElse(null)).setParameter(3, limit)
                .getResultList();
        return rows.stream().map(r -> new SlotSale((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).longValue(),
                Chain.instant(r[3]), integer(r[4]), integer(r[5]), (String) r[6], (String) r[7], integer(r[8]),
                new Token.Slot(integer(r[9]), ((Number) r[10]).longValue(), new ChainTime(integer(r[11])), new ChainTime(integer(r[12])),
                        SlotKind.valueOf((String) r[13])))).toList();
    }

    private static BigInteger integer(Object numeric) {
        return numeric instanceof BigInteger b ? b : new BigDecimal(numeric.toString()).toBigIntegerExact();
    }
}
