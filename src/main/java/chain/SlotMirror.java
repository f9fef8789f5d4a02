package chain;

import chain.contracts.SlotMarket;
import chain.contracts.TimeSlotNFT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Event sync's part for the time slots' lineage and closes (TimeSlotNFT) and their resale
 * (SlotMarket): it keeps {@code chain_slot_lineage}, {@code chain_slot_close}, {@code chain_listing}
 * and {@code chain_sale}, and fires {@link SlotSplit}, {@link SlotsMerged}, {@link SlotClosed},
 * {@link SlotListed}, {@link SlotListingCancelled} and {@link SlotSold} inside the sync's
 * transaction, each log once: its row in {@code chain_slot_log} (insert or nothing, in the same
 * transaction) says whether it is new, so a range read again writes and fires nothing. A close is
 * the one change it makes to the token mirror (the slot's end), also only the first time: event
 * sync applies a {@code SlotMinted} only to a slot it has just seen minted, so a range read again
 * never sets a closed slot's end back to open.
 */
@ApplicationScoped
class SlotMirror {

    static final String SLOT_SPLIT = EventEncoder.encode(TimeSlotNFT.SLOTSPLIT_EVENT);
    static final String SLOTS_MERGED = EventEncoder.encode(TimeSlotNFT.SLOTSMERGED_EVENT);
    static final String SLOT_CLOSED = EventEncoder.encode(TimeSlotNFT.SLOTCLOSED_EVENT);
    static final String LISTED = EventEncoder.encode(SlotMarket.LISTED_EVENT);
    static final String LISTING_CANCELLED = EventEncoder.encode(SlotMarket.LISTINGCANCELLED_EVENT);
    static final String SOLD = EventEncoder.encode(SlotMarket.SOLD_EVENT);
    /** The topics this mirror handles, by their name in {@code chain_slot_log}. */
    private static final Map<String, String> EVENTS = Map.of(SLOT_SPLIT, "SPLIT", SLOTS_MERGED, "MERGE", SLOT_CLOSED, "CLOSE",
            LISTED, "LISTED", LISTING_CANCELLED, "CANCELLED", SOLD, "SOLD");
    /** The topics this mirror handles (event sync reads their blocks' times before its transaction). */
    static final Set<String> TOPICS = EVENTS.keySet();

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

    /**
     * Applies a log of TimeSlotNFT or SlotMarket with one of the {@link #TOPICS} (others are
     * ignored), inside the sync's transaction, after the logs before it.
     */
    void apply(long chainId, Log log, Instant blockTime) {
        String topic = log.getTopics().get(0);
        if (!TOPICS.contains(topic)) {
            return;
        }
        Logged at = new Logged(chainId, log.getTransactionHash().toLowerCase(Locale.ROOT), log.getLogIndex().intValueExact(),
                log.getBlockNumber().longValueExact(), blockTime);
        if (!firstTime(at, topic)) {
            return; // a range read again
        }
        if (topic.equals(SLOT_CLOSED)) {
            TimeSlotNFT.SlotClosedEventResponse e = TimeSlotNFT.getSlotClosedEventFromLog(log);
            TokenEntity token = slot(e.tokenId);
            token.slotEndSeconds = e.at;
            insert("""
                    insert into chain_slot_close (chain_id, tx_hash, log_index, block_number, block_time, token_id, closed_at)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""", at, e.tokenId, e.at);
            closes.fire(new SlotClosed(chainId, at.tx, at.index, at.block, blockTime, token.owner, e.tokenId, new ChainTime(e.at)));
        } else if (topic.equals(SLOT_SPLIT)) {
            TimeSlotNFT.SlotSplitEventResponse e = TimeSlotNFT.getSlotSplitEventFromLog(log);
            lineage(at, "SPLIT", e.parent, e.first);
            lineage(at, "SPLIT", e.parent, e.second);
            TokenEntity first = slot(e.first);
            splits.fire(new SlotSplit(chainId, at.tx, at.index, at.block, blockTime, first.owner, e.parent, e.first, e.second,
                    first.view().slot(), slot(e.second).view().slot()));
        } else if (topic.equals(SLOTS_MERGED)) {
            TimeSlotNFT.SlotsMergedEventResponse e = TimeSlotNFT.getSlotsMergedEventFromLog(log);
            lineage(at, "MERGE", e.first, e.merged);
            lineage(at, "MERGE", e.second, e.merged);
            TokenEntity merged = slot(e.merged);
            merges.fire(new SlotsMerged(chainId, at.tx, at.index, at.block, blockTime, merged.owner, e.first, e.second, e.merged,
                    merged.view().slot()));
        } else if (topic.equals(LISTED)) {
            SlotMarket.ListedEventResponse e = SlotMarket.getListedEventFromLog(log);
            end(at, e.tokenId, "RELISTED");
            String seller = e.seller.toLowerCase(Locale.ROOT);
            insert("""
                    insert into chain_listing (chain_id, tx_hash, log_index, block_number, block_time, token_id, seller, price)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""", at, e.tokenId, seller, e.price);
            listings.fire(new SlotListed(chainId, at.tx, at.index, at.block, blockTime, e.tokenId, seller, e.price));
        } else if (topic.equals(LISTING_CANCELLED)) {
            SlotMarket.ListingCancelledEventResponse e = SlotMarket.getListingCancelledEventFromLog(log);
            end(at, e.tokenId, "CANCELLED");
            cancellations.fire(new SlotListingCancelled(chainId, at.tx, at.index, at.block, blockTime, e.tokenId,
                    e.seller.toLowerCase(Locale.ROOT)));
        } else {
            SlotMarket.SoldEventResponse e = SlotMarket.getSoldEventFromLog(log);
            end(at, e.listedId, "SOLD");
            Token.Slot terms = slot(e.pieceId).view().slot();
            String seller = e.seller.toLowerCase(Locale.ROOT);
            String buyer = e.buyer.toLowerCase(Locale.ROOT);
            insert("""
                    insert into chain_sale (chain_id, tx_hash, log_index, block_number, block_time, listed_token_id, piece_id,
                                            seller, buyer, price, pool, gpu_count, start_seconds, end_seconds, slot_kind)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)""",
                    at, e.listedId, e.pieceId, seller, buyer, e.price, terms.pool(), terms.gpuCount(), terms.start().seconds(),
                    terms.end().seconds(), terms.kind().name());
            sales.fire(new SlotSold(chainId, at.tx, at.index, at.block, blockTime, e.listedId, e.pieceId, seller, buyer, e.price,
                    terms));
        }
    }

    /** Where a log is: the key its rows share. */
    private record Logged(long chainId, String tx, int index, long block, Instant time) {
    }

    /** Records the log; false when it was recorded before (a range read again). */
    private boolean firstTime(Logged at, String topic) {
        return em.createNativeQuery("""
                        insert into chain_slot_log (chain_id, tx_hash, log_index, block_number, event)
                        values (?1, ?2, ?3, ?4, ?5) on conflict do nothing""")
                .setParameter(1, at.chainId).setParameter(2, at.tx).setParameter(3, at.index).setParameter(4, at.block)
                .setParameter(5, EVENTS.get(topic)).executeUpdate() == 1;
    }

    /** Runs an insert whose parameters are the log's chain id, tx hash, log index, block and time (?1 to ?5), then {@code values}. */
    private void insert(String sql, Logged at, Object... values) {
        Query insert = em.createNativeQuery(sql).setParameter(1, at.chainId).setParameter(2, at.tx).setParameter(3, at.index)
                .setParameter(4, at.block).setParameter(5, Timestamp.from(at.time));
        for (int i = 0; i < values.length; i++) {
            insert.setParameter(6 + i, values[i]);
        }
        insert.executeUpdate();
    }

    private void lineage(Logged at, String event, BigInteger parent, BigInteger child) {
        insert("""
                insert into chain_slot_lineage (chain_id, tx_hash, log_index, block_number, block_time, event, parent, child)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""", at, event, parent, child);
    }

    /** Ends the open listing of {@code tokenId}, if there is one. */
    private void end(Logged at, BigInteger tokenId, String how) {
        em.createNativeQuery("""
                        update chain_listing set ended = ?3, ended_tx = ?4, ended_block = ?5
                        where chain_id = ?1 and token_id = ?2 and ended is null""")
                .setParameter(1, at.chainId).setParameter(2, tokenId).setParameter(3, how).setParameter(4, at.tx)
                .setParameter(5, at.block).executeUpdate();
    }

    /** A slot in the mirror; its logs always come after its mint's, so a missing one is a misconfigured SlotMarket. */
    private static TokenEntity slot(BigInteger tokenId) {
        TokenEntity token = TokenEntity.findById(new TokenEntity.Key(AssetKind.TIME_SLOT, tokenId));
        if (token == null || token.slotPool == null) {
            throw new IllegalStateException("Time slot " + tokenId + " is not in the mirror: is bc.chain.contracts.slot-market a "
                    + "SlotMarket of the configured TimeSlotNFT?");
        }
        return token;
    }

    // --- reads (the facade's, inside its transaction)

    Optional<TimeSlot> timeSlot(long chainId, BigInteger tokenId) {
        TokenEntity token = TokenEntity.findById(new TokenEntity.Key(AssetKind.TIME_SLOT, tokenId));
        return token == null || token.slotPool == null ? Optional.empty() : Optional.of(view(chainId, token));
    }

    List<TimeSlot> slotsOf(long chainId, String holder) {
        return TokenEntity.<TokenEntity>find("kind = ?1 and owner = ?2 and burned = false and slotPool is not null order by tokenId",
                AssetKind.TIME_SLOT, holder).list().stream().map(t -> view(chainId, t)).toList();
    }

    /** The slots lent to {@code user} (ERC-4907) whose lending has not expired at {@code now}, not burned. */
    List<TimeSlot> slotsUsedBy(long chainId, String user, Instant now) {
        return TokenEntity.<TokenEntity>find("kind = ?1 and userAddress = ?2 and burned = false and slotPool is not null "
                        + "and userExpiresSeconds >= ?3 order by tokenId", AssetKind.TIME_SLOT, user, BigInteger.valueOf(now.getEpochSecond()))
                .list().stream().map(t -> view(chainId, t)).toList();
    }

    private TimeSlot view(long chainId, TokenEntity t) {
        Token token = t.view();
        return new TimeSlot(t.tokenId, token.slot(), t.owner, t.burned, token.user(), token.userExpires(),
                related(chainId, "parent", "child", t.tokenId), related(chainId, "child", "parent", t.tokenId));
    }

    /** The {@code wanted} ends (parent or child) of the lineage rows whose {@code known} end is {@code tokenId}. */
    @SuppressWarnings("unchecked")
    private List<BigInteger> related(long chainId, String wanted, String known, BigInteger tokenId) {
        List<Object> rows = em.createNativeQuery("select " + wanted + " from chain_slot_lineage where chain_id = ?1 and " + known
                        + " = ?2 order by " + wanted)
                .setParameter(1, chainId).setParameter(2, tokenId).getResultList();
        return rows.stream().map(Chain::integer).toList();
    }

    /** The open listing of a slot (live, or stale when its seller no longer holds it). */
    Optional<SlotListing> openListing(long chainId, BigInteger tokenId) {
        return listings("l.token_id = cast(?2 as numeric)", chainId, tokenId, 1).stream().findFirst();
    }

    /** The listings that can be bought now (open, the seller holds the slot), of one pool or all, newest first. */
    List<SlotListing> activeListings(long chainId, Optional<BigInteger> pool, int limit) {
        return listings("not t.burned and t.owner = l.seller and (cast(?2 as numeric) is null or t.slot_pool = cast(?2 as numeric))",
                chainId, pool.orElse(null), limit);
    }

    @SuppressWarnings("unchecked")
    private List<SlotListing> listings(String where, long chainId, BigInteger value, int limit) {
        List<Object[]> rows = em.createNativeQuery("""
                        select l.token_id, l.seller, l.price, l.tx_hash, l.block_number, l.block_time,
                               t.slot_pool, t.slot_gpu_count, t.slot_start_seconds, t.slot_end_seconds, t.slot_kind,
                               (not t.burned and t.owner = l.seller) as live
                        from chain_listing l join chain_token t on t.kind = 'TIME_SLOT' and t.token_id = l.token_id
                        where l.chain_id = ?1 and l.ended is null and\s""" + where + """
                         order by l.block_number desc, l.log_index desc limit ?3""")
                .setParameter(1, chainId).setParameter(2, value == null ? null : value.toString()).setParameter(3, limit)
                .getResultList();
        return rows.stream().map(r -> new SlotListing(Chain.integer(r[0]), (String) r[1], Chain.integer(r[2]),
                terms(r[6], r[7], r[8], r[9], r[10]), !Boolean.TRUE.equals(r[11]), (String) r[3], ((Number) r[4]).longValue(),
                Chain.instant(r[5]))).toList();
    }

    /** Sales of one pool's slots or all, newest first. */
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
                Chain.instant(r[3]), Chain.integer(r[4]), Chain.integer(r[5]), (String) r[6], (String) r[7], Chain.integer(r[8]),
                terms(r[9], r[10], r[11], r[12], r[13]))).toList();
    }

    private static Token.Slot terms(Object pool, Object gpuCount, Object start, Object end, Object kind) {
        return new Token.Slot(Chain.integer(pool), ((Number) gpuCount).longValue(), new ChainTime(Chain.integer(start)),
                new ChainTime(Chain.integer(end)), SlotKind.valueOf((String) kind));
    }
}
