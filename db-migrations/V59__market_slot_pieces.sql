-- market: every piece of a time slot that the market follows is an order of its own
-- (docs/decisions.md, "Time slots in the market").
--
-- When the holder splits a reservation's slot on chain, or merges two, event sync's observer
-- (market.SlotFollower) ends the parent orders as SPLIT or MERGED and makes an order per new slot:
-- parent_order_id is the order it was split from (null for an order placed by a customer and for a
-- merged slot, whose two parents the chain's lineage names: chain.Chain.timeSlot(...).parents()).
-- slot_token_id (V53) is the piece's token id. slot_close_requested: the ChainEffect.CloseSlot of a
-- pay-as-you-go order that ended was asked for (market.SlotJobs), once.
alter table market_order add column parent_order_id bigint references market_order (id);
alter table market_order add column slot_close_requested boolean not null default false;

do $$
declare c record;
begin
    for c in select conname from pg_constraint where conrelid = 'market_order'::regclass and contype = 'c'
                 and pg_get_constraintdef(oid) like '%''PREEMPTING''%' loop
        execute format('alter table market_order drop constraint %I', c.conname);
    end loop;
end
$$;
alter table market_order add constraint market_order_status
    check (status in ('SCHEDULED', 'STARTING', 'RUNNING', 'PREEMPTING', 'PREEMPTED', 'STOPPED', 'ENDED', 'FAILED', 'SPLIT', 'MERGED'));

drop index market_order_open;
create index market_order_open on market_order (status)
    where status not in ('PREEMPTED', 'STOPPED', 'ENDED', 'FAILED', 'SPLIT', 'MERGED');
create index market_order_parent on market_order (parent_order_id) where parent_order_id is not null;
-- pay-as-you-go orders that ended and whose slot is not closed yet
create index market_order_to_close on market_order (id)
    where kind <> 'RESERVED' and not slot_close_requested and status in ('PREEMPTED', 'STOPPED', 'ENDED', 'FAILED');
