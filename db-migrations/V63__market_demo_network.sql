-- Demo mode (bc.demo.enabled): the marker row that says the demo network was seeded (market.DemoNetwork),
-- written in the seeding transaction, so that a restart or another replica seeds nothing.
create table market_demo (
    id         integer     primary key check (id = 1),
    seeded_at  timestamptz not null,
    operators  integer     not null,
    pools      integer     not null,
    gpus       integer     not null
);
