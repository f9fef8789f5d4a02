-- pools: uptime masks of one hour written with different heartbeat intervals.
-- bc.pools.heartbeat-interval may change between restarts (or differ between replicas during a
-- rolling restart), so one hour's row may meet a mask of another length: 60 bits (1 min
-- intervals) and then 120 bits (30 s). `a | b` refuses bit strings of different lengths, which
-- made every flush fail for the rest of the hour. Masks are now merged at the finest common
-- division of the hour: a mask of n bits becomes lcm(n, m) bits, each of its bits repeated
-- lcm(n, m) / n times, which keeps its online seconds (set bits * 3600 / length) exactly. Both
-- lengths divide 3600, so the merged one does too (at most 3600 bits).

-- `mask` with each bit repeated so that it has `slots` bits (a multiple of its length).
create function pools_uptime_widen(mask bit varying, slots integer) returns bit varying
    language sql immutable strict parallel safe as $$
    select string_agg(repeat(substring(mask::text from i for 1), slots / length(mask)), '' order by i)::bit varying
    from generate_series(1, length(mask)) as i
$$;

-- The union of two masks of the same hour, whatever interval each was written with.
create function pools_uptime_merge(a bit varying, b bit varying) returns bit varying
    language sql immutable strict parallel safe as $$
    select case when length(a) = length(b) then a | b
                else pools_uptime_widen(a, lcm(length(a), length(b))) | pools_uptime_widen(b, lcm(length(a), length(b)))
           end
$$;
