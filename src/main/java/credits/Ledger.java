package credits;

import accounts.WalletAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import platform.DomainException;

/**
 * The double-entry Data Credit ledger (tables {@code credits_account}, {@code credits_posting},
 * {@code credits_escrow}; the sign convention is in V30__credits_ledger.sql and docs/decisions.md).
 *
 * <p>Every posting runs in the caller's transaction ({@link Transactional.TxType#MANDATORY}), so it
 * commits if and only if the caller's change commits. A key applies at most once: the same key
 * with the same content again answers {@code applied = false} and moves nothing; the same key with
 * other content is a 409. A posting that would make a balance negative is a 402 and moves nothing.
 *
 * <p>Locking: a posting locks the rows of its two accounts with one {@code SELECT … FOR UPDATE}
 * in ascending id order, checks the balance it takes from, and only then writes; two postings on
 * the same accounts therefore wait for each other instead of deadlocking, and the balance check
 * sees the latest committed balance. The check constraint on the balance stays as the last line
 * of defence.
 */
@ApplicationScoped
public class Ledger {

    static final int KEY_LENGTH = 200;
    static final int TEXT_LENGTH = 200;
    static final int ESCROW_ID_LENGTH = 100;
    private static final String BALANCE_CONSTRAINT = "credits_account_balance_non_negative";

    private final EntityManager em;
    private final Clock clock;

