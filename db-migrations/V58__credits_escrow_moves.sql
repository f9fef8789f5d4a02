-- credits: DCs moved from one escrow to another, when the market follows a time slot split or merged
-- on chain (Credits.divideEscrow / joinEscrows; docs/decisions.md, "Time slots in the market").
--
-- A move is a posting of its own operation, MOVE, from the parent's escrow account to a piece's
-- (or from each merged parent to the merged slot's), keyed by the chain log it follows, so it
-- happens once. The escrow that gave records it in moved_dc, the one that received it in
-- escrowed_dc, so what an escrow still holds stays escrowed - burned - refunded - moved, which is
-- what settlement burns from.

do $$
declare c record;
begin
    -- the unnamed checks of V30 that these replace, found by what they say rather than by generated names
    for c in select conname from pg_constraint where conrelid = 'credits_posting'::regclass and contype = 'c'
                 and pg_get_constraintdef(oid) like '%''TAKE_BACK''%' loop
        execute format('alter table credits_posting drop constraint %I', c.conname);
    end loop;
    for c in select conname from pg_constraint where conrelid = 'credits_escrow'::regclass and contype = 'c'
                 and pg_get_constraintdef(oid) like '%refunded_dc%' loop
        execute format('alter table credits_escrow drop constraint %I', c.conname);
    end loop;
end
$$;

alter table credits_posting add constraint credits_posting_operation
    check (operation in ('MINT', 'TAKE_BACK', 'ESCROW', 'BURN', 'REFUND', 'MOVE'));

alter table credits_escrow add column moved_dc bigint not null default 0;
alter table credits_escrow add constraint credits_escrow_accounted
    check (burned_dc >= 0 and refunded_dc >= 0 and moved_dc >= 0 and escrowed_dc >= burned_dc + refunded_dc + moved_dc);