    Ledger(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Posted mint(String key, MintSource source, WalletAddress to, DataCredits dc, String reason, String reference) {
        Objects.requireNonNull(source, "source");
        return post(new Request(LedgerEntry.Operation.MINT, key, Account.minted(source), Account.wallet(to), dc, false,
                reason, reference, null, null, null, null));
    }

    /** Takes back up to {@code upTo} of what {@code from} holds (refunds, disputes); answers what it took (at most the balance). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted takeBack(String key, MintSource source, WalletAddress from, DataCredits upTo, String reason, String reference) {
        Objects.requireNonNull(source, "source");
        return post(new Request(LedgerEntry.Operation.TAKE_BACK, key, Account.wallet(from), Account.minted(source), upTo, true,
                reason, reference, null, null, null, null));
    }

    /**
     * Moves {@code dc} from the wallet's balance into the escrow {@code escrowId}, opening it with
     * these terms; a further key may add to an open escrow of the same owner and terms.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted escrow(String key, WalletAddress from, String escrowId, DataCredits dc, EscrowTerms terms, String reason) {
        Objects.requireNonNull(terms, "terms");
        checkEscrowId(escrowId);
        Request request = new Request(LedgerEntry.Operation.ESCROW, key, Account.wallet(from), Account.escrow(escrowId, from), dc,
                false, reason, null, escrowId, null, null, null);
        openEscrow(escrowId, from, terms);
        return recorded(post(request), escrowId, "escrowed_dc");
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Posted burnFromBalance(String key, WalletAddress from, long poolId, long gpuId, Instant occurredAt, DataCredits dc,
                                  String reason) {
        return burnFromBalance(key, from, poolId, gpuId, occurredAt, dc, false, reason);
    }

    /** With {@code upToBalance}: burns what the wallet has, at most {@code dc}, instead of refusing a shortfall. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted burnFromBalance(String key, WalletAddress from, long poolId, long gpuId, Instant occurredAt, DataCredits dc,
                                  boolean upToBalance, String reason) {
        return post(new Request(LedgerEntry.Operation.BURN, key, Account.wallet(from), Account.burned(poolId, gpuId), dc, upToBalance,
                reason, null, null, poolId, gpuId, required(occurredAt)));
    }

    /**
     * Failover: the share of the escrow that GPU {@code from} serves at {@code at} is served by
     * {@code to} from {@code at} on (settlement burns its minutes after {@code at} on {@code to}). The
     * same move again changes nothing. False, changing nothing, when there is no such escrow, the
     * window has ended by {@code at}, or {@code from} serves none of its shares then; the escrow's row
     * is locked while it looks.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean moveEscrowGpu(String escrowId, long from, long to, Instant at) {
        checkEscrowId(escrowId);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select gpu_ids, start_at, end_at from credits_escrow where escrow_id = ?1 for update")
                .setParameter(1, escrowId).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        List<Long> gpuIds = longs(rows.get(0)[0]);
        Instant start = instant(rows.get(0)[1]);
        Instant moveAt = at.truncatedTo(ChronoUnit.MICROS);
        if (!moveAt.isBefore(instant(rows.get(0)[2]))) {
            return false; // nothing of the window is left to move
        }
        moveAt = moveAt.isBefore(start) ? start : moveAt; // a move before the window serves all of it
        @SuppressWarnings("unchecked")
        List<Object[]> moves = em.createNativeQuery("""
                        select position, gpu_id, from_at from credits_escrow_gpu_move where escrow_id = ?1 and from_at <= ?2
                        order by from_at""")
                .setParameter(1, escrowId).setParameter(2, moveAt).getResultList();
        List<Long> serving = new ArrayList<>(gpuIds);
        for (Object[] move : moves) {
            int position = ((Number) move[0]).intValue();
            serving.set(position, number(move[1]));
            if (serving.get(position) == to && instant(move[2]).equals(moveAt)) {
                return true; // this move, made before
            }
        }
        int position = serving.indexOf(from);
        if (position < 0) {
            return false;
        }
        em.createNativeQuery("insert into credits_escrow_gpu_move (escrow_id, position, from_at, gpu_id) values (?1, ?2, ?3, ?4)")
                .setParameter(1, escrowId).setParameter(2, position).setParameter(3, moveAt).setParameter(4, to).executeUpdate();
        return true;
    }

    /** Burns from a reservation's escrow, on one of its GPUs (when its terms name GPUs) in its pool. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted burnFromEscrow(String key, String escrowId, long poolId, long gpuId, Instant occurredAt, DataCredits dc,
                                 String reason) {
        Escrow escrow = escrowNamed(escrowId);
        if (escrow.poolId() != poolId || !burnsOn(escrow, gpuId)) {
            throw DomainException.invalid("escrow " + escrowId + " is for pool " + escrow.poolId() + " and GPUs " + escrow.gpuIds()
                    + ", not pool " + poolId + " GPU " + gpuId);
        }
        return recorded(post(new Request(LedgerEntry.Operation.BURN, key, Account.escrow(escrowId, escrow.owner()),
                Account.burned(poolId, gpuId), dc, false, reason, null, escrowId, poolId, gpuId, required(occurredAt))), escrowId, "burned_dc");
    }

    /** Gives {@code dc} of an escrow back to the wallet that paid it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted refundEscrow(String key, String escrowId, DataCredits dc, String reason) {
        return refundEscrow(key, escrowId, null, dc, false, reason);
    }

    /**
     * Gives {@code dc} of an escrow to {@code to} (null: the wallet that paid it), such as a time
     * slot's holder now; with {@code upToEscrow}, at most what the escrow still holds instead of a refusal.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted refundEscrow(String key, String escrowId, WalletAddress to, DataCredits dc, boolean upToEscrow, String reason) {
        Escrow escrow = escrowNamed(escrowId);
        return recorded(post(new Request(LedgerEntry.Operation.REFUND, key, Account.escrow(escrowId, escrow.owner()),
                Account.wallet(to == null ? escrow.owner() : to), dc, upToEscrow, reason, null, escrowId, null, null, null)), escrowId,
                "refunded_dc");
    }

    /**
     * Moves {@code dc} from escrow {@code fromId} into escrow {@code toId}, which opens (for the
     * owner of {@code fromId}) with these terms; the giver records it as {@code moved_dc}, the
     * receiver as {@code escrowed_dc}. Zero moves nothing but still opens the receiver.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Posted moveEscrow(String key, String fromId, String toId, DataCredits dc, EscrowTerms terms, String reason) {
        Objects.requireNonNull(terms, "terms");
        Escrow from = escrowNamed(fromId);
        openEscrow(toId, from.owner(), terms);
        if (dc.value() == 0) {
            return new Posted(0, false, dc);
        }
        Posted posted = post(new Request(LedgerEntry.Operation.MOVE, key, Account.escrow(fromId, from.owner()),
                Account.escrow(toId, from.owner()), dc, false, reason, null, toId, null, null, null));
        recorded(posted, fromId, "moved_dc");
        return recorded(posted, toId, "escrowed_dc");
    }

    /** What an escrow holds now (escrowed less burned, refunded and moved), its account row locked until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public DataCredits escrowHeld(String escrowId) {
        Escrow escrow = escrowNamed(escrowId);
        Map<String, long[]> locked = lock(Account.escrow(escrowId, escrow.owner()));
        long[] account = locked.get("escrow:" + escrowId);
        return DataCredits.of(account == null ? 0 : account[1]);
    }

    /** Adds what an applied posting moved to the escrow's column ({@code escrowed_dc}, {@code burned_dc}, {@code refunded_dc} or {@code moved_dc}). */
    private Posted recorded(Posted posted, String escrowId, String column) {
        if (posted.applied()) {
            em.createNativeQuery("update credits_escrow set " + column + " = " + column + " + ?1 where escrow_id = ?2")
                    .setParameter(1, posted.amount().value()).setParameter(2, escrowId).executeUpdate();
        }
        return posted;
    }

    /** What the wallet can spend and what it has in escrow (zero for a wallet the ledger has not seen). */
    @Transactional
    public Balance balance(WalletAddress wallet) {
        Object[] row = (Object[]) em.createNativeQuery("""
                        select coalesce(sum(balance) filter (where kind = 'WALLET'), 0),
                               coalesce(sum(balance) filter (where kind = 'ESCROW'), 0)
                        from credits_account where owner = ?1""")
                .setParameter(1, wallet.value()).getSingleResult();
        return new Balance(wallet, DataCredits.of(number(row[0])), DataCredits.of(number(row[1])));
    }

    /** The wallet's postings (its balance and its escrows), newest first, with ids below {@code before} when given. */
    @Transactional
    public List<LedgerEntry> history(WalletAddress wallet, int limit, Long before) {
        @SuppressWarnings("unchecked")
        List<Object[]> accounts = em.createNativeQuery("select id, kind from credits_account where owner = ?1")
                .setParameter(1, wallet.value()).getResultList();
        if (accounts.isEmpty() || limit <= 0) {
            return List.of();
        }
        Map<Long, String> kinds = new HashMap<>();
        accounts.forEach(a -> kinds.put(number(a[0]), (String) a[1]));
        Long[] ids = kinds.keySet().toArray(Long[]::new);
        long below = before == null ? Long.MAX_VALUE : before;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select id, operation, posted_at, occurred_at, amount, reason, reference, escrow_id, pool_id, gpu_id,
                               debit_account, credit_account
                        from credits_posting where id in (
                            (select id from credits_posting where debit_account = any(?1) and id < ?2 order by id desc limit ?3)
                            union
                            (select id from credits_posting where credit_account = any(?1) and id < ?2 order by id desc limit ?3))
                        order by id desc limit ?3""")
                .setParameter(1, ids).setParameter(2, below).setParameter(3, limit).getResultList();
        List<LedgerEntry> entries = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            long amount = number(row[4]);
            long balanceChange = 0;
            long escrowChange = 0;
            String debit = kinds.get(number(row[10]));
            String credit = kinds.get(number(row[11]));
            if ("WALLET".equals(debit)) {
                balanceChange -= amount;
            } else if ("ESCROW".equals(debit)) {
                escrowChange -= amount;
            }
            if ("WALLET".equals(credit)) {
                balanceChange += amount;
            } else if ("ESCROW".equals(credit)) {
                escrowChange += amount;
            }
            entries.add(new LedgerEntry(number(row[0]), LedgerEntry.Operation.valueOf((String) row[1]), instant(row[2]), instant(row[3]),
                    balanceChange, escrowChange, (String) row[5], (String) row[6], (String) row[7],
                    row[8] == null ? null : number(row[8]), row[9] == null ? null : number(row[9])));
        }
        return entries;
    }

    /** The totals in one snapshot: minted by source, held, in escrow, burned. */
    @Transactional
    public Invariant invariant() {
        Object[] row = (Object[]) em.createNativeQuery("""
                select coalesce(sum(balance) filter (where kind = 'MINTED' and source = 'BURN'), 0),
                       coalesce(sum(balance) filter (where kind = 'MINTED' and source = 'CARD'), 0),
                       coalesce(sum(balance) filter (where kind = 'MINTED' and source = 'DEMO'), 0),
                       coalesce(sum(balance) filter (where kind = 'WALLET'), 0),
                       coalesce(sum(balance) filter (where kind = 'ESCROW'), 0),
                       coalesce(sum(balance) filter (where kind = 'BURNED'), 0)
                from credits_account""").getSingleResult();
        return new Invariant(number(row[0]), number(row[1]), number(row[2]), number(row[3]), number(row[4]), number(row[5]));
    }

    // ---------------------------------------------------------------------------------------------

    /** One posting as asked: what moves from where to where, and why. */
    private record Request(LedgerEntry.Operation operation, String key, Account debit, Account credit, DataCredits requested,
                           boolean upToBalance, String reason, String reference, String escrowId, Long poolId, Long gpuId,
                           Instant occurredAt) {
        Request {
            checkText("idempotency key", key, KEY_LENGTH, true);
            checkText("reason", reason, TEXT_LENGTH, true);
            checkText("reference", reference, TEXT_LENGTH, false);
            Objects.requireNonNull(requested, "amount");
            occurredAt = occurredAt == null ? null : occurredAt.truncatedTo(ChronoUnit.MICROS); // what timestamptz keeps
        }

        /** Whether an applied posting is this request again. */
        boolean sameAs(Stored stored) {
            return stored.operation() == operation && stored.debitCode().equals(debit.code()) && stored.creditCode().equals(credit.code())
                    && stored.requested() == requested.value() && stored.reason().equals(reason)
                    && Objects.equals(stored.reference(), reference) && Objects.equals(stored.poolId(), poolId)
                    && Objects.equals(stored.gpuId(), gpuId) && (occurredAt == null || occurredAt.equals(stored.occurredAt()));
        }
    }

    /** An applied posting, read back by its key. */
    private record Stored(long id, LedgerEntry.Operation operation, String debitCode, String creditCode, long requested, long amount,
                          String reason, String reference, Long poolId, Long gpuId, Instant occurredAt) {
    }

    /** An account as a posting names it; created on first use. */
    private record Account(String code, String kind, String owner, String escrowId, Long poolId, Long gpuId, String source) {
        static Account wallet(WalletAddress wallet) {
            Objects.requireNonNull(wallet, "wallet");
            return new Account("wallet:" + wallet.value(), "WALLET", wallet.value(), null, null, null, null);
        }

        static Account escrow(String escrowId, WalletAddress owner) {
            Objects.requireNonNull(owner, "owner");
            return new Account("escrow:" + escrowId, "ESCROW", owner.value(), escrowId, null, null, null);
        }

        static Account burned(long poolId, long gpuId) {
            return new Account("burned:" + poolId + ":" + gpuId, "BURNED", null, null, poolId, gpuId, null);
        }

        static Account minted(MintSource source) {
            return new Account("minted:" + source.name(), "MINTED", null, null, null, null, source.name());
        }

        /** A source counts what it issued: taking from it raises its balance, giving to it lowers it. */
        boolean isSource() {
            return kind.equals("MINTED");
        }

        String describe() {
            return switch (kind) {
                case "WALLET" -> "wallet " + owner;
                case "ESCROW" -> "escrow " + escrowId;
                case "BURNED" -> "burned on pool " + poolId + " GPU " + gpuId;
                default -> "minted by " + source;
            };
        }
    }

    private record Escrow(String escrowId, WalletAddress owner, long poolId, List<Long> gpuIds, Instant start, Instant end) {
    }

    /** Whether the escrow may be burned on this GPU: one its terms name (any, when they name none), or one a failover moved a share to. */
    private boolean burnsOn(Escrow escrow, long gpuId) {
        return escrow.gpuIds().isEmpty() || escrow.gpuIds().contains(gpuId)
                || !em.createNativeQuery("select 1 from credits_escrow_gpu_move where escrow_id = ?1 and gpu_id = ?2")
                        .setParameter(1, escrow.escrowId()).setParameter(2, gpuId).getResultList().isEmpty();
    }

    /** The posting already applied under the request's key, or null; a conflict when that posting is another one. */
    private Posted replayed(Request request) {
        Stored stored = stored(request.key());
        if (stored == null) {
            return null;
        }
        if (!request.sameAs(stored)) {
            throw DomainException.conflict("The idempotency key '" + request.key() + "' was used for another posting (posting "
                    + stored.id() + ": " + stored.operation() + " of " + stored.requested() + " DC from " + stored.debitCode() + " to "
                    + stored.creditCode() + ")");
        }
        return new Posted(stored.id(), false, DataCredits.of(stored.amount()));
    }

    /**
     * Two statements when the accounts exist: lock both rows (by code, in id order) reading their
     * balances; then insert the posting and update both balances in one statement, which does
     * nothing when the key is taken, so a key already applied is found without a lookup first.
     */
    private Posted post(Request request) {
        Map<String, long[]> accounts = lock(request.debit(), request.credit());
        if (accounts.size() < 2) {
            create(request.debit(), request.credit());
            accounts = lock(request.debit(), request.credit());
        }
        long[] debit = accounts.get(request.debit().code());
        long[] credit = accounts.get(request.credit().code());

        long requested = request.requested().value();
        long amount = request.upToBalance() ? Math.min(requested, debit[1]) : requested;
        // what each side's balance becomes: a holding account loses what it gives; a source gains it
        long debitDelta = request.debit().isSource() ? amount : -amount;
        long creditDelta = request.credit().isSource() ? -amount : amount;
        DomainException refusal = shortOf(request.debit(), debit[1], debitDelta, amount);
        if (refusal == null) {
            refusal = shortOf(request.credit(), credit[1], creditDelta, amount);
        }
        if (refusal != null) {
            Posted replayed = replayed(request); // a posting applied before is answered, whatever the balance now
            if (replayed != null) {
                return replayed;
            }
            throw refusal;
        }

        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<?> inserted;
        try {
            inserted = em.createNativeQuery("""
                            with posting as (
                                insert into credits_posting (idempotency_key, operation, debit_account, credit_account, amount, requested,
                                                             reason, reference, escrow_id, pool_id, gpu_id, occurred_at, posted_at)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                                on conflict (idempotency_key) do nothing
                                returning id),
                            balances as (
                                update credits_account set balance = balance + case when id = ?3 then ?14 else ?15 end
                                where id in (?3, ?4) and exists (select 1 from posting))
                            select id from posting""")
                    .setParameter(1, request.key()).setParameter(2, request.operation().name())
                    .setParameter(3, debit[0]).setParameter(4, credit[0]).setParameter(5, amount).setParameter(6, requested)
                    .setParameter(7, request.reason()).setParameter(8, request.reference()).setParameter(9, request.escrowId())
                    .setParameter(10, request.poolId()).setParameter(11, request.gpuId())
                    .setParameter(12, request.occurredAt() == null ? now : request.occurredAt()).setParameter(13, now)
                    .setParameter(14, debitDelta).setParameter(15, creditDelta)
                    .getResultList();
        } catch (PersistenceException e) {
            if (violates(e, BALANCE_CONSTRAINT)) { // not reached while the check above holds; the database has the last word
                throw DomainException.paymentRequired("insufficient credits: the database refused a negative balance for "
                        + request.debit().describe() + " or " + request.credit().describe());
            }
            throw e;
        }
        if (inserted.isEmpty()) { // the key was applied before (or by another transaction that committed while this one waited)
            return Objects.requireNonNull(replayed(request), "a posting whose key conflicted is readable");
        }
        return new Posted(number(inserted.get(0)), true, DataCredits.of(amount));
    }

    /** The refusal when the posting would take an account below zero, else null. */
    private static DomainException shortOf(Account account, long balance, long delta, long amount) {
        if (balance + delta >= 0) {
            return null;
        }
        return DomainException.paymentRequired(account.kind().equals("WALLET")
                ? "insufficient credits: needs " + amount + " DC, has " + balance + " DC"
                : "insufficient credits: needs " + amount + " DC, " + account.describe() + " has " + balance + " DC");
    }

    /** Creates the accounts that do not exist yet. */
    private void create(Account... accounts) {
        Instant now = clock.instant();
        // in code order, so that two postings creating the same accounts wait for each other rather than deadlock
        for (Account account : Arrays.stream(accounts).sorted(Comparator.comparing(Account::code)).toList()) {
            em.createNativeQuery("""
                            insert into credits_account (code, kind, owner, escrow_id, pool_id, gpu_id, source, created_at)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) on conflict (code) do nothing""")
                    .setParameter(1, account.code()).setParameter(2, account.kind()).setParameter(3, account.owner())
                    .setParameter(4, account.escrowId()).setParameter(5, account.poolId()).setParameter(6, account.gpuId())
                    .setParameter(7, account.source()).setParameter(8, now).executeUpdate();
        }
    }

    /**
     * Locks the accounts' rows in ascending id order (a fixed order, so two postings on the same
     * accounts queue rather than deadlock) and answers {id, balance} by code; an account that does
     * not exist yet is missing from the answer.
     */
    private Map<String, long[]> lock(Account... accounts) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select code, id, balance from credits_account where code = any(?1) order by id for update")
                .setParameter(1, Arrays.stream(accounts).map(Account::code).toArray(String[]::new)).getResultList();
        Map<String, long[]> locked = new HashMap<>();
        rows.forEach(r -> locked.put((String) r[0], new long[] {number(r[1]), number(r[2])}));
        return locked;
    }

    private Stored stored(String key) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select p.id, p.operation, d.code, c.code, p.requested, p.amount, p.reason, p.reference, p.pool_id, p.gpu_id,
                               p.occurred_at
                        from credits_posting p
                        join credits_account d on d.id = p.debit_account
                        join credits_account c on c.id = p.credit_account
                        where p.idempotency_key = ?1""")
                .setParameter(1, key).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = rows.get(0);
        return new Stored(number(r[0]), LedgerEntry.Operation.valueOf((String) r[1]), (String) r[2], (String) r[3], number(r[4]),
                number(r[5]), (String) r[6], (String) r[7], r[8] == null ? null : number(r[8]), r[9] == null ? null : number(r[9]),
                instant(r[10]));
    }

    /** Opens the escrow with these terms, or checks that an open one has the same owner and terms. */
    private void openEscrow(String escrowId, WalletAddress owner, EscrowTerms terms) {
        Account account = Account.escrow(escrowId, owner);
        create(account);
        em.createNativeQuery("""
                        insert into credits_escrow (escrow_id, account_id, owner, pool_id, gpu_ids, start_at, end_at, created_at)
                        select ?1, id, ?3, ?4, ?5, ?6, ?7, ?8 from credits_account where code = ?2
                        on conflict (escrow_id) do nothing""")
                .setParameter(1, escrowId).setParameter(2, account.code()).setParameter(3, owner.value())
                .setParameter(4, terms.poolId()).setParameter(5, terms.gpuIds().toArray(Long[]::new))
                .setParameter(6, terms.start().truncatedTo(ChronoUnit.MICROS)).setParameter(7, terms.end().truncatedTo(ChronoUnit.MICROS))
                .setParameter(8, clock.instant()).executeUpdate();
        Escrow open = escrowNamed(escrowId);
        EscrowTerms openTerms = new EscrowTerms(open.poolId(), open.gpuIds(), open.start(), open.end());
        EscrowTerms asked = new EscrowTerms(terms.poolId(), terms.gpuIds(), terms.start().truncatedTo(ChronoUnit.MICROS),
                terms.end().truncatedTo(ChronoUnit.MICROS));
        if (!open.owner().equals(owner) || !openTerms.equals(asked)) {
            throw DomainException.conflict("escrow " + escrowId + " is open already with other terms (owner " + open.owner() + ", "
                    + openTerms + ")");
        }
    }

    private Escrow escrowNamed(String escrowId) {
        checkEscrowId(escrowId);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select owner, pool_id, gpu_ids, start_at, end_at from credits_escrow where escrow_id = ?1")
                .setParameter(1, escrowId).getResultList();
        if (rows.isEmpty()) {
            throw DomainException.notFound("There is no escrow " + escrowId);
        }
        Object[] r = rows.get(0);
        return new Escrow(escrowId, new WalletAddress((String) r[0]), number(r[1]), longs(r[2]), instant(r[3]), instant(r[4]));
    }

    private static List<Long> longs(Object array) {
        List<Long> values = new ArrayList<>();
        for (Object value : gpuArray(array)) {
            values.add(number(value));
        }
        return values;
    }

    private static Object[] gpuArray(Object value) {
        try {
            return value instanceof java.sql.Array array ? (Object[]) array.getArray() : (Object[]) value;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read an escrow's GPU ids", e);
        }
    }

    private static void checkEscrowId(String escrowId) {
        checkText("escrow id", escrowId, ESCROW_ID_LENGTH, true);
    }

    private static void checkText(String what, String value, int length, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw DomainException.invalid("a posting needs a " + what);
            }
            return;
        }
        if (value.length() > length) {
            throw DomainException.invalid("a posting's " + what + " has at most " + length + " characters, not " + value.length());
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid("a posting's " + what + " must not contain control characters");
        }
    }

    private static Instant required(Instant occurredAt) {
        return Objects.requireNonNull(occurredAt, "a burn needs the minute it was metered (occurredAt)");
    }

    private static boolean violates(Throwable e, String constraint) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && "23514".equals(sql.getSQLState()) && String.valueOf(sql.getMessage()).contains(constraint)) {
                return true;
            }
        }
        return false;
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
